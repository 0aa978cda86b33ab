/**
 * Coarse correlated (CCE) and correlated (CE) equilibria of normal-form games by linear programming,
 * with a dense dual simplex of our own (the fast path of the paper's EQUILIBRIUM subroutine, eq. 7).
 *
 * The LP over the joint distribution x (J variables):
 *   maximise  c^T x   subject to   sum_j x_j = 1,   G x <= 0 (incentive rows, see `incentive-rows.ts`),   x >= 0,
 * with c the selection objective. Its dual is  min t  s.t.  t + (G^T y)_j >= c_j, y >= 0, and y = 0,
 * t = max_j c_j is dual feasible: the basis {x_{j*}} + all slacks, j* the best single joint action, is a
 * dual-feasible start, so the dual simplex needs no phase 1. Stage 1 runs it with the initial reduced costs
 * perturbed by tiny fixed amounts (dual degeneracy is the rule here: in zero-sum games every reduced cost is 0);
 * stage 2 restores the true objective and finishes with the primal simplex (for 'max-min', whose start vertex is
 * highly primal degenerate, with perturbed right-hand sides, then a refactorisation and a dual-simplex clean-up).
 * A run of degenerate pivots switches either stage to Bland's rule.
 *
 * Numerics: payoffs are scaled by 1/max|U|; incentive coefficients below tolerance/10 (payoff units) are snapped to
 * 0 (moving the gap by at most that) and every row is scaled to max |G_kj| = 1; ratio tests are Harris's two-pass;
 * a row that only tiny pivots could fix and whose violation the certificate can absorb is left alone. The
 * distribution is always certified from the original payoffs. If the gap exceeds the tolerance, the basis is
 * refactorised from the data and re-optimised; if that fails, two more attempts follow (a larger perturbation and
 * pivot tolerance; Bland's rule with tight tolerances), then HiGHS if `fallback` is given; otherwise the best
 * distribution is returned with status 'inaccurate' (or 'failed'). Two-player constant-sum games take the minimax
 * LP shortcut (every CCE / CE then pays the value, so all selections tie).
 * Measured: no failure in 120,000 solves of random games with payoffs at 1e-6 resolution, nor in the HiGHS
 * cross-check; on adversarial near-ties (integer payoffs plus 1e-3..1e-10 noise, so incentive coefficients span 7+
 * orders of magnitude) about 1 CE solve in 1,000 (welfare; 1 in 400 for max-min, under 1 in 1,500 for CCE) ends
 * 'inaccurate' or 'failed' (HiGHS itself fails on some of these).
 *
 * Tableau layout (see `dense-tableau.ts`): row 0 is sum_j x_j = 1 (basic x_{j*} initially), rows 1..R the
 * incentive rows (basic slack J + row), rows R+1..R+m the max-min rows t' <= u_i(x) - Umin (selection 'max-min');
 * variable ids: x_j = j, t' = J, the slack of tableau row r = J + r.
 */
import { jointActionLayout, inputError, DrmgError } from '@drmg/core';
import type { JointActionLayout } from '@drmg/core';
import type { Highs } from 'highs';
import { createCertifier, createCertificate } from './certify.ts';
import type { Certificate } from './certify.ts';
import { createDenseTableau, resetTableau, dualSimplex, primalSimplex, setObjective } from './dense-tableau.ts';
import { incentiveRows, incentiveRow } from './incentive-rows.ts';
import { luFactor, luSolve } from './linear-solve.ts';
import type { CorrelatedKind } from './incentive-rows.ts';
import { createHighsCorrelatedSolver } from './highs-correlated-solver.ts';
import { createZeroSumSolver, constantSumSpread } from './zero-sum.ts';
import type { ZeroSumSolver } from './zero-sum.ts';
import type { HighsCorrelatedSolver } from './highs-correlated-solver.ts';
import type { EquilibriumResult, EquilibriumSelection } from './equilibrium-result.ts';

