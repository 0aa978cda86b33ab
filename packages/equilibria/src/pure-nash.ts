/**
 * Pure-strategy Nash equilibria of m-player games: joint actions j where no player gains by a unilateral switch,
 * U_i(b, j_-i) <= U_i(j) + tol for every i and b. O(J * sum_i A_i).
 */
import type { NormalFormGame } from './normal-form-game.ts';

/**
 * All pure Nash equilibria of `game`, as joint-action indices in increasing order (payoff ties within `tol`
 * count as no gain).
 * @example pureNashEquilibria(prisonersDilemma) // [3]: defect/defect
 */
export function pureNashEquilibria(game: NormalFormGame, tol = 0): number[] {
  const { m, J, A, payoff } = game;
  const { stride, actionOf } = game.layout;
  const out: number[] = [];
  for (let j = 0; j < J; j++) {
    let stable = true;
    for (let i = 0; i < m && stable; i++) {
      const st = stride[i];
      const base = j - actionOf[j * m + i] * st;
      const u = payoff[j * m + i] + tol;
      for (let b = 0; b < A[i]; b++) {
        if (payoff[(base + b * st) * m + i] > u) {
          stable = false;
          break;
        }
      }
    }
    if (stable) out.push(j);
  }
  return out;
}
