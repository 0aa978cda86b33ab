/**
 * The one way drmg reads a file (games, policies, compare configs): bounded and strict about encoding.
 *
 * - Size: at most `maxBytes` (default DEFAULT_MAX_FILE_BYTES = 256 MiB, or the environment variable
 *   DRMG_MAX_FILE_BYTES, which `--max-file-size` sets). A regular file is refused by its `stat` size before
 *   anything is read; anything else (a pipe, /dev/zero, a device) is read in chunks and refused as soon as it
 *   passes the limit, so an endless input stops there instead of filling memory.
 * - Encoding: UTF-8, with or without a byte-order mark. A UTF-16 byte-order mark, a NUL byte (never part of a
 *   JSON or YAML text: a binary file, UTF-16 without a mark, /dev/zero) or an invalid UTF-8 sequence is an
 *   input error at its byte offset, line and column (NUL is found while streaming, so /dev/zero stops at once).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { inputError } from './drmg-error.ts';
import { describeValue } from './input-checks.ts';
import { DEFAULT_MAX_FILE_BYTES, MAX_FILE_BYTES_LIMIT } from './limits.ts';

/** The environment variable that sets the size limit (bytes, or with a K, M or G suffix); `--max-file-size` sets it. */
export const MAX_FILE_BYTES_ENV = 'DRMG_MAX_FILE_BYTES';

/** Options of `readTextFile`. */
export interface ReadTextFileOptions {
  /** The size limit in bytes (default: `maxFileBytes()`). */
  readonly maxBytes?: number;
  /** What the file should be, for messages (default `a file`; `readJsonFile` says `a JSON file`). */
  readonly expected?: string;
}

const CHUNK = 1 << 20;

/** `n` bytes for messages: `268435456 bytes (256 MiB)`. */
export function formatBytes(n: number): string {
  const units: [number, string][] = [
    [2 ** 30, 'GiB'],
    [2 ** 20, 'MiB'],
    [2 ** 10, 'KiB'],
  ];
  for (const [u, name] of units) if (n >= u) return `${n} bytes (${Number((n / u).toPrecision(4))} ${name})`;
  return `${n} bytes`;
}

/**
 * Parses a size limit: an integer number of bytes, optionally with a binary suffix K, M or G (KiB, MiB, GiB;
 * case-insensitive), in [1, MAX_FILE_BYTES_LIMIT].
 * @throws DrmgError ('input', path) for anything else, saying what is allowed.
 * @example parseByteSize('512M', '--max-file-size') === 536870912
 */
export function parseByteSize(text: unknown, path: string): number {
  const m = typeof text === 'string' ? /^\s*(\d{1,16})\s*([kmg])?(?:i?b)?\s*$/i.exec(text) : null;
  const scale = m?.[2] === undefined ? 1 : 1024 ** ('kmg'.indexOf(m[2].toLowerCase()) + 1);
  const n = m === null ? NaN : Number(m[1]) * scale;
  if (!(n >= 1 && n <= MAX_FILE_BYTES_LIMIT)) {
    inputError(path, `expected a size in bytes from 1 to ${formatBytes(MAX_FILE_BYTES_LIMIT)} (Node's longest string), optionally with a suffix K, M or G, got ${describeValue(text)}`);
  }
  return n;
}

/**
 * The size limit in force: DRMG_MAX_FILE_BYTES when set, else DEFAULT_MAX_FILE_BYTES (256 MiB).
 * @throws DrmgError ('input', 'DRMG_MAX_FILE_BYTES') when the variable is set to something that is not a size.
 */
export function maxFileBytes(): number {
  const v = process.env[MAX_FILE_BYTES_ENV];
  return v === undefined || v === '' ? DEFAULT_MAX_FILE_BYTES : parseByteSize(v, MAX_FILE_BYTES_ENV);
}

