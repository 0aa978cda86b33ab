/**
 * Walker's alias tables for every row of a CSR kernel (Vose's construction), so that drawing a
 * next state costs one uniform draw and one memory access:
 *   x = u * n (n entries in row r), k = floor(x); s' = x - k < T[3(a+k)] ? T[3(a+k)+1] : T[3(a+k)+2]
 * with a = rowStart[r]. Layout: T[3k] threshold in [0, 1], T[3k+1] the entry's own next state,
 * T[3k+2] its alias's next state (interleaved so that one draw touches one cache line).
 * Row r's outcome sp then has probability sum_k ([own_k = sp] T_k + [alias_k = sp] (1 - T_k)) / n = P_r(sp).
 */
import type { Kernel } from '@drmg/core';

/** The interleaved alias table T (length 3 * nnz) of `kernel` (see the file header). */
export function buildAliasTable(kernel: Kernel): Float64Array {
  const { rowStart, next, prob } = kernel;
  const rows = rowStart.length - 1;
  const table = new Float64Array(3 * prob.length);
  let width = 1;
  for (let r = 0; r < rows; r++) width = Math.max(width, rowStart[r + 1] - rowStart[r]);
  const small = new Int32Array(width);
  const large = new Int32Array(width);
  const scaled = new Float64Array(width);
  for (let r = 0; r < rows; r++) {
    const a = rowStart[r];
    const n = rowStart[r + 1] - a;
    let ns = 0;
    let nl = 0;
    for (let k = 0; k < n; k++) {
      scaled[k] = prob[a + k] * n;
      if (scaled[k] < 1) small[ns++] = k;
      else large[nl++] = k;
    }
    while (ns > 0 && nl > 0) {
      const l = small[--ns];
      const g = large[nl - 1];
      const b = 3 * (a + l);
      table[b] = scaled[l];
      table[b + 1] = next[a + l];
      table[b + 2] = next[a + g];
      scaled[g] = scaled[g] + scaled[l] - 1;
      if (scaled[g] < 1) {
        nl--;
        small[ns++] = g;
      }
    }
    // Leftovers are 1 up to rounding: they keep their own state.
    while (nl > 0) {
      const g = large[--nl];
      table[3 * (a + g)] = 1;
      table[3 * (a + g) + 1] = next[a + g];
      table[3 * (a + g) + 2] = next[a + g];
    }
    while (ns > 0) {
      const l = small[--ns];
      table[3 * (a + l)] = 1;
      table[3 * (a + l) + 1] = next[a + l];
      table[3 * (a + l) + 2] = next[a + l];
    }
  }
  return table;
}
