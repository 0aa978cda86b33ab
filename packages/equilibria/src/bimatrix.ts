/**
 * Shared pieces of the two-player (bimatrix) Nash methods: the game's payoff matrices shifted and scaled to
 * positive matrices (equilibria are invariant under positive affine maps of each player's payoffs), and
 * equilibrium pairs (x, y) with their comparison.
 * Layout: A[a*n2 + b] (player 0) and B[a*n2 + b] (player 1), a = player 0's action, b = player 1's.
 */
import { inputError } from '@drmg/core';
import type { NormalFormGame } from './normal-form-game.ts';

/** A Nash equilibrium of a two-player game: player 0's mixed strategy x and player 1's y. */
export interface BimatrixEquilibrium {
  /** x[a]: probability of player 0's action a. */
  readonly x: Float64Array;
  /** y[b]: probability of player 1's action b. */
  readonly y: Float64Array;
}

/** The payoff matrices of a two-player game mapped affinely into [1, 2] (each player separately). */
export interface PositiveBimatrix {
  readonly n1: number;
  readonly n2: number;
  /** A[a*n2 + b] in [1, 2]: player 0's payoff, shifted and scaled. */
  readonly A: Float64Array;
  /** B[a*n2 + b] in [1, 2]: player 1's payoff, shifted and scaled. */
  readonly B: Float64Array;
}

/**
 * Player i's payoffs mapped into [1, 2] by u -> (u - min) / (max - min) + 1 (a constant matrix, or one whose range
 * is below 1e-300, maps to all 1).
 * @throws DrmgError when the game does not have exactly two players.
 */
export function positiveBimatrix(game: NormalFormGame): PositiveBimatrix {
  if (game.m !== 2) inputError('game', `expected a two-player game, got ${game.m} players`);
  const n1 = game.A[0];
  const n2 = game.A[1];
  const J = n1 * n2;
  const mats = [new Float64Array(J), new Float64Array(J)];
  for (let i = 0; i < 2; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < J; j++) {
      const u = game.payoff[j * 2 + i];
      if (u < lo) lo = u;
      if (u > hi) hi = u;
    }
    // Differences below 1e-300 cannot be scaled up without overflow; such a player is treated as indifferent.
    const inv = hi - lo > 1e-300 ? 1 / (hi - lo) : 0;
    for (let j = 0; j < J; j++) mats[i][j] = (game.payoff[j * 2 + i] - lo) * inv + 1;
  }
  return { n1, n2, A: mats[0], B: mats[1] };
}

/** Whether two equilibria agree entrywise within `tol`. */
export function sameEquilibrium(e: BimatrixEquilibrium, f: BimatrixEquilibrium, tol = 1e-9): boolean {
  if (e.x.length !== f.x.length || e.y.length !== f.y.length) return false;
  for (let a = 0; a < e.x.length; a++) if (Math.abs(e.x[a] - f.x[a]) > tol) return false;
  for (let b = 0; b < e.y.length; b++) if (Math.abs(e.y[b] - f.y[b]) > tol) return false;
  return true;
}

/** Scales v[0..n) to sum 1 after clipping negatives to 0; returns false when nothing positive remains. */
export function normalizeInPlace(v: Float64Array): boolean {
  let s = 0;
  for (let k = 0; k < v.length; k++) {
    if (v[k] < 0) v[k] = 0;
    s += v[k];
  }
  if (!(s > 0)) return false;
  for (let k = 0; k < v.length; k++) v[k] /= s;
  return true;
}
