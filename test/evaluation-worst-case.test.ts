/**
 * The worst-case kernel of an agent's robust value: its rows lie in the agent's uncertainty set and
 * attain sigma (checked against the independent reference sigma), the plain expectation recursion
 * under it reproduces V_i exactly, and Monte Carlo rollouts under it (seeded) give a mean return
 * within 4 standard errors of V_i.
 */
import { buildGame, createRng, sampleIndex } from '@drmg/core';
import type { JointPolicy, Kernel, TabularGame } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { describe, expect, it } from 'vitest';
import { denseRow, denseToTabular, klDivergence, randomDenseGame, randomDistribution, refSigma, tvDistance } from './reference-evaluator.ts';

function randomJoint(game: TabularGame, rng: () => number): JointPolicy {
  const prob = new Float64Array(game.H * game.S * game.J);
  for (let r = 0; r < game.H * game.S; r++) prob.set(randomDistribution(rng, game.J, 1 + Math.floor(rng() * game.J)), r * game.J);
  return { kind: 'joint', H: game.H, S: game.S, J: game.J, prob };
}

/** V_h(s) = sum_j pi(j|s) (r_i + E_K[V_{h+1}]) under kernel K: the nominal recursion on any kernel. */
function expectationRecursion(game: TabularGame, kernel: Kernel, policy: JointPolicy, i: number): Float64Array {
  const { S, H, J, m } = game;
  const V = new Float64Array((H + 1) * S);
  for (let h = H - 1; h >= 0; h--) {
    for (let s = 0; s < S; s++) {
      let v = 0;
      for (let j = 0; j < J; j++) {
        const r = (h * S + s) * J + j;
        let cont = 0;
        for (let k = kernel.rowStart[r]; k < kernel.rowStart[r + 1]; k++) cont += kernel.prob[k] * V[(h + 1) * S + kernel.next[k]];
        v += policy.prob[r] * (game.reward[r * m + i] + cont);
      }
      V[h * S + s] = v;
    }
  }
  return V;
}

describe('worst-case kernel', () => {
  for (const divergence of ['tv', 'kl'] as const) {
    it(`${divergence}: well-formed CSR rows inside the uncertainty set that attain sigma and reproduce V_i`, () => {
      const rng = createRng(`worst-${divergence}`);
      let outside = 0;
      for (let n = 0; n < 60; n++) {
        const m = 1 + Math.floor(rng() * 3);
        const A = Array.from({ length: m }, () => 1 + Math.floor(rng() * 2));
        const game = denseToTabular(randomDenseGame(rng, { m, A, S: 2 + Math.floor(rng() * 4), H: 1 + Math.floor(rng() * 3), divergence }));
        const { S, H, J } = game;
        const policy = randomJoint(game, rng);
        const evaluator = createEvaluator(game);
        for (let i = 0; i < m; i++) {
          const V = evaluator.valueTable(policy, i);
          const K = evaluator.worstCaseKernel(policy, i);
          expect(K.rowStart.length).toBe(H * S * J + 1);
          expect(K.rowStart[0]).toBe(0);
          expect(K.next.length).toBe(K.rowStart[H * S * J]);
          expect(K.prob.length).toBe(K.next.length);
          for (let h = 0; h < H; h++) {
            const next = Array.from(V.subarray((h + 1) * S, (h + 2) * S));
            for (let s = 0; s < S; s++) {
              const rho = game.radius[(i * H + h) * S + s];
              for (let j = 0; j < J; j++) {
                const r = (h * S + s) * J + j;
                const where = `game ${n}, agent ${i}, row (h=${h}, s=${s}, j=${j})`;
                let sum = 0;
                for (let k = K.rowStart[r]; k < K.rowStart[r + 1]; k++) {
                  expect(K.prob[k], where).toBeGreaterThan(0);
                  if (k > K.rowStart[r]) expect(K.next[k], where).toBeGreaterThan(K.next[k - 1]);
                  sum += K.prob[k];
                }
                expect(Math.abs(sum - 1), where).toBeLessThan(1e-12);
                const q = denseRow(K, r, S);
                const p = denseRow(game.kernel, r, S);
                if (divergence === 'tv') {
                  expect(tvDistance(q, p), where).toBeLessThanOrEqual(rho + 1e-9);
                  if (q.some((x, sp) => x > 0 && p[sp] === 0)) outside++;
                } else {
                  for (let sp = 0; sp < S; sp++) if (p[sp] === 0) expect(q[sp], where).toBe(0);
                  expect(klDivergence(q, p), where).toBeLessThanOrEqual(rho + 1e-9);
                }
                const attained = q.reduce((acc, x, sp) => acc + x * next[sp], 0);
                expect(Math.abs(attained - refSigma(divergence, p, next, rho)), where).toBeLessThan(1e-9);
              }
            }
          }
          const W = expectationRecursion(game, K, policy, i);
          for (let k = 0; k < V.length; k++) expect(Math.abs(W[k] - V[k])).toBeLessThan(1e-9);
        }
      }
      // TV's worst case does leave the nominal support in these games (support shift).
      if (divergence === 'tv') expect(outside).toBeGreaterThan(50);
    });
  }

  it('initial shock: at step 0 in good the worst case sends exactly rho to bad (outside the nominal support)', () => {
    const rho = [0.2, 0.35];
    const game = buildGame({
      states: 2,
      horizon: 3,
      actions: [2, 2],
      initial: 0,
      reward: (_h, s, a) => (s === 0 || (a[0] === 1 && a[1] === 1) ? 1 : 0),
      transition: (_h, s, a) => (s === 0 || (a[0] === 1 && a[1] === 1) ? [1, 0] : [0, 1]),
      divergence: 'tv',
      radius: (i, h, s) => (h === 0 && s === 0 ? rho[i] : 0),
    });
    const policy: JointPolicy = { kind: 'joint', H: 3, S: 2, J: 4, prob: new Float64Array(24).fill(0.25) };
    for (let i = 0; i < 2; i++) {
      const K = createEvaluator(game).worstCaseKernel(policy, i);
      for (let j = 0; j < 4; j++) {
        expect(denseRow(K, j, 2)[0]).toBeCloseTo(1 - rho[i], 15);
        expect(denseRow(K, j, 2)[1]).toBeCloseTo(rho[i], 15);
      }
      // Elsewhere the radius is 0: the nominal kernel.
      for (let r = 4; r < 3 * 2 * 4; r++) expect(denseRow(K, r, 2)).toEqual(denseRow(game.kernel, r, 2));
    }
  });
});

