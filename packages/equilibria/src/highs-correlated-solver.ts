/**
 * The CCE / CE linear program of `correlated-equilibrium.ts` solved by HiGHS (MIT, WebAssembly): the reference
 * that tests cross-check the dense simplex against, and its optional fallback. HiGHS costs 300-2,300 us a solve
 * on these LPs (issue 3), 10-50 times the fast path, but has never failed on them.
 *
 * The caller loads the runtime once (`const highs = await (await import('highs')).default()`); every solve is then
 * synchronous. This package has no runtime dependency on `highs`: it only uses the instance it is given.
 * LP: columns x_j (and t for 'max-min'), rows: sum_j x_j = 1; incentive rows G x <= 0; t - u_i^T x <= 0.
 */
import { jointActionLayout, inputError, DrmgError } from '@drmg/core';
import type { Highs } from 'highs';
import { createCertifier, createCertificate } from './certify.ts';
import { incentiveRows, incentiveRow } from './incentive-rows.ts';
import type { CorrelatedKind } from './incentive-rows.ts';
import type { EquilibriumResult, EquilibriumSelection } from './equilibrium-result.ts';

/** A reusable HiGHS-backed CCE / CE solver; call `dispose()` to free its WebAssembly model. */
export interface HighsCorrelatedSolver {
  /**
   * Solves the game with payoffs U[j*m + i] like `CorrelatedSolver.solve` (same result object semantics).
   * @throws DrmgError when `payoff` has the wrong length.
   */
  solve(payoff: Float64Array, out?: Float64Array): EquilibriumResult;
  /** Frees the HiGHS model (idempotent). */
  dispose(): void;
}

/**
 * Builds a HiGHS-backed solver of the CCE / CE LP with the given selection rule (welfare, max-min or none),
 * with primal and dual feasibility tolerances 1e-10; the result is certified exactly like the fast path's.
 * @throws DrmgError when `A` is invalid.
 */
export function createHighsCorrelatedSolver(
  highs: Highs,
  A: readonly number[],
  kind: CorrelatedKind,
  options: { readonly selection?: EquilibriumSelection; readonly tolerance?: number } = {},
): HighsCorrelatedSolver {
  const layout = jointActionLayout(A);
  const { m, J } = layout;
  const selection = options.selection ?? 'welfare';
  const tolerance = options.tolerance ?? 1e-9;
  const maxMin = selection === 'max-min';
  const rows = incentiveRows(A, kind);
  const R = rows.R;
  const numCols = J + (maxMin ? 1 : 0);
  const numRows = 1 + R + (maxMin ? m : 0);
  const inf = highs.infinity;
  const colLower = new Float64Array(numCols);
  const colUpper = new Float64Array(numCols).fill(inf);
  if (maxMin) colLower[J] = -inf;
  const rowLower = new Float64Array(numRows).fill(-inf);
  const rowUpper = new Float64Array(numRows);
  rowLower[0] = 1;
  rowUpper[0] = 1;
  const g = new Float64Array(J);
  const certifier = createCertifier(A);
  const internalOut = new Float64Array(J);
  const result: EquilibriumResult = {
    kind,
    status: 'failed',
    method: 'highs',
    dist: internalOut,
    payoffs: new Float64Array(m),
    welfare: 0,
    certificate: createCertificate(m),
    gap: Infinity,
    pivots: 0,
  };
  const model = highs.createModel();
  model.options.set({ output_flag: false, primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 });
  let disposed = false;

  return {
    solve(payoff: Float64Array, out: Float64Array = internalOut): EquilibriumResult {
      if (disposed) throw new DrmgError('internal', 'highs', 'solver used after dispose()');
      if (payoff.length !== J * m) inputError('payoff', `expected ${J * m} entries, got ${payoff.length}`);
      const colCost = new Float64Array(numCols);
      if (maxMin) colCost[J] = 1;
      else if (selection === 'welfare') {
        for (let j = 0; j < J; j++) {
          let w = 0;
          for (let i = 0; i < m; i++) w += payoff[j * m + i];
          colCost[j] = w;
        }
      }
      const starts: number[] = [0];
      const indices: number[] = [];
      const values: number[] = [];
      for (let j = 0; j < J; j++) {
        indices.push(j);
        values.push(1);
      }
      starts.push(indices.length);
      for (let k = 0; k < R; k++) {
        incentiveRow(layout, rows, k, payoff, g);
        for (let j = 0; j < J; j++) {
          if (g[j] !== 0) {
            indices.push(j);
            values.push(g[j]);
          }
        }
        starts.push(indices.length);
      }
      if (maxMin) {
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < J; j++) {
            const u = payoff[j * m + i];
            if (u !== 0) {
              indices.push(j);
              values.push(-u);
            }
          }
          indices.push(J);
          values.push(1);
          starts.push(indices.length);
        }
      }
      model.passModel({
        numCols,
        numRows,
        sense: highs.constants.objectiveSense.maximize,
        colCost,
        colLower,
        colUpper,
        rowLower,
        rowUpper,
        matrix: { format: 'csr', numRows, numCols, starts, indices, values },
      });
      model.run();
      const ok = model.getModelStatus() === 7;
      out.fill(0);
      let sum = 0;
      if (ok) {
        const x = model.getSolution().colValue;
        for (let j = 0; j < J; j++) {
          const v = x[j];
          if (v > 0) {
            out[j] = v;
            sum += v;
          }
        }
      }
      if (sum > 0) for (let j = 0; j < J; j++) out[j] /= sum;
      else out.fill(1 / J);
      certifier.certify(payoff, out, result.certificate);
      result.gap = kind === 'cce' ? result.certificate.cceGap : result.certificate.ceGap;
      result.status = !ok ? 'failed' : result.gap <= tolerance ? 'optimal' : 'inaccurate';
      const pay = result.payoffs;
      pay.fill(0);
      for (let j = 0; j < J; j++) for (let i = 0; i < m; i++) pay[i] += out[j] * payoff[j * m + i];
      let w = 0;
      for (let i = 0; i < m; i++) w += pay[i];
      result.welfare = w;
      (result as { dist: Float64Array }).dist = out;
      return result;
    },
    dispose(): void {
      if (!disposed) {
        disposed = true;
        model.dispose();
      }
    },
  };
}
