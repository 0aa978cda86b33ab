/**
 * Reading JSON: a bounded file read (`readTextFile`), then a strict parse whose errors name the file and the
 * line, column and offset of the first problem: a syntax error, an object key given twice (JSON.parse would
 * keep the last one silently), or nesting deeper than MAX_NESTING_DEPTH. The scanner that finds them is
 * iterative (an explicit stack, no recursion), so no input, however deep, can overflow the call stack.
 */
import { inputError } from './drmg-error.ts';
import { MAX_NESTING_DEPTH } from './limits.ts';
import { readTextFile, type ReadTextFileOptions } from './read-text-file.ts';

/** Where a JSON text first goes wrong: offset, 1-based line and column, and what was expected. */
export interface JsonSyntaxProblem {
  readonly position: number;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/** A problem of a JSON text: a syntax error, a duplicate key, or too deep a nesting. */
export interface JsonProblem extends JsonSyntaxProblem {
  readonly kind: 'syntax' | 'duplicate-key' | 'depth';
}

/** Options of `findJsonProblem`. */
export interface JsonScanOptions {
  /** Refuse an object key given twice (default true). */
  readonly duplicateKeys?: boolean;
  /** Refuse nesting deeper than this many arrays and objects (default MAX_NESTING_DEPTH = 1,000). */
  readonly maxDepth?: number;
}

/** 1-based line and column of offset `at` of `text`. */
export function textLineColumn(text: string, at: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const n = Math.min(at, text.length);
  for (let k = text.indexOf('\n'); k >= 0 && k < n; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { line, column: at - lineStart + 1 };
}

class Stop {
  constructor(
    readonly at: number,
    readonly reason: string,
    readonly kind: JsonProblem['kind'],
  ) {}
}

const OBJECT = 1;
const ARRAY = 2;

/**
 * The first problem of a JSON text (RFC 8259) in reading order, or null when it is valid: a syntax error,
 * a key repeated in one object (unless `duplicateKeys: false`), or more than `maxDepth` levels of nesting.
 * Iterative, O(length of the text).
 */
export function findJsonProblem(text: string, options: JsonScanOptions = {}): JsonProblem | null {
  const checkKeys = options.duplicateKeys ?? true;
  const maxDepth = options.maxDepth ?? MAX_NESTING_DEPTH;
  const n = text.length;
  let pos = 0;
  const kinds: number[] = [];
  const keys: (Map<string, number> | null)[] = [];
  const seen = (): string => (pos >= n ? 'end of input' : JSON.stringify(text[pos]));
  const fail = (reason: string): never => {
    throw new Stop(pos, `unexpected ${seen()}, expected ${reason}`, 'syntax');
  };
  const ws = (): void => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else break;
    }
  };
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++, pos++) if (text[pos] !== word[k]) fail(`"${word}"`);
  };
  /** Scans a string from its opening quote; returns whether it held an escape. */
  const string = (): boolean => {
    pos++;
    let escaped = false;
    for (;;) {
      if (pos >= n) fail('a closing quote "');
      const c = text.charCodeAt(pos);
      if (c === 34) {
        pos++;
        return escaped;
      }
      if (c < 32) fail('a string character (control characters must be escaped)');
      if (c === 92) {
        escaped = true;
        pos++;
        const e = text[pos];
        if (e === 'u') {
          pos++;
          for (let k = 0; k < 4; k++, pos++) {
            const h = text.charCodeAt(pos);
            if (!((h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102))) fail('a hex digit in a \\u escape');
          }
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) pos++;
        else fail('an escape character (one of "\\/bfnrtu)');
      } else pos++;
    }
  };
  const digits = (what: string): void => {
    const start = pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c >= 48 && c <= 57) pos++;
      else break;
    }
    if (pos === start) fail(what);
  };
  const number = (): void => {
    if (text.charCodeAt(pos) === 45) pos++;
    if (text.charCodeAt(pos) === 48) pos++;
    else digits('a digit');
    if (text.charCodeAt(pos) === 46) {
      pos++;
      digits('a digit after the decimal point');
    }
    const e = text.charCodeAt(pos);
    if (e === 101 || e === 69) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 43 || sign === 45) pos++;
      digits('a digit in the exponent');
    }
  };
  /** Scans `"key" :` of the object on top of the stack, recording the key. */
  const key = (): void => {
    ws();
    if (text.charCodeAt(pos) !== 34) fail('a double-quoted property name');
    const start = pos;
    const escaped = string();
    if (checkKeys) {
      const name = escaped ? (JSON.parse(text.slice(start, pos)) as string) : text.slice(start + 1, pos - 1);
      const top = kinds.length - 1;
      let map = keys[top];
      if (map === null) map = keys[top] = new Map();
      const first = map.get(name);
      if (first !== undefined) {
        const { line, column } = textLineColumn(text, first);
        throw new Stop(start, `duplicate key ${JSON.stringify(name)} (first at line ${line}, column ${column}): each key of an object must be given once`, 'duplicate-key');
      }
      map.set(name, start);
    }
    ws();
    if (text.charCodeAt(pos) !== 58) fail('":" after a property name');
    pos++;
  };
  const open = (kind: number): void => {
    if (kinds.length >= maxDepth) {
      throw new Stop(pos, `nested deeper than ${maxDepth} levels of arrays and objects (the limit)`, 'depth');
    }
    kinds.push(kind);
    keys.push(null);
    pos++;
  };
  try {
    // Each turn scans one value, then closes every container it completes and steps past one separator.
    for (;;) {
      ws();
      const c = text.charCodeAt(pos);
      let scalar = true;
      if (c === 123) {
        open(OBJECT);
        ws();
        if (text.charCodeAt(pos) === 125) pos++;
        else {
          key();
          scalar = false;
        }
        if (scalar) {
          kinds.pop();
          keys.pop();
        }
      } else if (c === 91) {
        open(ARRAY);
        ws();
        if (text.charCodeAt(pos) === 93) {
          pos++;
          kinds.pop();
          keys.pop();
        } else scalar = false;
      } else if (c === 34) string();
      else if (c === 116) literal('true');
      else if (c === 102) literal('false');
      else if (c === 110) literal('null');
      else if (c === 45 || (c >= 48 && c <= 57)) number();
      else fail('a value');
      if (!scalar) continue; // the container's first value comes next
      // After a complete value: a separator, a closing bracket, or the end.
      let next = false;
      while (!next) {
        ws();
        const top = kinds.length - 1;
        if (top < 0) {
          if (pos < n) fail('end of input after the JSON value');
          return null;
        }
        const d = text.charCodeAt(pos);
        if (kinds[top] === OBJECT) {
          if (d === 44) {
            pos++;
            key();
            next = true;
          } else if (d === 125) {
            pos++;
            kinds.pop();
            keys.pop();
          } else fail('"," or "}" after a property value');
        } else if (d === 44) {
          pos++;
          next = true;
        } else if (d === 93) {
          pos++;
          kinds.pop();
          keys.pop();
        } else fail('"," or "]" after an array element');
      }
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const { line, column } = textLineColumn(text, e.at);
    return { kind: e.kind, position: e.at, line, column, reason: e.reason };
  }
}

