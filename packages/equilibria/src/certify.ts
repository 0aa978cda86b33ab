/**
 * Equilibrium certificates: each player's best deviation gain (CCE / NE) and best swap gain (CE)
 * for a joint distribution over joint actions (paper Sec. 2, gap_NE = gap_CCE and gap_CE, on one stage game).
 *
 * Layouts: payoff U[j*m + i], distribution dist[j], work table gain[a*A_i + b] (player i recommended a, plays b).
 */
import { jointActionLayout, inputError } from '@drmg/core';
import type { JointActionLayout } from '@drmg/core';
import type { NormalFormGame } from './normal-form-game.ts';

/** How far a joint distribution is from equilibrium, per player and overall. */
export interface Certificate {
  /** deviationGain[i] = max_b sum_j dist(j) (U_i(b, j_-i) - U_i(j)); may be negative for a correlated dist. */
  readonly deviationGain: Float64Array;
  /** swapGain[i] = sum_a max_b sum_{j: j_i = a} dist(j) (U_i(b, j_-i) - U_i(j)); always >= 0. */
  readonly swapGain: Float64Array;
  /** max_i deviationGain[i]: the NE gap of a product distribution, the CCE gap of any distribution. */
  cceGap: number;
  /** max_i swapGain[i]: the CE gap. */
  ceGap: number;
}

/** A reusable certificate evaluator for games with actions A (no allocation per call). */
export interface Certifier {
  /** The layout it was built for. */
  readonly layout: JointActionLayout;
  /** Fills `out` with the certificate of `dist` on payoffs U[j*m + i] and returns it. */
  certify(payoff: Float64Array, dist: ArrayLike<number>, out: Certificate): Certificate;
}

/** A zeroed certificate for m players. */
export function createCertificate(m: number): Certificate {
  return { deviationGain: new Float64Array(m), swapGain: new Float64Array(m), cceGap: 0, ceGap: 0 };
}

/**
 * Builds a certifier: for player i, gain(a, b) = sum_{j: j_i = a} dist(j) (U_i(b, j_-i) - U_i(j)) in O(J * A_i),
 * then deviationGain_i = max_b sum_a gain(a, b) and swapGain_i = sum_a max_b gain(a, b).
 * @throws DrmgError when `A` is not a list of positive integers.
 */
export function createCertifier(A: readonly number[]): Certifier {
  const layout = jointActionLayout(A);
  const { m, J, stride, actionOf } = layout;
  let maxA = 1;
  for (let i = 0; i < m; i++) if (A[i] > maxA) maxA = A[i];
  const gain = new Float64Array(maxA * maxA);
  const colSum = new Float64Array(maxA);
  return {
    layout,
    certify(payoff: Float64Array, dist: ArrayLike<number>, out: Certificate): Certificate {
      let cce = -Infinity;
      let ce = 0;
      for (let i = 0; i < m; i++) {
        const Ai = A[i];
        const st = stride[i];
        gain.fill(0, 0, Ai * Ai);
        for (let j = 0; j < J; j++) {
          const p = dist[j];
          if (p === 0) continue;
          const a = actionOf[j * m + i];
          const base = j - a * st; // joint index with player i's action set to 0
          const u = payoff[j * m + i];
          const row = a * Ai;
          for (let b = 0; b < Ai; b++) gain[row + b] += p * (payoff[(base + b * st) * m + i] - u);
        }
        colSum.fill(0, 0, Ai);
        let swap = 0;
        for (let a = 0; a < Ai; a++) {
          const row = a * Ai;
          let best = 0; // b = a (obey) gains exactly 0
          for (let b = 0; b < Ai; b++) {
            const g = gain[row + b];
            colSum[b] += g;
            if (g > best) best = g;
          }
          swap += best;
        }
        let dev = -Infinity;
        for (let b = 0; b < Ai; b++) if (colSum[b] > dev) dev = colSum[b];
        out.deviationGain[i] = dev;
        out.swapGain[i] = swap;
        if (dev > cce) cce = dev;
        if (swap > ce) ce = swap;
      }
      out.cceGap = cce;
      out.ceGap = ce;
      return out;
    },
  };
}

/**
 * Certificate of a joint distribution on a game: per-player best deviation gain (CCE / NE) and best swap gain (CE),
 * with cceGap = max_i deviationGain_i and ceGap = max_i swapGain_i (paper Sec. 2, gap definitions, one stage).
 * @throws DrmgError when `dist` is not a distribution over the game's J joint actions (entries >= 0, sum 1 within 1e-9).
 * @example certify(matchingPennies, [0.25, 0.25, 0.25, 0.25]).cceGap === 0
 */
export function certify(game: NormalFormGame, dist: ArrayLike<number>, path = 'dist'): Certificate {
  checkDistribution(dist, game.J, path);
  return createCertifier(game.A).certify(game.payoff, dist, createCertificate(game.m));
}

/**
 * Checks that `dist` is a distribution over n entries: finite, >= 0, summing to 1 within 1e-9.
 * @throws DrmgError naming the first bad entry, or the sum.
 */
export function checkDistribution(dist: ArrayLike<number>, n: number, path = 'dist'): void {
  if (dist == null || typeof dist.length !== 'number') inputError(path, 'expected an array of probabilities');
  if (dist.length !== n) inputError(path, `expected ${n} probabilities, got ${dist.length}`);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const p = dist[k];
    if (typeof p !== 'number' || !Number.isFinite(p) || p < 0) inputError(`${path}[${k}]`, `expected a probability >= 0, got ${p}`);
    sum += p;
  }
  if (Math.abs(sum - 1) > 1e-9) inputError(path, `sums to ${sum}, expected 1`);
}
