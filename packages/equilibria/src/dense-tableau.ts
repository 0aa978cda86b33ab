/**
 * A dense simplex engine on the compact ("condensed") tableau, written for the small LPs of equilibrium
 * computation (tens to a few hundred rows and columns), where a dense tableau beats sparse LU.
 *
 * Layout: rows r = 0..M-1 hold basic variables x_B(r) = t[r*W + n] - sum_k t[r*W + k] x_N(k)
 * (W = n + 1, nonbasic columns k = 0..n-1, right-hand side in column n); row M is the objective,
 * z = t[M*W + n] - sum_k t[M*W + k] x_N(k), i.e. it stores minus the reduced costs d_k of the
 * maximisation problem. All variables are >= 0 and identified by integer ids (basic[r], nonbasic[k]).
 * The basis is optimal when every t[r*W + n] >= 0 (primal feasible) and every t[M*W + k] >= 0 (dual feasible).
 *
 * Anti-cycling: the pricing rules are Dantzig's (primal) and steepest-edge-like (dual); after a run of
 * degenerate pivots the engine switches to Bland's smallest-index rule, which terminates (Bland 1977).
 * Callers usually also perturb the initial reduced costs (see `correlated-equilibrium.ts`).
 */

/** Result of a simplex run. */
export type SimplexStatus = 'optimal' | 'infeasible' | 'unbounded' | 'iteration-limit';

/** A reusable dense tableau workspace (see the file header for its layout). */
export interface DenseTableau {
  /** Number of constraint rows M in use. */
  rows: number;
  /** Number of nonbasic columns n in use. */
  cols: number;
  /** Row stride W = n + 1. */
  width: number;
  /** Tableau entries, (M + 1) * W in use. */
  readonly t: Float64Array;
  /** basic[r]: the variable id basic in row r. */
  readonly basic: Int32Array;
  /** nonbasic[k]: the variable id nonbasic in column k. */
  readonly nonbasic: Int32Array;
  /** Pivots performed since the last `resetTableau`. */
  pivots: number;
  /** Primal feasibility tolerance: a row is infeasible when its right-hand side is < -feasTol. */
  feasTol: number;
  /** Dual feasibility tolerance: a column improves the objective when its entry is < -optTol. */
  optTol: number;
  /** Smallest pivot magnitude accepted. */
  pivTol: number;
  /**
   * Rows whose right-hand side is in [-softTol * max(1, max_k |t[r][k]|), -feasTol) but have no usable pivot are
   * accepted as feasible by the dual simplex (their infeasibility is below what the data can resolve); callers
   * re-check the solution.
   */
  softTol: number;
  /**
   * softLimit[id]: how negative variable `id` may be left when the only pivots that would fix it are tiny (below
   * SMALL_PIVOT), in the caller's units; 0 (the default) disables this. Callers set it from what their certificate can
   * absorb and re-check the solution.
   */
  readonly softLimit: Float64Array;
  /** skip[r] = 1 marks such an accepted row during one dual simplex run. */
  readonly skip: Uint8Array;
  /** Workspace: column indices of the pivot row's nonzeros. */
  readonly nz: Int32Array;
}

/** A tableau workspace able to hold up to maxRows constraint rows, maxCols nonbasic columns and variable ids < maxVars. */
export function createDenseTableau(maxRows: number, maxCols: number, maxVars = maxRows + maxCols): DenseTableau {
  return {
    rows: 0,
    cols: 0,
    width: 1,
    t: new Float64Array((maxRows + 1) * (maxCols + 1)),
    basic: new Int32Array(Math.max(1, maxRows)),
    nonbasic: new Int32Array(Math.max(1, maxCols)),
    pivots: 0,
    feasTol: 1e-11,
    optTol: 1e-11,
    pivTol: 1e-9,
    softTol: 1e-11,
    softLimit: new Float64Array(Math.max(1, maxVars)),
    skip: new Uint8Array(Math.max(1, maxRows)),
    nz: new Int32Array(maxCols + 1),
  };
}

/** Sets the tableau's shape to M rows and n columns and zeroes the entries in use. */
export function resetTableau(tab: DenseTableau, M: number, n: number): void {
  tab.rows = M;
  tab.cols = n;
  tab.width = n + 1;
  tab.pivots = 0;
  tab.t.fill(0, 0, (M + 1) * (n + 1));
}

/**
 * Exchanges the basic variable of row r with the nonbasic variable of column q (pivot element p = t[r][q]):
 * row r becomes (row r)/p with 1/p in column q; every other row i becomes row i - t[i][q] * (new row r),
 * with -t[i][q]/p in column q. O((M + 1) * W).
 */
