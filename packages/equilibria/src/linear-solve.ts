/**
 * Small dense linear systems M z = r by Gaussian elimination with partial pivoting.
 * Layout: M[row*n + col], row-major; M and r are overwritten (LU in place), the solution goes to `out`.
 */

/**
 * Solves M z = r for an n x n matrix in place; returns false when a pivot is below `tol` times the largest entry
 * of M (numerically singular), leaving `out` unspecified.
 */
export function solveLinearSystem(n: number, M: Float64Array, r: Float64Array, out: Float64Array, tol = 1e-12): boolean {
  let norm = 0;
  for (let k = 0; k < n * n; k++) {
    const a = Math.abs(M[k]);
    if (a > norm) norm = a;
  }
  if (norm === 0) return n === 0;
  const eps = tol * norm;
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(M[c * n + c]);
    for (let i = c + 1; i < n; i++) {
      const a = Math.abs(M[i * n + c]);
      if (a > best) {
        best = a;
        p = i;
      }
    }
    if (best <= eps) return false;
    if (p !== c) {
      for (let k = c; k < n; k++) {
        const tmp = M[c * n + k];
        M[c * n + k] = M[p * n + k];
        M[p * n + k] = tmp;
      }
      const tmp = r[c];
      r[c] = r[p];
      r[p] = tmp;
    }
    const inv = 1 / M[c * n + c];
    for (let i = c + 1; i < n; i++) {
      const f = M[i * n + c] * inv;
      if (f === 0) continue;
      for (let k = c + 1; k < n; k++) M[i * n + k] -= f * M[c * n + k];
      r[i] -= f * r[c];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = r[i];
    for (let k = i + 1; k < n; k++) s -= M[i * n + k] * out[k];
    out[i] = s / M[i * n + i];
  }
  return true;
}

/**
 * LU factorisation with partial pivoting in place (M = P^-1 L U, unit-diagonal L below, U on and above the diagonal),
 * for repeated solves with `luSolve`; returns false when a pivot is below `tol` times the largest entry.
 */
export function luFactor(n: number, M: Float64Array, perm: Int32Array, tol = 1e-14): boolean {
  let norm = 0;
  for (let k = 0; k < n * n; k++) {
    const a = Math.abs(M[k]);
    if (a > norm) norm = a;
  }
  if (norm === 0) return n === 0;
  const eps = tol * norm;
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.abs(M[c * n + c]);
    for (let i = c + 1; i < n; i++) {
      const a = Math.abs(M[i * n + c]);
      if (a > best) {
        best = a;
        p = i;
      }
    }
    if (best <= eps) return false;
    if (p !== c) {
      for (let k = 0; k < n; k++) {
        const tmp = M[c * n + k];
        M[c * n + k] = M[p * n + k];
        M[p * n + k] = tmp;
      }
      const tp = perm[c];
      perm[c] = perm[p];
      perm[p] = tp;
    }
    const inv = 1 / M[c * n + c];
    for (let i = c + 1; i < n; i++) {
      const f = M[i * n + c] * inv;
      M[i * n + c] = f;
      if (f === 0) continue;
      for (let k = c + 1; k < n; k++) M[i * n + k] -= f * M[c * n + k];
    }
  }
  return true;
}

/** Solves M z = r with the factors of `luFactor` (r is read through the row permutation; out may not alias r). */
export function luSolve(n: number, LU: Float64Array, perm: Int32Array, r: ArrayLike<number>, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = r[perm[i]];
    for (let k = 0; k < i; k++) s -= LU[i * n + k] * out[k];
    out[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i];
    for (let k = i + 1; k < n; k++) s -= LU[i * n + k] * out[k];
    out[i] = s / LU[i * n + i];
  }
}
