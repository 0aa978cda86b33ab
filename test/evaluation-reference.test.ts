/**
 * The exact evaluator (@drmg/evaluators) against the independent reference (test/reference-evaluator.ts):
 * hundreds of random games, TV and KL, 1-3 agents, per-(h, s) radii (some 0, some TV radii >= 1),
 * sparse rows (so TV's worst case often moves mass outside a row's support), correlated and product
 * policies; and, for tiny games, the reference recursions against brute force over every
 * deterministic deviation policy / strategy modification.
 */
import { createRng } from '@drmg/core';
import type { Divergence, JointPolicy, ProductPolicy, Rng, TabularGame } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { describe, expect, it } from 'vitest';
import {
  bruteBestResponse,
  bruteSwapBestResponse,
  denseToTabular,
  flattenPolicy,
  jointCount,
  randomDenseGame,
  randomJointPolicy,
  randomMarginals,
  refBestResponse,
  refEvaluate,
  refProductToJoint,
  refSigmaKl,
  refSigmaTv,
  refSwapBestResponse,
  refValue,
  tabularToDense,
} from './reference-evaluator.ts';
import type { DenseGame, DensePolicy } from './reference-evaluator.ts';

const TOL = 1e-9;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let k = 0; k < a.length; k++) {
    if (Number.isNaN(a[k]) || Number.isNaN(b[k])) return Infinity;
    d = Math.max(d, Math.abs(a[k] - b[k]));
  }
  return d;
}

function jointPolicy(g: DenseGame, pi: DensePolicy): JointPolicy {
  return { kind: 'joint', H: g.H, S: g.S, J: jointCount(g.A), prob: flattenPolicy(pi) };
}

function productPolicy(g: DenseGame, marginals: number[][][][]): ProductPolicy {
  return { kind: 'product', H: g.H, S: g.S, A: [...g.A], marginals: marginals.map((mi) => Float64Array.from(mi.flat(2))) };
}

/** Random sizes with at most 12 joint actions. */
function randomSizes(rng: Rng): { m: number; A: number[]; S: number; H: number } {
  const m = 1 + Math.floor(rng() * 3);
  const A: number[] = [];
  for (let i = 0; i < m; i++) A.push(1 + Math.floor(rng() * (m === 3 ? 2 : 3)));
  return { m, A, S: 1 + Math.floor(rng() * 4), H: 1 + Math.floor(rng() * 3) };
}

/** A random game as (TabularGame, its exact dense copy for the reference). */
function randomPair(rng: Rng, divergence: Divergence, sizes = randomSizes(rng)): { game: TabularGame; g: DenseGame } {
  const game = denseToTabular(randomDenseGame(rng, { ...sizes, divergence, quantise: rng() < 0.3 ? 2 : 0 }));
  return { game, g: tabularToDense(game) };
}

describe('reference sigma sanity (hand-worked)', () => {
  it('TV: p = (0.5, 0.5, 0), V = (1, 3, 0), rho = 0.2 moves 0.2 from V=3 to the unsupported V=0: 1.4', () => {
    expect(refSigmaTv([0.5, 0.5, 0], [1, 3, 0], 0.2)).toBeCloseTo(1.4, 14);
    expect(refSigmaTv([0.5, 0.5, 0], [1, 3, 0], 0)).toBeCloseTo(2, 14);
    expect(refSigmaTv([0.5, 0.5, 0], [1, 3, 0], 1.5)).toBe(0);
  });
  it('KL: two points p = (1/2, 1/2), V = (0, 1): the sup of -eta*log((1 + e^{-1/eta})/2) - eta*rho', () => {
    // Closed form of the primal: the worst q = (1 - t, t) with KL(q||p) = log 2 + t log t + (1-t) log(1-t) = rho,
    // sigma = t. For rho = log 2 - H_b(0.3) (binary entropy in nats), t = 0.3.
    const rho = Math.log(2) + 0.3 * Math.log(0.3) + 0.7 * Math.log(0.7);
    expect(refSigmaKl([0.5, 0.5], [0, 1], rho)).toBeCloseTo(0.3, 11);
    // The eta -> 0 limit: rho >= log 2 = -log p(argmin) gives the support minimum 0.
    expect(refSigmaKl([0.5, 0.5], [0, 1], 0.8)).toBeCloseTo(0, 11);
    // Unsupported states do not count for KL.
    expect(refSigmaKl([0.5, 0.5, 0], [1, 3, -5], 100)).toBeCloseTo(1, 11);
  });
});