export function pivot(tab: DenseTableau, r: number, q: number): void {
  const { t, rows: M, width: W, nz } = tab;
  const pr = r * W;
  const inv = 1 / t[pr + q];
  // The pivot row's nonzeros, listed once: equilibrium tableaux stay sparse for many pivots.
  let cnt = 0;
  for (let k = 0; k < W; k++) {
    if (t[pr + k] !== 0) {
      t[pr + k] *= inv;
      nz[cnt++] = k;
    }
  }
  t[pr + q] = inv;
  for (let i = 0; i <= M; i++) {
    if (i === r) continue;
    const pi = i * W;
    const f = t[pi + q];
    if (f === 0) continue;
    for (let c = 0; c < cnt; c++) {
      const k = nz[c];
      t[pi + k] -= f * t[pr + k];
    }
    t[pi + q] = -f * inv;
  }
  const leaving = tab.basic[r];
  tab.basic[r] = tab.nonbasic[q];
  tab.nonbasic[q] = leaving;
  tab.pivots++;
}

/**
 * Rewrites the objective row for costs c (indexed by variable id, maximised) at the current basis:
 * t[M][k] = sum_r c[basic[r]] t[r][k] - c[nonbasic[k]], t[M][n] = sum_r c[basic[r]] t[r][n].
 */
export function setObjective(tab: DenseTableau, cost: Float64Array): void {
  const { t, rows: M, cols: n, width: W, basic, nonbasic } = tab;
  const po = M * W;
  for (let k = 0; k < n; k++) t[po + k] = -cost[nonbasic[k]];
  t[po + n] = 0;
  for (let r = 0; r < M; r++) {
    const c = cost[basic[r]];
    if (c === 0) continue;
    const pr = r * W;
    for (let k = 0; k <= n; k++) t[po + k] += c * t[pr + k];
  }
}

/** Pivots smaller than this (in a tableau scaled to O(1) data) are avoided when the row's softLimit allows. */
const SMALL_PIVOT = 1e-6;

/** Consecutive degenerate pivots after which Bland's rule takes over. */
const DEGENERATE_RUN = 40;

/**
 * Dual simplex from a dual-feasible basis (objective row >= -optTol): repeatedly picks the most infeasible row
 * (relative to its length)
 * and the entering column by the dual ratio test min_k t[M][k] / -t[r][k] over t[r][k] < 0 (Harris's two-pass
 * version, Harris 1973), until primal feasible.
 * Returns 'infeasible' when an infeasible row has no negative entry (the LP has no feasible point).
 * `blandFromStart` applies Bland's rule from the first pivot (slower, but never cycles).
 */
export function dualSimplex(tab: DenseTableau, maxIterations: number, blandFromStart = false): SimplexStatus {
  const { t, basic, nonbasic } = tab;
  const M = tab.rows;
  const n = tab.cols;
  const W = tab.width;
  const po = M * W;
  const feasTol = tab.feasTol;
  const optTol = tab.optTol;
  const pivTol = tab.pivTol;
  let bland = blandFromStart;
  let degenerateRun = 0;
  const skip = tab.skip;
  skip.fill(0, 0, M);
  for (let iter = 0; ; iter++) {
    let r = -1;
    let rId = 0x7fffffff;
    // Pricing: the largest infeasibility relative to the row's length, b_r^2 / (1 + ||t_r||^2) (the dual steepest-edge
    // weight of the condensed tableau row), which takes fewer pivots than the plain most negative b_r.
    let bestScore = 0;
    for (let i = 0; i < M; i++) {
      const b = t[i * W + n];
      if (b >= -feasTol || skip[i] === 1) continue;
      if (bland) {
        if (basic[i] < rId) {
          rId = basic[i];
          r = i;
        }
      } else {
        let nrm = 1;
        const pi = i * W;
        for (let k = 0; k < n; k++) nrm += t[pi + k] * t[pi + k];
        const score = (b * b) / nrm;
        if (score > bestScore) {
          bestScore = score;
          r = i;
        }
      }
    }
    if (r < 0) return 'optimal';
    if (iter >= maxIterations) return 'iteration-limit';
    const pr = r * W;
    let q = -1;
    let best = Infinity;
    if (bland) {
      // Exact minimum ratio, smallest variable id among ties (Bland's rule for the dual).
      for (let k = 0; k < n; k++) {
        const a = t[pr + k];
        if (a >= -pivTol) continue;
        const e = t[po + k] > 0 ? t[po + k] : 0;
        const ratio = e / -a;
        if (q < 0 || ratio < best - 1e-13 || (ratio <= best + 1e-13 && nonbasic[k] < nonbasic[q])) {
          if (q < 0 || ratio < best) best = ratio;
          q = k;
        }
      }
    } else {
      // Harris's two-pass ratio test: the largest step that keeps every reduced cost within optTol of feasibility,
      // then the largest pivot among the columns that block within it (avoids pivots on tiny elements).
      let bound = Infinity;
      for (let k = 0; k < n; k++) {
        const a = t[pr + k];
        if (a >= -pivTol) continue;
        const e = t[po + k] > 0 ? t[po + k] : 0;
        const ratio = (e + optTol) / -a;
        if (ratio < bound) bound = ratio;
      }
      let bestA = 0;
      for (let k = 0; k < n; k++) {
        const a = t[pr + k];
        if (a >= -pivTol) continue;
        const e = t[po + k] > 0 ? t[po + k] : 0;
        const ratio = e / -a;
        if (ratio <= bound && a < bestA) {
          bestA = a;
          best = ratio;
          q = k;
        }
      }
    }
    // A row that only tiny pivots can fix, and whose infeasibility the caller can absorb, is left as it is: the
    // pivot would move the solution far for a negligible gain and wreck the tableau's conditioning.
    if ((q < 0 || -t[pr + q] < SMALL_PIVOT) && t[pr + n] >= -tab.softLimit[basic[r]]) {
      skip[r] = 1;
      continue;
    }
    if (q < 0) {
      // No usable pivot: accept the row when its infeasibility is at the rounding level of its own entries.
      let rowMax = 1;
      for (let k = 0; k < n; k++) {
        const a = t[pr + k] < 0 ? -t[pr + k] : t[pr + k];
        if (a > rowMax) rowMax = a;
      }
      if (t[pr + n] >= -tab.softTol * rowMax) {
        skip[r] = 1;
        continue;
      }
      return 'infeasible';
    }
    if (best <= 1e-13) {
      if (++degenerateRun > DEGENERATE_RUN) bland = true;
    } else degenerateRun = 0;
    pivot(tab, r, q);
  }
}