/**
 * The first syntax error of a JSON text (RFC 8259), or null when it is valid JSON (duplicate keys and depth
 * are not checked here: see `findJsonProblem`). Iterative, so any depth is safe.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  const p = findJsonProblem(text, { duplicateKeys: false, maxDepth: Infinity });
  return p === null ? null : { position: p.position, line: p.line, column: p.column, reason: p.reason };
}

/** The message of a JSON problem, without the source: `invalid JSON at line 4, column 1 (offset 44): ...`. */
export function describeJsonProblem(p: JsonProblem): string {
  const where = `line ${p.line}, column ${p.column} (offset ${p.position})`;
  if (p.kind === 'duplicate-key') return `invalid JSON at ${where}: ${p.reason}`;
  if (p.kind === 'depth') return `JSON refused at ${where}: ${p.reason}`;
  return `invalid JSON at ${where}: ${p.reason}`;
}

/**
 * Parses a JSON text strictly: syntax, unique keys in every object, at most MAX_NESTING_DEPTH levels.
 * A leading byte-order mark is ignored.
 * @param source the name to put in front of error messages (a file name).
 * @throws DrmgError('input', source, ...) with the line, column and offset of the first problem.
 */
export function parseJsonText(text: string, source = 'JSON'): unknown {
  if (typeof text !== 'string') inputError(source, `expected a JSON text (a string), got ${typeof text}`);
  return parseStrict(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, source);
}

function parseStrict(body: string, source: string): unknown {
  const p = findJsonProblem(body);
  if (p !== null) inputError(source, describeJsonProblem(p));
  return JSON.parse(body) as unknown;
}

/**
 * Reads and parses a JSON file: bounded (see `readTextFile`), UTF-8, strict (see `parseJsonText`).
 * @throws DrmgError('input', path, ...) when the file is missing, unreadable, too large (the limit in the
 *   message), not UTF-8, or not valid JSON (with the line, column and offset of the first problem).
 */
export function readJsonFile(path: string, options: ReadTextFileOptions = {}): unknown {
  // readTextFile has dropped the file's byte-order mark; a second one is an error like any stray character.
  return parseStrict(readTextFile(path, { expected: 'a JSON file', ...options }), path);
}