describe('exact evaluation = the independent reference', () => {
  for (const divergence of ['tv', 'kl'] as const) {
    it(`${divergence}: 150 random games x (correlated, product, deterministic) policies, every agent and state`, () => {
      const rng = createRng(`reference-${divergence}`);
      let shifted = 0;
      for (let n = 0; n < 150; n++) {
        const { game, g } = randomPair(rng, divergence);
        const evaluator = createEvaluator(game);
        const marginals = randomMarginals(rng, g);
        const correlated = randomJointPolicy(rng, g);
        const deterministic = randomJointPolicy(rng, g, 0, 1);
        const cases: { policy: JointPolicy | ProductPolicy; pi: DensePolicy }[] = [
          { policy: jointPolicy(g, correlated), pi: correlated },
          { policy: productPolicy(g, marginals), pi: refProductToJoint(g, marginals) },
          { policy: jointPolicy(g, deterministic), pi: deterministic },
        ];
        for (const { policy, pi } of cases) {
          const ev = evaluator.evaluate(policy);
          const ref = refEvaluate(g, pi);
          const where = `game ${n} (m=${g.m}, A=${g.A}, S=${g.S}, H=${g.H}), policy ${policy.kind}`;
          expect(maxAbsDiff(ev.value, ref.value.flat()), where).toBeLessThan(TOL);
          expect(maxAbsDiff(ev.bestResponse, ref.bestResponse.flat()), where).toBeLessThan(TOL);
          expect(maxAbsDiff(ev.swapBestResponse, ref.swapBestResponse.flat()), where).toBeLessThan(TOL);
          expect(maxAbsDiff(ev.gap, ref.gap), where).toBeLessThan(TOL);
          expect(maxAbsDiff(ev.ceGap, ref.ceGap), where).toBeLessThan(TOL);
          // Full tables (every step) for one agent.
          const i = Math.floor(rng() * g.m);
          const V = refValue(g, pi, i);
          expect(maxAbsDiff(evaluator.valueTable(policy, i), V.flat()), where).toBeLessThan(TOL);
          expect(maxAbsDiff(evaluator.bestResponseTable(policy, i), refBestResponse(g, pi, i).flat()), where).toBeLessThan(TOL);
          if (divergence === 'tv') {
            // Count rows where TV's worst case leaves the row's support (the global argmin is not in it).
            for (let h = 0; h < g.H; h++) {
              const next = V[h + 1];
              const vmin = Math.min(...next);
              for (let s = 0; s < g.S; s++) {
                if (g.radius[i][h][s] === 0) continue;
                for (const p of g.transition[h][s]) if (Math.min(...next.filter((_, sp) => p[sp] > 0)) > vmin + 1e-6) shifted++;
              }
            }
          }
        }
      }
      // The random instances exercise TV's support shift often enough to matter.
      if (divergence === 'tv') expect(shifted).toBeGreaterThan(100);
    });
  }

  it('radius 0 everywhere, both divergences: the same as the reference nominal recursion', () => {
    const rng = createRng('reference-rho0');
    for (let n = 0; n < 40; n++) {
      const divergence: Divergence = n % 2 === 0 ? 'tv' : 'kl';
      const sizes = randomSizes(rng);
      const raw = randomDenseGame(rng, { ...sizes, divergence, zeroRadius: 1 });
      const game = denseToTabular(raw);
      const g = tabularToDense(game);
      const pi = randomJointPolicy(rng, g);
      const policy = jointPolicy(g, pi);
      const evaluator = createEvaluator(game);
      for (let i = 0; i < g.m; i++) {
        expect(maxAbsDiff(evaluator.valueTable(policy, i), refValue(g, pi, i, false).flat())).toBeLessThan(1e-12);
      }
    }
  });
});

describe('the recursions = brute force over all deviations (tiny games)', () => {
  /** Tiny sizes: H <= 2, S <= 2, mostly 2 agents x 2 actions, a few 3-agent and 3x2 games. */
  function tinySizes(n: number, rng: Rng): { m: number; A: number[]; S: number; H: number } {
    const kind = n % 5;
    if (kind === 3) return { m: 3, A: [2, 2, 2], S: 1 + Math.floor(rng() * 2), H: 1 };
    if (kind === 4) return { m: 2, A: [3, 2], S: 1, H: 1 + Math.floor(rng() * 2) };
    return { m: 2, A: [2, 2], S: 1 + Math.floor(rng() * 2), H: 1 + Math.floor(rng() * 2) };
  }

  for (const divergence of ['tv', 'kl'] as const) {
    it(`${divergence}: best response = max over deterministic Markov deviations; swap = max over all phi_{h,s}`, () => {
      const rng = createRng(`brute-${divergence}`);
      for (let n = 0; n < 40; n++) {
        const sizes = tinySizes(n, rng);
        const { game, g } = randomPair(rng, divergence, sizes);
        const pi = n % 2 === 0 ? randomJointPolicy(rng, g) : refProductToJoint(g, randomMarginals(rng, g));
        const ev = createEvaluator(game).evaluate(jointPolicy(g, pi));
        for (let i = 0; i < g.m; i++) {
          const where = `game ${n} (A=${g.A}, S=${g.S}, H=${g.H}), agent ${i}`;
          const brute = bruteBestResponse(g, pi, i);
          const bruteSwap = bruteSwapBestResponse(g, pi, i);
          expect(maxAbsDiff(refBestResponse(g, pi, i)[0], brute), where).toBeLessThan(TOL);
          expect(maxAbsDiff(refSwapBestResponse(g, pi, i)[0], bruteSwap), where).toBeLessThan(TOL);
          expect(maxAbsDiff(ev.bestResponse.subarray(i * g.S, (i + 1) * g.S), brute), where).toBeLessThan(TOL);
          expect(maxAbsDiff(ev.swapBestResponse.subarray(i * g.S, (i + 1) * g.S), bruteSwap), where).toBeLessThan(TOL);
        }
      }
    });
  }
});
