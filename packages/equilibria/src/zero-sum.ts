/**
 * Two-player zero-sum (constant-sum) games by linear programming (von Neumann's minimax theorem).
 *
 * With the row player's payoff matrix shifted to A' = A - min A + 1 > 0, the column player's LP
 *   max 1^T w  s.t.  A' w <= 1, w >= 0
 * is feasible at w = 0, so the primal simplex starts without phase 1; its optimum gives y = w / sum w, the value
 * v' = 1 / sum w, and its duals p (the objective-row entries of the row slacks) give x = p / sum p.
 * The value of the original game is v = v' + min A - 1 (for player 0; player 1 gets the constant minus v).
 * Tableau layout as in `dense-tableau.ts`: rows a = 0..n1-1 (slack id n2 + a), columns w_b (id b).
 */
import { inputError } from '@drmg/core';
import { createDenseTableau, resetTableau, primalSimplex } from './dense-tableau.ts';
import type { SimplexStatus } from './dense-tableau.ts';
import type { NormalFormGame } from './normal-form-game.ts';

/** Minimax strategies and value of a two-player constant-sum game. */
export interface ZeroSumSolution {
  /** Player 0's maximin strategy x[a]. */
  readonly x: Float64Array;
  /** Player 1's minimax strategy y[b]. */
  readonly y: Float64Array;
  /** The value for player 0: max_x min_y x^T A y = min_y max_x x^T A y. */
  value: number;
  /** Simplex status ('optimal' unless the LP failed numerically). */
  status: SimplexStatus;
}

/** A reusable minimax solver for n1 x n2 games. */
export interface ZeroSumSolver {
  /**
   * Solves the game whose player-0 payoffs are U[(a*n2 + b)*2] (player 1's entries are ignored: they are taken to
   * be constant minus player 0's), writing the strategies into the returned object (overwritten by the next solve).
   */
  solve(payoff: Float64Array): ZeroSumSolution;
}

/**
 * Builds a reusable minimax LP solver for n1 x n2 two-player games (see the file header for the LP).
 * @throws DrmgError when a size is not a positive integer.
 */
export function createZeroSumSolver(n1: number, n2: number): ZeroSumSolver {
  if (!Number.isInteger(n1) || n1 < 1) inputError('n1', `expected a positive integer, got ${n1}`);
  if (!Number.isInteger(n2) || n2 < 1) inputError('n2', `expected a positive integer, got ${n2}`);
  const tab = createDenseTableau(n1, n2);
  const sol: ZeroSumSolution = { x: new Float64Array(n1), y: new Float64Array(n2), value: 0, status: 'optimal' };
  const maxIterations = 50 * (n1 + n2) + 1000;
  return {
    solve(payoff: Float64Array): ZeroSumSolution {
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = 0; j < n1 * n2; j++) {
        const v = payoff[j * 2];
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      // Scale to [1, 2] so that the tolerances are relative.
      const scale = hi - lo > 1e-300 ? hi - lo : 1;
      const inv = 1 / scale;
      resetTableau(tab, n1, n2);
      const { t, basic, nonbasic } = tab;
      const W = n2 + 1;
      for (let b = 0; b < n2; b++) nonbasic[b] = b;
      for (let a = 0; a < n1; a++) {
        basic[a] = n2 + a;
        const pr = a * W;
        for (let b = 0; b < n2; b++) t[pr + b] = (payoff[(a * n2 + b) * 2] - lo) * inv + 1;
        t[pr + n2] = 1;
      }
      const po = n1 * W;
      for (let b = 0; b < n2; b++) t[po + b] = -1;
      let status = primalSimplex(tab, maxIterations);
      if (status !== 'optimal') status = primalSimplex(tab, maxIterations, true);
      sol.status = status;
      const { x, y } = sol;
      x.fill(0);
      y.fill(0);
      let sw = 0;
      for (let r = 0; r < n1; r++) {
        const id = basic[r];
        if (id < n2) {
          const v = t[r * W + n2];
          if (v > 0) {
            y[id] = v;
            sw += v;
          }
        }
      }
      let sp = 0;
      for (let k = 0; k < n2; k++) {
        const id = nonbasic[k];
        if (id >= n2) {
          const v = t[po + k];
          if (v > 0) {
            x[id - n2] = v;
            sp += v;
          }
        }
      }
      if (sw > 0) for (let b = 0; b < n2; b++) y[b] /= sw;
      else y.fill(1 / n2);
      if (sp > 0) for (let a = 0; a < n1; a++) x[a] /= sp;
      else x.fill(1 / n1);
      // The value x^T A y, computed from the strategies (exact at an optimum, and consistent with them otherwise).
      let v = 0;
      for (let a = 0; a < n1; a++) {
        if (x[a] === 0) continue;
        let row = 0;
        for (let b = 0; b < n2; b++) row += payoff[(a * n2 + b) * 2] * y[b];
        v += x[a] * row;
      }
      sol.value = v;
      return sol;
    },
  };
}

/**
 * Whether a two-player game is constant-sum: U_0(j) + U_1(j) equal for every j within `tol` * max|U|.
 */
export function isConstantSum(game: NormalFormGame, tol = 1e-12): boolean {
  return game.m === 2 && constantSumSpread(game.payoff, game.J) <= tol * Math.max(1, maxAbs(game.payoff));
}

/** max_j (U_0(j) + U_1(j)) - min_j (U_0(j) + U_1(j)) for a two-player payoff table. */
export function constantSumSpread(payoff: Float64Array, J: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (let j = 0; j < J; j++) {
    const s = payoff[j * 2] + payoff[j * 2 + 1];
    if (s < lo) lo = s;
    if (s > hi) hi = s;
  }
  return hi - lo;
}

function maxAbs(u: Float64Array): number {
  let s = 0;
  for (let k = 0; k < u.length; k++) {
    const a = Math.abs(u[k]);
    if (a > s) s = a;
  }
  return s;
}

/**
 * Minimax strategies and value of a two-player zero-sum (constant-sum) game by LP (see the file header).
 * @throws DrmgError when the game does not have two players or is not constant-sum (within 1e-9 * max|U|).
 * @example solveZeroSum(matchingPennies).value === 0
 */
export function solveZeroSum(game: NormalFormGame): ZeroSumSolution {
  if (game.m !== 2) inputError('game', `expected a two-player game, got ${game.m} players`);
  if (!isConstantSum(game, 1e-9)) inputError('game.payoff', 'expected U_0(j) + U_1(j) to be the same for every joint action (a constant-sum game)');
  const sol = createZeroSumSolver(game.A[0], game.A[1]).solve(game.payoff);
  return { x: sol.x, y: sol.y, value: sol.value, status: sol.status };
}