/** Options of the CCE / CE solvers. */
export interface CorrelatedSolverOptions {
  /** Selection rule among equilibria (default 'welfare'). */
  readonly selection?: EquilibriumSelection;
  /** Largest acceptable gap for status 'optimal' (default 1e-9). */
  readonly tolerance?: number;
  /** Pivot limit per simplex stage (default 50 * (rows + columns) + 1000). */
  readonly maxIterations?: number;
  /**
   * A loaded HiGHS runtime (`await (await import('highs')).default()`), used only when the fast path fails or is
   * inaccurate; its solves are synchronous once loaded.
   */
  readonly fallback?: Highs;
}

/** A reusable CCE or CE solver for games with fixed action counts. */
export interface CorrelatedSolver {
  /** 'cce' or 'ce'. */
  readonly kind: CorrelatedKind;
  /** The joint-action layout of the games it solves. */
  readonly layout: JointActionLayout;
  /**
   * Solves the game with payoffs U[j*m + i]; writes the distribution into `out` (length J, default an internal
   * buffer) and returns the solver's result object, which the next solve overwrites.
   * @throws DrmgError when `payoff` has the wrong length or a non-finite entry.
   */
  solve(payoff: Float64Array, out?: Float64Array): EquilibriumResult;
  /** Frees the HiGHS fallback model if one was created (idempotent; the solver stays usable). */
  dispose(): void;
}

/** Perturbation of the initial reduced costs, relative to the payoff scale. */
const PERTURBATION = 1e-7;
/** Number of simplex attempts before the fallback (see `solve`). */
const ATTEMPTS = 3;

/**
 * Builds a reusable CCE ('cce') or CE ('ce') solver for actions A: LP of the file header, solved by a
 * dense dual simplex warm-started at the best single joint action; all buffers are allocated here, none per solve.
 * @throws DrmgError when `A` is not a list of positive integers or an option is invalid.
 */
