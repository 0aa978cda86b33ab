/**
 * Lexicographic enumeration of k-subsets of {0..n-1} held in an Int32Array (no allocation per step).
 */

/** Sets idx[0..k) to the first k-subset {0, 1, ..., k-1}. */
export function firstCombination(idx: Int32Array, k: number): void {
  for (let i = 0; i < k; i++) idx[i] = i;
}

/** Advances idx[0..k) to the next k-subset of {0..n-1} in lexicographic order; false after the last one. */
export function nextCombination(idx: Int32Array, k: number, n: number): boolean {
  let i = k - 1;
  while (i >= 0 && idx[i] === n - k + i) i--;
  if (i < 0) return false;
  idx[i]++;
  for (let l = i + 1; l < k; l++) idx[l] = idx[l - 1] + 1;
  return true;
}