/**
 * Primal simplex from a primal-feasible basis (right-hand sides >= -feasTol): Dantzig's most negative objective
 * entry enters, the minimum-ratio row leaves (Harris's two-pass test), Bland's rule after a degenerate run.
 * Returns 'unbounded' when an improving column has no positive entry; `blandFromStart` as in `dualSimplex`.
 */
export function primalSimplex(tab: DenseTableau, maxIterations: number, blandFromStart = false): SimplexStatus {
  const { t, basic, nonbasic } = tab;
  const M = tab.rows;
  const n = tab.cols;
  const W = tab.width;
  const po = M * W;
  const optTol = tab.optTol;
  const feasTol = tab.feasTol;
  const pivTol = tab.pivTol;
  let bland = blandFromStart;
  let degenerateRun = 0;
  for (let iter = 0; ; iter++) {
    let q = -1;
    let most = -optTol;
    for (let k = 0; k < n; k++) {
      const e = t[po + k];
      if (e >= -optTol) continue;
      if (bland) {
        if (q < 0 || nonbasic[k] < nonbasic[q]) q = k;
      } else if (e < most) {
        most = e;
        q = k;
      }
    }
    if (q < 0) return 'optimal';
    if (iter >= maxIterations) return 'iteration-limit';
    let r = -1;
    let best = Infinity;
    if (bland) {
      for (let i = 0; i < M; i++) {
        const a = t[i * W + q];
        if (a <= pivTol) continue;
        const b = t[i * W + n] > 0 ? t[i * W + n] : 0;
        const ratio = b / a;
        if (r < 0 || ratio < best - 1e-13 || (ratio <= best + 1e-13 && basic[i] < basic[r])) {
          if (r < 0 || ratio < best) best = ratio;
          r = i;
        }
      }
    } else {
      // Harris's two-pass ratio test (primal): bound the step by feasTol-relaxed ratios, then take the largest pivot.
      let bound = Infinity;
      for (let i = 0; i < M; i++) {
        const a = t[i * W + q];
        if (a <= pivTol) continue;
        const b = t[i * W + n] > 0 ? t[i * W + n] : 0;
        const ratio = (b + feasTol) / a;
        if (ratio < bound) bound = ratio;
      }
      let bestA = 0;
      for (let i = 0; i < M; i++) {
        const a = t[i * W + q];
        if (a <= pivTol) continue;
        const b = t[i * W + n] > 0 ? t[i * W + n] : 0;
        const ratio = b / a;
        if (ratio <= bound && a > bestA) {
          bestA = a;
          best = ratio;
          r = i;
        }
      }
    }
    if (r < 0) return 'unbounded';
    if (best <= 1e-13) {
      if (++degenerateRun > DEGENERATE_RUN) bland = true;
    } else degenerateRun = 0;
    pivot(tab, r, q);
  }
}
