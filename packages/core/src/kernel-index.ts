/**
 * The element type of a CSR kernel's `next` array (see `tabular-game.ts`): next states are < S, so a game of at
 * most 65,536 states stores them as 16-bit words (a quarter of the 8 bytes of each entry's probability, instead of
 * half with 32-bit words), larger games as 32-bit words. Every builder of a kernel allocates `next` with
 * `stateIndexArray(S, n)`, so that in practice all kernels of a process share one element type and the loops
 * that read `next[k]` (robust expectations, the guard's checksums, samplers) see only that one.
 */
import { inputError } from './drmg-error.ts';
import { describeValue } from './input-checks.ts';

/** The next states of a CSR kernel: Uint16Array when S <= 65,536 (what `stateIndexArray` allocates), else Int32Array. */
export type StateIndexArray = Uint16Array | Int32Array;

/** The most states whose indices (0 .. S-1) fit a Uint16Array. */
const UINT16_STATES = 65536;

/**
 * A zeroed array for `length` next states of a game with S states: a Uint16Array when S <= 65,536, else an
 * Int32Array. Given an array of values instead of a length, a copy of them in that type (values must lie in [0, S)).
 * @throws DrmgError('input', 'S') when S is not a positive integer.
 * @example stateIndexArray(200, 12) instanceof Uint16Array // true; stateIndexArray(70_000, 12) is an Int32Array
 */
export function stateIndexArray(S: number, length: number | ArrayLike<number>): StateIndexArray {
  if (!Number.isSafeInteger(S) || S < 1) inputError('S', `expected a positive integer number of states, got ${describeValue(S)}`);
  if (typeof length === 'number') return S <= UINT16_STATES ? new Uint16Array(length) : new Int32Array(length);
  return S <= UINT16_STATES ? Uint16Array.from(length) : Int32Array.from(length);
}

/**
 * Whether `x` is a Uint16Array or an Int32Array, the two element types of a kernel's `next` (whatever its length
 * or values; those are checked where a kernel is validated).
 * @example isStateIndexArray(new Uint16Array(3)) // true; isStateIndexArray([0, 1]) // false
 */
export function isStateIndexArray(x: unknown): x is StateIndexArray {
  return x instanceof Uint16Array || x instanceof Int32Array;
}
