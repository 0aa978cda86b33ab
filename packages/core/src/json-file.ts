/**
 * Reading JSON files with input errors that name the file and, for bad JSON, the line and column.
 */
import { readFileSync } from 'node:fs';
import { DrmgError, inputError } from './drmg-error.ts';

/** Where a JSON text first goes wrong: offset, 1-based line and column, and what was expected. */
export interface JsonSyntaxProblem {
  readonly position: number;
  readonly line: number;
  readonly column: number;
  readonly reason: string;
}

/**
 * Finds the first syntax error of a JSON text (RFC 8259) with a small recursive-descent scanner;
 * null when the text is valid JSON. Used to report a position when JSON.parse fails.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | null {
  let pos = 0;
  const n = text.length;
  class Stop {
    constructor(readonly at: number, readonly reason: string) {}
  }
  const seen = (): string => (pos >= n ? 'end of input' : JSON.stringify(text[pos]));
  const fail = (reason: string): never => {
    throw new Stop(pos, `unexpected ${seen()}, expected ${reason}`);
  };
  const ws = (): void => {
    while (pos < n) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) pos++;
      else break;
    }
  };
  const literal = (word: string): void => {
    for (let k = 0; k < word.length; k++, pos++) if (text[pos] !== word[k]) fail(`"${word}"`);
  };
  const string = (): void => {
    pos++; // opening quote
    for (;;) {
      if (pos >= n) fail('a closing quote "');
      const c = text.charCodeAt(pos);
      if (c === 34) {
        pos++;
        return;
      }
      if (c < 32) fail('a string character (control characters must be escaped)');
      if (c === 92) {
        pos++;
        const e = text[pos];
        if (e === 'u') {
          pos++;
          for (let k = 0; k < 4; k++, pos++) if (!/[0-9a-fA-F]/.test(text[pos] ?? '')) fail('a hex digit in a \\u escape');
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) pos++;
        else fail('an escape character (one of "\\/bfnrtu)');
      } else pos++;
    }
  };
  const digits = (what: string): void => {
    const start = pos;
    while (pos < n && text.charCodeAt(pos) >= 48 && text.charCodeAt(pos) <= 57) pos++;
    if (pos === start) fail(what);
  };
  const number = (): void => {
    if (text[pos] === '-') pos++;
    if (text[pos] === '0') pos++;
    else digits('a digit');
    if (text[pos] === '.') {
      pos++;
      digits('a digit after the decimal point');
    }
    if (text[pos] === 'e' || text[pos] === 'E') {
      pos++;
      if (text[pos] === '+' || text[pos] === '-') pos++;
      digits('a digit in the exponent');
    }
  };
  const value = (): void => {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos++;
      ws();
      if (text[pos] === '}') {
        pos++;
        return;
      }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('a double-quoted property name');
        string();
        ws();
        if (text[pos] !== ':') fail('":" after a property name');
        pos++;
        value();
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return;
        }
        fail('"," or "}" after a property value');
      }
    } else if (c === '[') {
      pos++;
      ws();
      if (text[pos] === ']') {
        pos++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return;
        }
        fail('"," or "]" after an array element');
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) number();
    else fail('a value');
  };
  try {
    value();
    ws();
    if (pos < n) fail('end of input after the JSON value');
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    let line = 1;
    let lineStart = 0;
    for (let k = 0; k < e.at && k < n; k++) {
      if (text.charCodeAt(k) === 10) {
        line++;
        lineStart = k + 1;
      }
    }
    return { position: e.at, line, column: e.at - lineStart + 1, reason: e.reason };
  }
}

/**
 * Reads and parses a JSON file.
 * @throws DrmgError('input', path, ...) when the file is missing or unreadable, or is not valid JSON
 *   (with the line, column and offset of the first error).
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') inputError(path, 'file not found');
    if (code === 'EISDIR') inputError(path, 'is a directory, expected a JSON file');
    if (code === 'EACCES') inputError(path, 'permission denied');
    throw new DrmgError('input', path, `cannot read the file (${code ?? (e as Error).message})`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const where = findJsonSyntaxError(text);
    if (where !== null) {
      inputError(path, `invalid JSON at line ${where.line}, column ${where.column} (offset ${where.position}): ${where.reason}`);
    }
    return inputError(path, `invalid JSON: ${(e as Error).message}`);
  }
}
