/** JSON for training events: typed arrays become plain arrays; everything else is JSON as is. */

/** JSON.stringify replacer that writes typed arrays (e.g. a policy's `prob`) as arrays. */
export function typedArrayReplacer(_key: string, value: unknown): unknown {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) ? Array.from(value as unknown as ArrayLike<number>) : value;
}

/**
 * One event (or any value) as one line of JSON, without the newline; deterministic, so equal
 * streams give equal lines byte for byte.
 * @example eventToJsonLine({ type: 'episode-start', k: 0, s1: 1 }) === '{"type":"episode-start","k":0,"s1":1}'
 */
export function eventToJsonLine(value: unknown): string {
  return JSON.stringify(value, typedArrayReplacer);
}