/** 1-based line and column (in bytes) of byte `offset` of `buf`. */
function lineColumn(buf: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let k = 0; k < offset; k++) {
    if (buf[k] === 10) {
      line++;
      lineStart = k + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first byte of `buf` (from `start`) that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(buf: Uint8Array, start = 0): number {
  const n = buf.length;
  let k = start;
  while (k < n) {
    const b = buf[k];
    if (b < 0x80) {
      k++;
      continue;
    }
    let len: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      len = 3;
      if (b === 0xe0) lo = 0xa0; // no overlong forms
      if (b === 0xed) hi = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      len = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f; // <= U+10FFFF
    } else return k;
    if (k + len > n) return k;
    const b1 = buf[k + 1];
    if (b1 < lo || b1 > hi) return k;
    for (let t = 2; t < len; t++) if ((buf[k + t] & 0xc0) !== 0x80) return k;
    k += len;
  }
  return -1;
}

function openError(path: string, e: unknown, expected: string): never {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') inputError(path, 'file not found');
  if (code === 'EISDIR') inputError(path, `is a directory, expected ${expected}`);
  if (code === 'EACCES' || code === 'EPERM') inputError(path, 'permission denied');
  if (code === 'ENOTDIR') inputError(path, 'a part of the path is not a directory');
  if (code === 'ENAMETOOLONG') inputError(path, 'the file name is too long');
  if (code === 'ELOOP') inputError(path, 'too many symbolic links');
  inputError(path, `cannot read the file (${code ?? (e as Error).message})`);
}

function tooLarge(path: string, size: string, limit: number): never {
  return inputError(path, `too large: ${size}, more than the size limit of ${formatBytes(limit)}; raise it with --max-file-size (or ${MAX_FILE_BYTES_ENV}) if the file is meant to be that large`);
}

/** Waits about `ms` milliseconds without a busy loop (a non-blocking descriptor with no data yet). */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Reads the whole of a UTF-8 text file, bounded (see the file header); a byte-order mark is dropped.
 * @throws DrmgError ('input', path, ...) when the file is missing, unreadable, a directory, larger than the
 *   limit (the limit in the message), or not UTF-8 text (with the byte offset, line and column).
 * @example readTextFile('game.json', { maxBytes: 1 << 20 })
 */
export function readTextFile(path: string, options: ReadTextFileOptions = {}): string {
  if (typeof path !== 'string' || path === '') inputError('path', `expected a file name, got ${describeValue(path)}`);
  const limit = options.maxBytes === undefined ? maxFileBytes() : options.maxBytes;
  if (!(Number.isSafeInteger(limit) && limit >= 1 && limit <= MAX_FILE_BYTES_LIMIT)) {
    inputError('maxBytes', `expected an integer from 1 to ${MAX_FILE_BYTES_LIMIT}, got ${describeValue(limit)}`);
  }
  const expected = options.expected ?? 'a file';
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    return openError(path, e, expected);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) inputError(path, `is a directory, expected ${expected}`);
    if (st.isFile() && st.size > limit) tooLarge(path, `${formatBytes(st.size)}`, limit);
    let idle = 0;
    for (;;) {
      const want = Math.min(CHUNK, limit + 1 - total);
      const chunk = Buffer.allocUnsafe(want);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, want, null);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' && idle < 60_000) {
          idle++;
          pause(1);
          continue;
        }
        if (code === 'EISDIR') inputError(path, `is a directory, expected ${expected}`);
        inputError(path, `cannot read the file (${code ?? (e as Error).message})`);
      }
      if (n === 0) break;
      idle = 0;
      const got = n === want ? chunk : chunk.subarray(0, n);
      if (total === 0 && n >= 2 && ((got[0] === 0xfe && got[1] === 0xff) || (got[0] === 0xff && got[1] === 0xfe))) {
        inputError(path, 'encoded as UTF-16 (it starts with a UTF-16 byte-order mark); expected UTF-8: save it as UTF-8');
      }
      const nul = got.indexOf(0);
      if (nul >= 0) {
        const whole = Buffer.concat([...chunks, got]);
        const at = total + nul;
        const { line, column } = lineColumn(whole, at);
        inputError(path, `not a UTF-8 text file: a NUL byte at offset ${at} (line ${line}, column ${column}); a binary file, or UTF-16 without a byte-order mark? expected UTF-8 text`);
      }
      chunks.push(got);
      total += n;
      if (total > limit) tooLarge(path, `more than ${formatBytes(limit)} read (not a regular file, so its size was unknown)`, limit);
    }
  } finally {
    closeSync(fd);
  }
  const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
  const start = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  if (!isUtf8(start === 0 ? buf : buf.subarray(start))) {
    const at = firstInvalidUtf8(buf, start);
    const { line, column } = lineColumn(buf, Math.max(at, 0));
    inputError(path, `not valid UTF-8 at offset ${at} (line ${line}, column ${column}): byte 0x${(buf[at] ?? 0).toString(16).padStart(2, '0')}; expected a UTF-8 text file`);
  }
  return buf.toString('utf8', start);
}
