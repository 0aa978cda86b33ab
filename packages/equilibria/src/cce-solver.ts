/**
 * Coarse correlated equilibria (CCE): distributions x over joint actions with, for every player i and action b,
 * sum_j x_j (U_i(b, j_-i) - U_i(j)) <= 0 (paper Sec. 2, robust CCE on one stage; EQUILIBRIUM = CCE in eq. 7).
 */
import { createCorrelatedSolver } from './correlated-equilibrium.ts';
import type { CorrelatedSolver, CorrelatedSolverOptions } from './correlated-equilibrium.ts';
import type { EquilibriumResult } from './equilibrium-result.ts';
import type { NormalFormGame } from './normal-form-game.ts';

/**
 * A reusable CCE solver for actions A (dense dual simplex, no allocation per solve; see `createCorrelatedSolver`).
 * @throws DrmgError when `A` or an option is invalid.
 * @example const cce = createCceSolver([5, 5]); const r = cce.solve(payoff, out); // r.status, r.gap <= 1e-9
 */
export function createCceSolver(A: readonly number[], options?: CorrelatedSolverOptions): CorrelatedSolver {
  return createCorrelatedSolver(A, 'cce', options);
}

/**
 * One CCE of `game`, maximising total welfare by default (see `EquilibriumSelection`), with its certificate;
 * the result is freshly allocated.
 * @throws DrmgError when an option is invalid.
 */
export function solveCce(game: NormalFormGame, options?: CorrelatedSolverOptions): EquilibriumResult {
  const solver = createCorrelatedSolver(game.A, 'cce', options);
  try {
    return solver.solve(game.payoff, new Float64Array(game.J));
  } finally {
    solver.dispose();
  }
}
