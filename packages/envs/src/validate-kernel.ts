/** Structural checks of a CSR kernel against a game's sizes (rows, next states, probabilities). */
import { inputError, isStateIndexArray, stateIndexArray, type Kernel, describeValue } from '@drmg/core';

/** `path[h][s][j]` for kernel row r = (h*S + s)*J + j. */
function rowName(path: string, r: number, S: number, J: number): string {
  return `${path}[${Math.floor(r / (S * J))}][${Math.floor(r / J) % S}][${r % J}]`;
}

/**
 * The first problem of `kernel` as a kernel for sizes (H, S, J), or null: rowStart has H*S*J + 1
 * non-decreasing offsets from 0, next states are integers in [0, S) strictly increasing in a row,
 * probabilities are finite and > 0, and every row r = (h*S + s)*J + j sums to 1 within `tol`.
 */
export function kernelProblem(kernel: Kernel, H: number, S: number, J: number, tol = 1e-9): string | null {
  const rows = H * S * J;
  const { rowStart, next, prob } = kernel;
  if (!(rowStart instanceof Int32Array) || !isStateIndexArray(next) || !(prob instanceof Float64Array)) {
    return 'expected a CSR kernel { rowStart: Int32Array, next: Uint16Array or Int32Array, prob: Float64Array }';
  }
  if (rowStart.length !== rows + 1) return `rowStart has ${rowStart.length} entries, expected H*S*J + 1 = ${rows + 1}`;
  if (rowStart[0] !== 0 || rowStart[rows] !== next.length || next.length !== prob.length) {
    return `rowStart must run from 0 to the number of entries (${next.length}), and next/prob must have equal lengths`;
  }
  for (let r = 0; r < rows; r++) {
    const a = rowStart[r];
    const b = rowStart[r + 1];
    const j = r % J;
    const s = Math.floor(r / J) % S;
    const h = Math.floor(r / (J * S));
    const where = `[${h}][${s}][${j}]`;
    if (b <= a) return `${where}: empty row, expected a distribution over next states`;
    let sum = 0;
    for (let k = a; k < b; k++) {
      const sp = next[k];
      const p = prob[k];
      if (sp < 0 || sp >= S || (k > a && sp <= next[k - 1])) return `${where}: next states must be strictly increasing in [0, ${S - 1}], got ${sp}`;
      if (!Number.isFinite(p) || p <= 0) return `${where}[${sp}]: probability ${p}, expected a finite number > 0`;
      sum += p;
    }
    if (Math.abs(sum - 1) > tol) return `${where}: row sums to ${sum}, expected 1`;
  }
  return null;
}

/**
 * Throws unless `kernel` is a valid CSR kernel for sizes (H, S, J) (see `kernelProblem`).
 * @throws DrmgError at `path` naming the row (h, s, j) and what was expected.
 */
export function validateKernel(kernel: Kernel, H: number, S: number, J: number, path = 'kernel'): void {
  const problem = kernelProblem(kernel, H, S, J);
  if (problem !== null) inputError(path, problem);
}

/**
 * A CSR kernel from either a CSR kernel (validated, returned as is) or a dense array
 * P[((h*S + s)*J + j)*S + sp] (entries finite and >= 0, rows summing to 1 within 1e-9; zeros dropped,
 * rows renormalised to sum to exactly 1).
 * @throws DrmgError at `path[h][s][j]` for a bad entry or row.
 */
export function toKernel(kernel: Kernel | ArrayLike<number>, H: number, S: number, J: number, path = 'kernel'): Kernel {
  if (typeof kernel === 'object' && kernel !== null && 'rowStart' in kernel) {
    validateKernel(kernel, H, S, J, path);
    return kernel;
  }
  const rows = H * S * J;
  const P = kernel as ArrayLike<number>;
  if (P === null || typeof P !== 'object' || P.length !== rows * S) {
    inputError(path, `expected a CSR kernel or a dense array of H*S*J*S = ${rows * S} numbers, got ${P && typeof P === 'object' ? `${P.length} numbers` : JSON.stringify(P)}`);
  }
  let nnz = 0;
  for (let k = 0; k < P.length; k++) if (P[k] > 0) nnz++;
  const rowStart = new Int32Array(rows + 1);
  const next = stateIndexArray(S, nnz);
  const prob = new Float64Array(nnz);
  let c = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = c;
    let sum = 0;
    for (let sp = 0; sp < S; sp++) {
      const x = P[r * S + sp];
      if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) inputError(`${rowName(path, r, S, J)}[${sp}]`, `expected a probability >= 0, got ${describeValue(x)}`);
      if (x > 0) {
        next[c] = sp;
        prob[c++] = x;
        sum += x;
      }
    }
    if (Math.abs(sum - 1) > 1e-9) inputError(rowName(path, r, S, J), `row sums to ${sum}, expected 1`);
    for (let k = rowStart[r]; k < c; k++) prob[k] /= sum;
  }
  rowStart[rows] = c;
  return { rowStart, next, prob };
}