describe('Monte Carlo under the worst-case kernel', () => {
  /** Mean and standard error of agent i's return over `episodes` seeded rollouts of pi under kernel K. */
  function rollouts(game: TabularGame, K: Kernel, policy: JointPolicy, i: number, episodes: number, seed: string): { mean: number; se: number } {
    const rng = createRng(seed);
    const { S, H, J, m } = game;
    let sum = 0;
    let sumSq = 0;
    for (let e = 0; e < episodes; e++) {
      let s = sampleIndex(rng, game.initial, 0, S);
      let ret = 0;
      for (let h = 0; h < H; h++) {
        const j = sampleIndex(rng, policy.prob, (h * S + s) * J, J);
        const r = (h * S + s) * J + j;
        ret += game.reward[r * m + i];
        const k = sampleIndex(rng, K.prob, K.rowStart[r], K.rowStart[r + 1] - K.rowStart[r]);
        s = K.next[K.rowStart[r] + k];
      }
      sum += ret;
      sumSq += ret * ret;
    }
    const mean = sum / episodes;
    const variance = (sumSq - episodes * mean * mean) / (episodes - 1);
    return { mean, se: Math.sqrt(variance / episodes) };
  }

  for (const divergence of ['tv', 'kl'] as const) {
    it(`${divergence}: 4,000 episodes per agent, mean return within 4 standard errors of V_i (and the nominal kernel scores higher)`, () => {
      const rng = createRng(`mc-${divergence}`);
      const game = denseToTabular(
        randomDenseGame(rng, { m: 2, A: [2, 3], S: 5, H: 4, divergence, zeroRadius: 0, maxRadius: divergence === 'tv' ? 0.5 : 1 }),
      );
      const policy = randomJoint(game, rng);
      const evaluator = createEvaluator(game);
      const ev = evaluator.evaluate(policy);
      for (let i = 0; i < 2; i++) {
        let v = 0;
        for (let s = 0; s < game.S; s++) v += game.initial[s] * ev.value[i * game.S + s];
        const { mean, se } = rollouts(game, evaluator.worstCaseKernel(policy, i), policy, i, 4000, `mc-${divergence}-${i}`);
        expect(se).toBeGreaterThan(0);
        expect(Math.abs(mean - v)).toBeLessThan(4 * se);
        // The nominal value is higher by more than sampling noise here, so the test can tell kernels apart.
        const nominal = expectationRecursion(game, game.kernel, policy, i);
        let vNominal = 0;
        for (let s = 0; s < game.S; s++) vNominal += game.initial[s] * nominal[s];
        expect(vNominal - v).toBeGreaterThan(8 * se);
      }
    });
  }
});
