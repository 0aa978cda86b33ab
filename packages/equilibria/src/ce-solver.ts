/**
 * Correlated equilibria (CE): distributions x over joint actions with, for every player i and actions a != b,
 * sum_{j: j_i = a} x_j (U_i(b, j_-i) - U_i(j)) <= 0 (paper Sec. 2, robust CE on one stage; EQUILIBRIUM = CE in eq. 7).
 */
import { createCorrelatedSolver } from './correlated-equilibrium.ts';
import type { CorrelatedSolver, CorrelatedSolverOptions } from './correlated-equilibrium.ts';
import type { EquilibriumResult } from './equilibrium-result.ts';
import type { NormalFormGame } from './normal-form-game.ts';

/**
 * A reusable CE solver for actions A (dense dual simplex, no allocation per solve; see `createCorrelatedSolver`).
 * @throws DrmgError when `A` or an option is invalid.
 * @example const ce = createCeSolver([5, 5]); const r = ce.solve(payoff, out); // r.status, r.gap <= 1e-9
 */
export function createCeSolver(A: readonly number[], options?: CorrelatedSolverOptions): CorrelatedSolver {
  return createCorrelatedSolver(A, 'ce', options);
}

/**
 * One CE of `game`, maximising total welfare by default (see `EquilibriumSelection`), with its certificate;
 * the result is freshly allocated.
 * @throws DrmgError when an option is invalid.
 */
export function solveCe(game: NormalFormGame, options?: CorrelatedSolverOptions): EquilibriumResult {
  const solver = createCorrelatedSolver(game.A, 'ce', options);
  try {
    return solver.solve(game.payoff, new Float64Array(game.J));
  } finally {
    solver.dispose();
  }
}