export function createCorrelatedSolver(A: readonly number[], kind: CorrelatedKind, options: CorrelatedSolverOptions = {}): CorrelatedSolver {
  const layout = jointActionLayout(A);
  const { m, J, stride, actionOf } = layout;
  const selection = options.selection ?? 'welfare';
  if (selection !== 'welfare' && selection !== 'max-min' && selection !== 'none') {
    inputError('options.selection', `expected 'welfare', 'max-min' or 'none', got ${JSON.stringify(selection)}`);
  }
  const tolerance = options.tolerance ?? 1e-9;
  if (!(tolerance >= 0)) inputError('options.tolerance', `expected a number >= 0, got ${tolerance}`);
  const maxMin = selection === 'max-min';
  const rows = incentiveRows(A, kind);
  const R = rows.R;
  const M = 1 + R + (maxMin ? m : 0);
  const n = J - 1 + (maxMin ? 1 : 0);
  const maxIterations = options.maxIterations ?? 50 * (M + n) + 1000;
  const tab = createDenseTableau(M, n, J + M);
  const rowNorm = new Float64Array(R); // max |G_kj| of incentive row k in scaled payoffs, before equilibration
  const cost = new Float64Array(J + M);
  const Us = new Float64Array(J * m);
  const welfare = new Float64Array(J);
  const G = new Float64Array(R * J); // G[k*J + j]: incentive row k (scaled payoffs), kept for basis re-solves
  let umin = 0;
  let snap = 1e-14; // coefficient snapping threshold in scaled units, set per solve
  let payoffScale = 1; // max |U| of the current solve
  // Refactorisation workspace: k x k block over the basic structural variables and the tight rows.
  const sysM = new Float64Array((J + 1) * (J + 1));
  const sysR = new Float64Array(J + 1);
  const sysZ = new Float64Array(J + 1);
  const luPerm = new Int32Array(J + 1);
  const structCol = new Int32Array(J + 1);
  const tightRow = new Int32Array(J + 1);
  const column = new Float64Array(M);
  const backup = new Float64Array(J);
  const internalOut = new Float64Array(J);
  const certifier = createCertifier(A);
  const certificate = createCertificate(m);
  const backupCert = createCertificate(m);
  let highsSolver: HighsCorrelatedSolver | undefined;
  let zeroSum: ZeroSumSolver | undefined;
  const result: EquilibriumResult = {
    kind,
    status: 'failed',
    method: 'simplex',
    dist: internalOut,
    payoffs: new Float64Array(m),
    welfare: 0,
    certificate,
    gap: Infinity,
    pivots: 0,
  };
  // Column of nonbasic x_j for j != jStar; t' (if any) is column J - 1.
  const colOf = (j: number, jStar: number): number => (j < jStar ? j : j - 1);

  /** Runs both stages; returns false when a simplex stage did not end optimal. Leaves the basis in `tab`. */
  function attempt(mode: number): boolean {
    const safe = mode === 2;
    const pert = mode === 1 ? 1e-5 : PERTURBATION;
    // Start: the best single joint action under the stage-1 costs (welfare; 'none' uses the least unstable one).
    let jStar = 0;
    if (selection === 'none') {
      let bestRegret = Infinity;
      for (let j = 0; j < J; j++) {
        let regret = 0;
        for (let i = 0; i < m; i++) {
          const st = stride[i];
          const base = j - actionOf[j * m + i] * st;
          const u = Us[j * m + i];
          let worst = 0;
          for (let b = 0; b < A[i]; b++) {
            const d = Us[(base + b * st) * m + i] - u;
            if (d > worst) worst = d;
          }
          regret += worst;
        }
        if (regret < bestRegret) {
          bestRegret = regret;
          jStar = j;
        }
      }
    } else {
      for (let j = 1; j < J; j++) if (welfare[j] > welfare[jStar]) jStar = j;
    }
    resetTableau(tab, M, n);
    // Mode 0: the fast path. Mode 1: larger perturbation and pivot tolerance, another pivot path that keeps away from
    // small pivots. Mode 2: Bland's rule with tight tolerances, so that payoff differences far below the scale (real
    // data, not rounding) are pivoted on rather than ignored.
    tab.pivTol = safe ? 1e-11 : mode === 1 ? 1e-7 : 1e-9;
    tab.feasTol = safe ? 1e-13 : 1e-11;
    tab.optTol = safe ? 1e-13 : 1e-11;
    tab.softTol = safe ? 1e-13 : 1e-11;
    const { t, basic, nonbasic } = tab;
    const W = n + 1;
    for (let j = 0; j < J; j++) if (j !== jStar) nonbasic[colOf(j, jStar)] = j;
    if (maxMin) nonbasic[J - 1] = J;
    basic[0] = jStar;
    for (let r = 1; r < M; r++) basic[r] = J + r;
    // Row 0: x_{j*} = 1 - sum_{j != j*} x_j.
    for (let k = 0; k < J - 1; k++) t[k] = 1;
    t[n] = 1;
    // Incentive rows: s = -G x = -G_{j*} - sum_j (G_j - G_{j*}) x_j.
    for (let k = 0; k < R; k++) {
      const g = G.subarray(k * J, (k + 1) * J);
      incentiveRow(layout, rows, k, Us, g);
      // Snap and equilibrate: coefficients below snap (tolerance / 10 in payoff units, and at least the rounding
      // level 1e-14 of the scale) become 0, which moves any row's activity by at most snap and so the gap of the
      // result by at most snap (sum_a P(a) <= 1 in the CE gap); each row is then scaled to max |G_kj| = 1 (same
      // feasible set, rhs 0), so rows made of small payoff differences pivot as cleanly as the others.
      let norm = 0;
      for (let j = 0; j < J; j++) {
        const a = g[j] < 0 ? -g[j] : g[j];
        if (a <= snap) g[j] = 0;
        else if (a > norm) norm = a;
      }
      rowNorm[k] = norm;
      if (norm > 0 && norm !== 1) {
        const inv = 1 / norm;
        for (let j = 0; j < J; j++) g[j] *= inv;
      }
      const gs = g[jStar];
      const pr = (1 + k) * W;
      for (let j = 0; j < J; j++) if (j !== jStar) t[pr + colOf(j, jStar)] = g[j] - gs;
      t[pr + n] = -gs;
    }
    if (maxMin) {
      umin = Infinity;
      for (let k = 0; k < J * m; k++) if (Us[k] < umin) umin = Us[k];
      // w_i = (u_i(j*) - Umin) + sum_j (u_i(j) - u_i(j*)) x_j - t'.
      for (let i = 0; i < m; i++) {
        const pr = (1 + R + i) * W;
        const us = Us[jStar * m + i];
        for (let j = 0; j < J; j++) if (j !== jStar) t[pr + colOf(j, jStar)] = us - Us[j * m + i];
        t[pr + J - 1] = 1;
        t[pr + n] = us - umin;
      }
    }
    // What the certificate can absorb (payoff units -> tableau units): an incentive row left violated by v moves
    // its player's gap by v * rowNorm * scale, a probability left at -v moves every gain by at most 2 v scale.
    const soft = tab.softLimit;
    for (let j = 0; j <= J; j++) soft[j] = (0.25 * tolerance) / (2 * payoffScale);
    for (let k = 0; k < R; k++) soft[J + 1 + k] = rowNorm[k] > 0 ? (0.5 * tolerance) / (rowNorm[k] * payoffScale) : 0;
    for (let i = 0; i < (maxMin ? m : 0); i++) soft[J + 1 + R + i] = (0.25 * tolerance) / payoffScale;
    // Stage 1 objective: welfare (or 0 for 'none') with each reduced cost lowered by a distinct tiny amount.
    const po = M * W;
    const cs = selection === 'none' ? 0 : welfare[jStar];
    let h = mode === 2 ? 0x9e3779b9 : mode === 1 ? 0x85ebca6b : 0x2545f491;
    for (let k = 0; k < n; k++) {
      const id = nonbasic[k];
      // Reduced cost of x_j is c_j - c_{j*}; of t' it is 0 (its column is empty in row 0).
      const d = id < J && selection !== 'none' ? welfare[id] - cs : 0;
      h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
      t[po + k] = -d + pert * (1 + h / 4294967296);
    }
    t[po + n] = cs;
    let status = dualSimplex(tab, maxIterations, safe);
    if (status !== 'optimal') return false;
    if (selection !== 'none') {
      cost.fill(0);
      if (maxMin) cost[J] = 1;
      else for (let j = 0; j < J; j++) cost[j] = welfare[j];
      setObjective(tab, cost);
      if (maxMin || safe) {
        // Stage 2 from a vertex where most incentive rows are tight (x_{j*} alone makes every CE row with another
        // recommendation 0) stalls the primal simplex; perturb the right-hand sides so every basic value is positive,
        // optimise, then restore the true right-hand sides by refactoring the basis and finish with the dual simplex.
        for (let r = 0; r < M; r++) {
          h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
          t[r * W + n] += pert * (1 + h / 4294967296);
        }
        status = primalSimplex(tab, maxIterations, safe);
        if (status !== 'optimal' || !refactor()) return false;
        status = dualSimplex(tab, maxIterations, safe);
      } else {
        status = primalSimplex(tab, maxIterations, safe);
      }
      if (status !== 'optimal') return false;
    }
    return true;
  }

  /** Coefficient of structural variable `id` (x_j, or t' = J) in tableau row r of the LP (row 0: sum x = 1). */
  function coefficient(r: number, id: number): number {
    if (r === 0) return id < J ? 1 : 0;
    if (r <= R) return id < J ? G[(r - 1) * J + id] : 0;
    // Max-min row of player i: t' - sum_j (u_i(j) - Umin) x_j <= 0.
    return id < J ? umin - Us[id * m + (r - 1 - R)] : 1;
  }

  /**
   * Rebuilds the whole tableau of the current basis from the LP's data (T = B^-1 [N | b], then the objective row),
   * discarding the rounding accumulated by pivoting. B is reduced to the k x k block of its structural columns on the
   * tight rows (row 0 and the rows whose slack is nonbasic), factorised once; each basic slack follows from its row.
   * Returns false when that block is singular or the basis is malformed.
   */
  function refactor(): boolean {
    const { t, basic, nonbasic } = tab;
    const W = tab.width;
    const nc = tab.cols;
    let k = 0;
    for (let r = 0; r < M; r++) if (basic[r] <= J) structCol[k++] = r;
    let rowsFound = 0;
    tightRow[rowsFound++] = 0;
    for (let q = 0; q < nc; q++) {
      const id = nonbasic[q];
      if (id > J) {
        if (rowsFound >= k) return false;
        tightRow[rowsFound++] = id - J;
      }
    }
    if (rowsFound !== k) return false;
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) sysM[p * k + q] = coefficient(tightRow[p], basic[structCol[q]]);
    }
    if (!luFactor(k, sysM, luPerm)) return false;
    for (let q = 0; q <= nc; q++) {
      // Column a: a nonbasic variable's LP column, or the right-hand side b (1 in row 0, 0 elsewhere).
      const id = q < nc ? nonbasic[q] : -1;
      for (let r = 0; r < M; r++) column[r] = id < 0 ? (r === 0 ? 1 : 0) : id > J ? (r === id - J ? 1 : 0) : coefficient(r, id);
      for (let p = 0; p < k; p++) sysR[p] = column[tightRow[p]];
      luSolve(k, sysM, luPerm, sysR, sysZ);
      for (let p = 0; p < k; p++) t[structCol[p] * W + q] = sysZ[p];
      for (let r = 0; r < M; r++) {
        const b = basic[r];
        if (b <= J) continue;
        const rr = b - J;
        let act = column[rr];
        for (let p = 0; p < k; p++) act -= coefficient(rr, basic[structCol[p]]) * sysZ[p];
        t[r * W + q] = act;
      }
    }
    setObjective(tab, cost);
    return true;
  }

  /** Refactors the basis and re-optimises (dual simplex for feasibility, primal for optimality), then re-extracts. */
  function refine(payoff: Float64Array, out: Float64Array): boolean {
    if (!refactor()) return false;
    if (dualSimplex(tab, maxIterations) !== 'optimal') return false;
    if (selection !== 'none' && primalSimplex(tab, maxIterations) !== 'optimal') return false;
    extract(payoff, out);
    return true;
  }

  /** Reads the distribution of the current basis into `out` and certifies it. */
  function extract(payoff: Float64Array, out: Float64Array): void {
    const { t, basic } = tab;
    const W = tab.width;
    out.fill(0);
    let sum = 0;
    for (let r = 0; r < M; r++) {
      const id = basic[r];
      if (id >= J) continue;
      const v = t[r * W + tab.cols];
      if (v > 0) {
        out[id] = v;
        sum += v;
      }
    }
    if (!(sum > 0)) {
      out.fill(1 / J);
    } else {
      const inv = 1 / sum;
      for (let j = 0; j < J; j++) out[j] *= inv;
    }
    certifier.certify(payoff, out, certificate);
    result.gap = kind === 'cce' ? certificate.cceGap : certificate.ceGap;
  }

  function finish(payoff: Float64Array, out: Float64Array): EquilibriumResult {
    const pay = result.payoffs;
    pay.fill(0);
    for (let j = 0; j < J; j++) {
      const p = out[j];
      if (p === 0) continue;
      for (let i = 0; i < m; i++) pay[i] += p * payoff[j * m + i];
    }
    let w = 0;
    for (let i = 0; i < m; i++) w += pay[i];
    result.welfare = w;
    (result as { dist: Float64Array }).dist = out;
    return result;
  }

  function copyCert(from: Certificate, to: Certificate): void {
    to.deviationGain.set(from.deviationGain);
    to.swapGain.set(from.swapGain);
    to.cceGap = from.cceGap;
    to.ceGap = from.ceGap;
  }

  return {
    kind,
    layout,
    solve(payoff: Float64Array, out: Float64Array = internalOut): EquilibriumResult {
      if (payoff.length !== J * m) inputError('payoff', `expected ${J * m} entries (J = ${J} x m = ${m}), got ${payoff.length}`);
      if (out.length !== J) inputError('out', `expected a buffer of length ${J}, got ${out.length}`);
      let scale = 0;
      for (let k = 0; k < J * m; k++) {
        const v = payoff[k];
        if (!Number.isFinite(v)) inputError(`payoff[${Math.floor(k / m)}][${k % m}]`, `expected a finite number, got ${v}`);
        const a = v < 0 ? -v : v;
        if (a > scale) scale = a;
      }
      const inv = scale > 1e-300 ? 1 / scale : 1;
      payoffScale = scale > 1e-300 ? scale : 1;
      snap = Math.max(1e-14, (0.1 * tolerance) * inv);
      for (let j = 0; j < J; j++) {
        let w = 0;
        for (let i = 0; i < m; i++) {
          const u = payoff[j * m + i] * inv;
          Us[j * m + i] = u;
          w += u;
        }
        welfare[j] = w;
      }
      result.method = 'simplex';
      let pivots = 0;
      if (m === 2 && constantSumSpread(payoff, J) <= 1e-12 * scale) {
        // Two-player constant-sum: every CCE / CE pays each player the value, so all selection rules tie, and the
        // product of minimax strategies (an NE, hence a CE and a CCE) is found by the much smaller minimax LP.
        zeroSum ??= createZeroSumSolver(A[0], A[1]);
        const zs = zeroSum.solve(payoff);
        if (zs.status === 'optimal') {
          const n2 = A[1];
          for (let a = 0; a < A[0]; a++) for (let b = 0; b < n2; b++) out[a * n2 + b] = zs.x[a] * zs.y[b];
          certifier.certify(payoff, out, certificate);
          result.gap = kind === 'cce' ? certificate.cceGap : certificate.ceGap;
          if (result.gap <= tolerance) {
            result.status = 'optimal';
            result.pivots = 0;
            return finish(payoff, out);
          }
        }
      }
      // Attempts: 0 = the fast path; 1 = larger perturbation and pivot tolerance (a different pivot path that
      // avoids small pivots); 2 = Bland's rule with tight tolerances. Each inaccurate result is first refined
      // (refactorisation + re-optimisation); the best distribution seen is kept.
      let haveBackup = false;
      let backupGap = Infinity;
      for (let mode = 0; mode < ATTEMPTS; mode++) {
        const ok = attempt(mode);
        pivots += tab.pivots;
        if (!ok) continue;
        extract(payoff, out);
        if (result.gap > tolerance) refine(payoff, out);
        if (result.gap <= tolerance) {
          result.status = 'optimal';
          result.pivots = pivots;
          return finish(payoff, out);
        }
        if (result.gap < backupGap) {
          backup.set(out);
          copyCert(certificate, backupCert);
          backupGap = result.gap;
          haveBackup = true;
        }
      }
      result.pivots = pivots;
      if (options.fallback) {
        highsSolver ??= createHighsCorrelatedSolver(options.fallback, A, kind, { selection, tolerance });
        const r = highsSolver.solve(payoff, out);
        copyCert(r.certificate, certificate);
        result.gap = r.gap;
        result.status = r.status;
        result.method = 'highs';
        return finish(payoff, out);
      }
      if (haveBackup) {
        out.set(backup);
        copyCert(backupCert, certificate);
        result.gap = backupGap;
      } else {
        // No basis ended optimal: report failure with the uniform distribution and its (honest) certificate.
        out.fill(1 / J);
        certifier.certify(payoff, out, certificate);
        result.gap = kind === 'cce' ? certificate.cceGap : certificate.ceGap;
        result.status = 'failed';
        return finish(payoff, out);
      }
      result.status = 'inaccurate';
      return finish(payoff, out);
    },
    dispose(): void {
      highsSolver?.dispose();
      highsSolver = undefined;
    },
  };
}

/** Throws an internal error when a result is not 'optimal' (for callers that must not continue silently). */
export function assertOptimal(result: EquilibriumResult): EquilibriumResult {
  if (result.status !== 'optimal') {
    throw new DrmgError('internal', `${result.kind}`, `solver ended '${result.status}' with gap ${result.gap}, expected <= tolerance`);
  }
  return result;
}
