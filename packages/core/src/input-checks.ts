/**
 * Small shared helpers for validating caller input: value descriptions for messages, size limits,
 * and exact row renormalisation. Used by the game and policy constructors and the JSON readers.
 */
import { inputError } from './drmg-error.ts';

/** Absolute tolerance for a distribution's sum: |sum - 1| <= 1e-9 (formats.md). */
export const SUM_TOLERANCE = 1e-9;

/**
 * Largest number of entries drmg allocates for one dense array (2^27 = 134,217,728 doubles, 1 GiB):
 * the dense kernel H*S*J*S, the reward table H*S*J*m, a joint policy H*S*J.
 */
export const MAX_DENSE_ENTRIES = 2 ** 27;

/**
 * A short description of an offending value for an error message: numbers as written (NaN, Infinity
 * included), strings quoted, arrays and objects abbreviated.
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (v === undefined) return 'nothing (missing)';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length} entries`;
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v);
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'function') return 'a function';
  return String(v);
}

/** A number for messages: 12 significant digits, so a sum of 0.93 reads `0.93`, not `0.9300000000000002`. */
export function formatNumber(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(12))) : String(x);
}

/** Throws unless `x` is a positive integer (a size such as `states` or `horizon`). */
export function checkPositiveInteger(x: unknown, path: string): number {
  if (typeof x !== 'number' || !Number.isInteger(x) || x < 1) inputError(path, `expected a positive integer, got ${describeValue(x)}`);
  return x;
}

/**
 * Checks an `actions` array (non-empty, positive integers) and returns J = prod A[i] as a float, so
 * that sizes can be checked before jointActionLayout allocates its J*m decode table.
 */
export function checkActionCounts(A: unknown, path: string): number {
  if (!Array.isArray(A) || A.length === 0) inputError(path, `expected a non-empty array of action counts, got ${describeValue(A)}`);
  let J = 1;
  for (let i = 0; i < A.length; i++) {
    const a = A[i] as unknown;
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 1) inputError(`${path}[${i}]`, `expected a positive integer, got ${describeValue(a)}`);
    J *= a;
  }
  return J;
}

/**
 * Throws unless `count` entries of a dense array fit under MAX_DENSE_ENTRIES; `what` names the product
 * (e.g. `H*S*J*S`). Called before anything of that size is allocated.
 */
export function checkDenseSize(count: number, what: string, path: string): void {
  if (!(count <= MAX_DENSE_ENTRIES)) {
    inputError(path, `too large: ${what} = ${count} entries exceeds the limit of 2^27 = ${MAX_DENSE_ENTRIES} dense entries (1 GiB of doubles)`);
  }
}

/** The spacing of doubles at |x| (x > 0 normal): 2^(floor(log2 x) - 52). */
function ulp(x: number): number {
  return 2 ** (Math.floor(Math.log2(x)) - 52);
}

/**
 * Renormalises p[start..end) in place so that its left-to-right floating-point sum is exactly 1: divides
 * by the sum unless it is already within rounding of 1, then absorbs the rounding residue (of order 1e-16)
 * in the last nonzero entry, or else in the largest one (left as is in the rare case neither reaches exactly 1). Idempotent: a row
 * that went through it once is left untouched, so write-then-read round trips are exact.
 * The caller has checked that the entries are >= 0 and sum to 1 within SUM_TOLERANCE.
 */
export function normaliseSlice(p: Float64Array, start: number, end: number): void {
  let sum = 0;
  for (let k = start; k < end; k++) sum += p[k];
  if (sum === 1) return;
  const n = end - start;
  // Within rounding of 1 (n additions of relative error 2^-53 each): do not divide, only nudge.
  if (Math.abs(sum - 1) > (n + 2) * 2 ** -52) {
    for (let k = start; k < end; k++) p[k] /= sum;
  }
  // Set the last nonzero entry to 1 - (sum of the entries before it): the zeros after it add
  // exactly, and the final addition rounds to exactly 1 (Sterbenz when the partial sum is >= 0.5;
  // otherwise the error is at most half an ulp of 1). Taken only when it moves the entry by rounding
  // noise and keeps it positive.
  let kLast = end - 1;
  while (kLast > start && p[kLast] === 0) kLast--;
  let partial = 0;
  for (let k = start; k < kLast; k++) partial += p[k];
  const last = p[kLast];
  const candidate = 1 - partial;
  if (candidate > 0 && Math.abs(candidate - last) <= (n + 2) * 2 ** -52) {
    p[kLast] = candidate;
    sum = 0;
    for (let k = start; k < end; k++) sum += p[k];
    if (sum === 1) return;
    p[kLast] = last;
  }
  let kMax = start;
  for (let k = start + 1; k < end; k++) if (p[k] > p[kMax]) kMax = k;
  const original = p[kMax];
  for (let pass = 0; pass < 8; pass++) {
    sum = 0;
    for (let k = start; k < end; k++) sum += p[k];
    if (sum === 1) return;
    const x = p[kMax];
    let y = x + (1 - sum);
    if (y === x) y = sum < 1 ? x + ulp(x) : x - ulp(x);
    p[kMax] = y;
  }
  sum = 0;
  for (let k = start; k < end; k++) sum += p[k];
  if (sum !== 1) p[kMax] = original;
}

/** Throws an input DrmgError at `path` unless `x` is a non-null object (`what` says which, e.g. `a TabularGame`). */
export function checkObject(x: unknown, path: string, what: string): asserts x is object {
  if (x === null || typeof x !== 'object') inputError(path, `expected ${what}, got ${describeValue(x)}`);
}

/** Throws an input DrmgError at `path` unless `x` is a function (`what` describes its signature). */
export function checkFunction(x: unknown, path: string, what: string): asserts x is (...args: never[]) => unknown {
  if (typeof x !== 'function') inputError(path, `expected ${what}, got ${describeValue(x)}`);
}

/** Throws unless `sizes` holds positive integer H, S and J (a game, or a simulator's spec) whose table H*S*J fits. */
export function checkPolicySizes(sizes: unknown, path: string): void {
  checkObject(sizes, path, 'a game (or sizes {H, S, J})');
  const { H, S, J } = sizes as { H?: unknown; S?: unknown; J?: unknown };
  checkPositiveInteger(H, `${path}.H`);
  checkPositiveInteger(S, `${path}.S`);
  checkPositiveInteger(J, `${path}.J`);
  checkDenseSize((H as number) * (S as number) * (J as number), 'H*S*J', path);
}

/** Whether `x` is a finite JavaScript number. */
export function isFiniteNumber(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}

/** Plain decimal notation of a number (`0.25`, `-1`, `1e-3`, `.5`): no hexadecimal, binary, octal, `Infinity` or blanks. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A finite number written in plain decimal notation, or undefined for anything else (`0x1`, `0b1`, `''`,
 * ` 1`, `Infinity`, `1e400`), which Number() would read silently.
 * @example parseDecimal('0.25') === 0.25; parseDecimal('0x1') === undefined
 */
export function parseDecimal(text: string): number | undefined {
  if (typeof text !== 'string' || !DECIMAL.test(text)) return undefined;
  const x = Number(text);
  return Number.isFinite(x) ? x : undefined;
}
