/**
 * The result types shared by the correlated-equilibrium solvers (the dense simplex of correlated-equilibrium.ts and
 * the HiGHS fallback of highs-correlated-solver.ts), in a file of their own so that neither solver imports the other's types.
 */
import type { Certificate } from './certify.ts';
import type { CorrelatedKind } from './incentive-rows.ts';

/**
 * Which equilibrium the LP selects among all of them:
 * - 'welfare' (default): maximise total expected payoff sum_i sum_j x_j U_i(j);
 * - 'max-min': maximise the worst player's expected payoff min_i sum_j x_j U_i(j) (one extra variable);
 * - 'none': any equilibrium (no objective): a pure equilibrium when one exists, otherwise the vertex the
 *   perturbed dual simplex reaches first.
 * Ties among optimal distributions (e.g. every equilibrium of a zero-sum game has the same welfare) are broken by the
 * solver's fixed perturbation and pivoting rules: deterministic (same payoffs, same bits), but not a closed-form rule.
 */
export type EquilibriumSelection = 'welfare' | 'max-min' | 'none';

/** Outcome of a solve: 'optimal' (certificate within tolerance), 'inaccurate' (a distribution whose certificate exceeds it), 'failed' (no distribution found; `dist` holds the best attempt). */
export type EquilibriumStatus = 'optimal' | 'inaccurate' | 'failed';

/** A correlated equilibrium with its certificate. Objects returned by a reusable solver are overwritten by its next solve. */
export interface EquilibriumResult {
  /** Which equilibrium concept was solved for. */
  readonly kind: CorrelatedKind;
  /** 'optimal' when `gap` <= the tolerance (1e-9 by default). */
  status: EquilibriumStatus;
  /** Which engine produced `dist`: our dense simplex, or the HiGHS fallback. */
  method: 'simplex' | 'highs';
  /** dist[j]: probability of joint action j; entries >= 0 summing to 1. */
  readonly dist: Float64Array;
  /** payoffs[i] = sum_j dist[j] U_i(j). */
  readonly payoffs: Float64Array;
  /** Total expected payoff sum_i payoffs[i]. */
  welfare: number;
  /** Deviation and swap gains of `dist` (exact, recomputed from the payoffs). */
  readonly certificate: Certificate;
  /** The gap of the solved concept: certificate.cceGap for 'cce', certificate.ceGap for 'ce'. */
  gap: number;
  /** Simplex pivots used (all attempts). */
  pivots: number;
}
