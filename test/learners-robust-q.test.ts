/**
 * The worst-kernel wrapper and robust-q (packages/learners/src/worst-kernel.ts, robust-q.ts).
 *  - Exactness of the sampling: unit-tested beside the wrapper (packages/learners/src/worst-kernel.test.ts).
 *  - robust-q on twin bridges (closed-form gap): below a derived threshold in the robust game, where independent Q
 *    (the same learner without the wrapper) is at the maximal gap.
 *  - Its simulator calls (compare's samples axis): n - 1 draws exactly at the transitions that draw, none elsewhere.
 */
import { DrmgError, createRng, randomGame } from '@drmg/core';
import type { Policy, TabularGame } from '@drmg/core';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { createLearner, getLearner, learnerContext, runEpisode } from '@drmg/learners';
import type { Learner } from '@drmg/learners';
import { describe, expect, it } from 'vitest';
import { klBridgeValue, twinBridges } from './twin-bridges.ts';

function train(game: TabularGame, name: string, K: number, seed: number, params: Record<string, unknown> = {}): Learner {
  const learner = createLearner(name, learnerContext(game, K, true), params);
  const rng = createRng(seed);
  for (let k = 0; k < K; k++) runEpisode(game, learner, k, rng);
  return learner;
}

const gapOf = (game: TabularGame, policy: Policy) => initialGap(game, createEvaluator(game).evaluate(policy));

describe('robust-q: independent Q in the worst-kernel wrapper, on twin bridges (closed-form gap)', () => {
  // Threshold (as in learners-v-learning.test.ts): the gap is G max_i pi_i(bridge) with G = 0.45 (TV, rho = 0.9) or
  // 0.5 - sigma_KL ~ 0.32 (KL, rho = 2); we ask for G / 4. Q-learning's policy is greedy, so the gap is 0 or G per
  // agent once Q has settled: with the wrapper, the bridge's target converges to (0.95 - 0.9) = 0.05 (TV, any n:
  // TV moves rho of mass by support shift) or, for KL, to E[sigma_KL(P_n)] ~ 0.2 at n = 64 (the fall is missing
  // from all 64 draws with probability 0.95^64 = 0.04), both below the path's 0.5. Optimistic exploration settles
  // after a few thousand episodes here (at K = 1,000 some seeds still send one robot over the bridge): K = 5,000.
  it('TV: robust gap <= 0.45 / 4 (measured 0) where independent Q has the maximal 0.45', () => {
    const game = twinBridges(0.9, 'tv');
    for (const seed of [1, 2, 3]) {
      expect(gapOf(game, train(game, 'robust-q', 5000, seed).outputPolicy())).toBeLessThanOrEqual(0.45 / 4);
      expect(gapOf(game, train(game, 'independent-q', 2000, seed).outputPolicy())).toBeCloseTo(0.45, 12);
    }
  });

  it('KL with draws = 64: robust gap <= G / 4', () => {
    const game = twinBridges(2, 'kl');
    const G = 0.5 - klBridgeValue(2);
    for (const seed of [1, 2, 3]) expect(gapOf(game, train(game, 'robust-q', 5000, seed, { draws: 64 }).outputPolicy())).toBeLessThanOrEqual(G / 4);
  });

  it('counts its simulator calls: n - 1 nominal draws per transition where some agent has rho > 0 and h + 1 < H', () => {
    // A context whose radii are zero except agent 1's at state 0: the wrapper draws only at (h < H - 1, s = 0).
    const game = randomGame(4, { S: 3, H: 3, A: [2, 2], divergence: 'tv' });
    const radius = new Float64Array(2 * game.H * game.S);
    for (let h = 0; h < game.H; h++) radius[(1 * game.H + h) * game.S + 0] = 0.2;
    const learner = createLearner('robust-q', { ...learnerContext(game, 10, true), radius }, { draws: 5 });
    expect(learner.simulatorCalls!()).toBe(0);
    learner.beginEpisode(0);
    const r = [0.5, 0.5];
    learner.observe(0, 0, 1, r, 2);
    expect(learner.simulatorCalls!()).toBe(4); // rho > 0 at (0, 0): the real next state and 4 draws
    learner.observe(1, 1, 1, r, 0);
    expect(learner.simulatorCalls!()).toBe(4); // rho = 0 for both agents at state 1
    learner.observe(2, 0, 1, r, 0);
    expect(learner.simulatorCalls!()).toBe(4); // h + 1 = H: no next value to be robust about
    learner.observe(1, 0, 3, r, 1);
    expect(learner.simulatorCalls!()).toBe(8);
    // Over whole episodes: a multiple of n - 1, at most (H - 1)(n - 1) per episode; independent Q draws nothing.
    const trained = train(twinBridges(0.9, 'tv'), 'robust-q', 50, 2, { draws: 8 });
    const calls = trained.simulatorCalls!();
    expect(calls % 7).toBe(0);
    expect(calls).toBeGreaterThan(0);
    expect(calls).toBeLessThanOrEqual(50 * (twinBridges(0.9, 'tv').H - 1) * 7);
    expect(train(twinBridges(0.9, 'tv'), 'independent-q', 5, 2).simulatorCalls).toBeUndefined();
  });

  it('is deterministic in its seeds, and refuses a context without the model', () => {
    const game = twinBridges(0.9, 'tv');
    const a = train(game, 'robust-q', 200, 4, { seed: 9 }).outputPolicy();
    const b = train(game, 'robust-q', 200, 4, { seed: 9 }).outputPolicy();
    expect(a).toEqual(b);
    expect(getLearner('robust-q').needsModel).toBe(true);
    expect(Object.keys(getLearner('robust-q').params)).toEqual(['c', 'delta', 'draws', 'seed']);
    expect(() => createLearner('robust-q', learnerContext(game, 10))).toThrow(DrmgError);
    expect(() => createLearner('robust-q', learnerContext(game, 10))).toThrow(/needs the model/);
    expect(() => createLearner('robust-q', learnerContext(game, 10, true), { draws: 0 })).toThrow(/--param draws: learner robust-q: expected an integer in \[1, 10000\], got 0/);
  });
});
