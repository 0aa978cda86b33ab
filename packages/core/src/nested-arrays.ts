/**
 * Nested JSON arrays <-> flat row-major Float64Arrays, with shape errors that name the index:
 * `reward[1][0]: expected 4 entries (J), got 3`.
 */
import { inputError } from './drmg-error.ts';
import { describeValue } from './input-checks.ts';

/**
 * Copies the nested array `value` of shape `dims` (dimension names `names`, e.g. ['H', 'S', 'J', 'm'])
 * into `out` in row-major order, checking every length and that every leaf is a finite number.
 * @throws DrmgError('input', `${path}[i][j]...`, ...) at the first wrong length, non-array or non-number.
 */
export function flattenNested(value: unknown, dims: readonly number[], names: readonly string[], path: string, out: Float64Array): void {
  const idx: number[] = [];
  const at = (depth: number): string => {
    let p = path;
    for (let d = 0; d < depth; d++) p += `[${idx[d]}]`;
    return p;
  };
  const last = dims.length - 1;
  let offset = 0;
  const walk = (v: unknown, depth: number): void => {
    const n = dims[depth];
    if (!Array.isArray(v)) {
      if (v === undefined && depth === 0) inputError(path, `missing, expected an array of shape [${names.join('][')}]`);
      inputError(at(depth), `expected an array of ${n} entries (${names[depth]}), got ${describeValue(v)}`);
    }
    if (v.length !== n) inputError(at(depth), `expected ${n} entries (${names[depth]}), got ${v.length}`);
    if (depth === last) {
      for (let k = 0; k < n; k++) {
        const x = v[k] as unknown;
        if (typeof x !== 'number' || !Number.isFinite(x)) {
          idx[depth] = k;
          inputError(at(depth + 1), `expected a finite number, got ${describeValue(x)}`);
        }
        out[offset++] = x;
      }
      return;
    }
    for (let k = 0; k < n; k++) {
      idx[depth] = k;
      walk(v[k], depth + 1);
    }
  };
  walk(value, 0);
}

/**
 * Checks that `value` is a nested array of shape `dims` (every length; leaves are not looked at), with the
 * errors flattenNested gives. Run before allocating a buffer of prod(dims) entries, so that sizes declared in
 * a file (states, horizon, actions) allocate nothing the file does not actually hold.
 * @throws DrmgError('input', `${path}[i][j]...`, ...) at the first wrong length or non-array.
 */
export function checkNestedShape(value: unknown, dims: readonly number[], names: readonly string[], path: string): void {
  const last = dims.length - 1;
  // Iterative walk over the arrays above the leaves: a stack of [array, depth, index path].
  const stack: [unknown, number, string][] = [[value, 0, path]];
  while (stack.length > 0) {
    const [v, depth, at] = stack.pop()!;
    const n = dims[depth];
    if (!Array.isArray(v)) {
      if (v === undefined && depth === 0) inputError(path, `missing, expected an array of shape [${names.join('][')}]`);
      inputError(at, `expected an array of ${n} entries (${names[depth]}), got ${describeValue(v)}`);
    }
    if (v.length !== n) inputError(at, `expected ${n} entries (${names[depth]}), got ${v.length}`);
    if (depth === last) continue;
    for (let k = n - 1; k >= 0; k--) stack.push([v[k], depth + 1, `${at}[${k}]`]);
  }
}

/** The nested array of shape `dims` holding flat row-major `data` (the inverse of flattenNested). */
export function nestArray(data: ArrayLike<number>, dims: readonly number[]): unknown[] {
  let offset = 0;
  const build = (depth: number): unknown[] => {
    const n = dims[depth];
    const out = new Array<unknown>(n);
    if (depth === dims.length - 1) {
      for (let k = 0; k < n; k++) out[k] = data[offset++];
    } else {
      for (let k = 0; k < n; k++) out[k] = build(depth + 1);
    }
    return out;
  };
  return build(0);
}
