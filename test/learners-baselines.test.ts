/**
 * Baselines and plumbing: MORNAVI with rho = 0 and Nash-VI learn alike on a non-robust game; teamLearner's policy is
 * the product of its agents' policies and routes each agent its own action and reward; independent Q-learning solves
 * a one-agent MDP; the random learner is uniform. (The registry's own tests are beside it in packages/learners/src.)
 */
import { createRng, jointActionLayout, productToJoint, randomGame, buildGame } from '@drmg/core';
import type { Rng, TabularGame } from '@drmg/core';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import {
  agentContext,
  createIndependentQAgent,
  createLearner,
  createNashVi,
  createMornavi,
  createRandomLearner,
  learnerContext,
  runEpisode,
  teamLearner,
} from '@drmg/learners';
import type { Agent, AgentObservation, Learner } from '@drmg/learners';
import { describe, expect, it } from 'vitest';

/** Cumulative exact gap (from the initial distribution) of the first K episode policies, and the mean of the last 500. */
function regret(game: TabularGame, learner: Learner, K: number, seed: number): { total: number; late: number } {
  const ev = createEvaluator(game);
  const rng = createRng(seed);
  let total = 0;
  let late = 0;
  for (let k = 0; k < K; k++) {
    const g = initialGap(game, ev.evaluate(runEpisode(game, learner, k, rng).policy, { swap: false }));
    total += g;
    if (k >= K - 500) late += g / 500;
  }
  return { total, late };
}

describe('non-robust baselines', () => {
  it('MORNAVI with rho = 0 and Nash-VI reach similar (small) gaps on a non-robust game', () => {
    // A random game with every radius 0: both learn its ordinary CCE from the same kind of data.
    const base = randomGame(11, { S: 4, H: 3, A: [2, 2], divergence: 'tv' });
    const game: TabularGame = { ...base, radius: new Float64Array(base.radius.length) };
    const K = 3000;
    const uniform = initialGap(game, createEvaluator(game).evaluate(createRandomLearner(learnerContext(game, K)).outputPolicy(), { swap: false }));
    const a = regret(game, createMornavi(learnerContext(game, K), { rhoScale: 0 }), K, 1);
    const b = regret(game, createNashVi(learnerContext(game, K)), K, 1);
    // Both far below the uniform policy's regret, and within a factor 4 of each other (figures: examples/learning-evidence.ts).
    expect(a.total).toBeLessThan((uniform * K) / 10);
    expect(b.total).toBeLessThan((uniform * K) / 10);
    expect(Math.max(a.total, b.total) / Math.min(a.total, b.total)).toBeLessThan(4);
    expect(a.late).toBeLessThan(uniform / 10);
    expect(b.late).toBeLessThan(uniform / 10);
  });

  it('MORNAVI with rhoScale = 0 is exactly MORNAVI on the game with its radii zeroed', () => {
    const game = randomGame(4, { S: 3, H: 2, A: [2, 2], divergence: 'tv' });
    const zero: TabularGame = { ...game, radius: new Float64Array(game.radius.length) };
    const a = createMornavi(learnerContext(game, 50), { rhoScale: 0 });
    const b = createMornavi(learnerContext(zero, 50));
    const ra = createRng(3);
    const rb = createRng(3);
    for (let k = 0; k < 50; k++) {
      const pa = runEpisode(game, a, k, ra).policy;
      const pb = runEpisode(game, b, k, rb).policy;
      expect(pa.kind === 'joint' && pb.kind === 'joint' && Array.from(pa.prob).join() === Array.from(pb.prob).join()).toBe(true);
    }
  });

  it('independent Q-learning finds the optimal policy of a one-agent MDP', () => {
    // Two states, H = 2: in state 0 action 1 pays 0.2 but leads to state 1 where action 0 pays 1 (total 1.2), action 0
    // pays 0.5 and stays (total 1.0 at best). The optimal policy: a = 1 at (0, 0), a = 0 at (1, 1).
    const game = buildGame({
      states: 2, horizon: 2, actions: [2], initial: 0, divergence: 'tv', radius: 0,
      reward: (_h, s, a) => (s === 0 ? (a[0] === 1 ? 0.2 : 0.5) : a[0] === 0 ? 1 : 0),
      transition: (_h, s, a) => (s === 0 && a[0] === 1 ? [0, 1] : s === 0 ? [1, 0] : [0, 1]),
    });
    const K = 2000;
    const learner = createLearner('independent-q', learnerContext(game, K), {});
    const r = regret(game, learner, K, 2);
    // Optimism still tries the worse action now and then (its bonus ~ 1/sqrt(n)), rarely by the end.
    expect(r.late).toBeLessThan(0.01);
    expect(r.total).toBeLessThan(0.05 * K);
    const out = learner.outputPolicy();
    expect(out.kind).toBe('product');
    if (out.kind === 'product') {
      expect(out.marginals[0][(0 * 2 + 0) * 2 + 1]).toBe(1);
      expect(out.marginals[0][(1 * 2 + 1) * 2 + 0]).toBe(1);
    }
  });

  it('the random learner is uniform, and its act draws every joint action', () => {
    const game = randomGame(1, { S: 2, H: 2, A: [2, 3], divergence: 'tv' });
    const learner = createRandomLearner(learnerContext(game, 10));
    const p = learner.beginEpisode(0);
    const joint = productToJoint(p as never, game);
    for (const x of joint.prob) expect(x).toBeCloseTo(1 / 6, 15);
    const seen = new Set<number>();
    const rng = createRng(1);
    for (let t = 0; t < 200; t++) seen.add(learner.act(0, 0, rng));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

/** A scripted agent with a fixed policy that records what it is told. */
function scriptedAgent(policy: Float64Array, actions: number, log: unknown[]): Agent {
  return {
    act(obs: AgentObservation, rng: Rng): number {
      const base = (obs.h * 2 + obs.s) * actions;
      let u = rng();
      for (let a = 0; a < actions - 1; a++) if ((u -= policy[base + a]) < 0) return a;
      return actions - 1;
    },
    observe(obs, action, reward, next) {
      log.push([obs.h, obs.s, action, reward, next.h, next.s]);
    },
    endEpisode(k) {
      log.push(['end', k]);
    },
    policy: () => policy,
  };
}

describe('teamLearner', () => {
  it("hands out the product of its agents' policies and routes each agent its own action and reward", () => {
    const game = randomGame(6, { S: 2, H: 2, A: [2, 3], divergence: 'tv' });
    const rng = createRng(9);
    const pols = [2, 3].map((n) => {
      const t = new Float64Array(2 * 2 * n);
      for (let r = 0; r < 4; r++) {
        let sum = 0;
        for (let a = 0; a < n; a++) sum += t[r * n + a] = rng() + 0.1;
        for (let a = 0; a < n; a++) t[r * n + a] /= sum;
      }
      return t;
    });
    const logs: unknown[][] = [[], []];
    const team = teamLearner([scriptedAgent(pols[0], 2, logs[0]), scriptedAgent(pols[1], 3, logs[1])], learnerContext(game, 5));
    const policy = team.beginEpisode(0);
    expect(policy.kind).toBe('product');
    const joint = productToJoint(policy as never, game);
    const layout = jointActionLayout([2, 3]);
    for (let hs = 0; hs < 4; hs++) for (let j = 0; j < 6; j++) {
      const a0 = layout.actionOf[j * 2], a1 = layout.actionOf[j * 2 + 1];
      expect(joint.prob[hs * 6 + j]).toBeCloseTo(pols[0][hs * 2 + a0] * pols[1][hs * 3 + a1], 15);
    }
    // Empirical frequencies of act at (h, s) = (1, 0) match the product.
    const counts = new Float64Array(6);
    const n = 20000;
    for (let t = 0; t < n; t++) counts[team.act(1, 0, rng)]++;
    for (let j = 0; j < 6; j++) expect(Math.abs(counts[j] / n - joint.prob[2 * 6 + j])).toBeLessThan(0.015);
    // observe: joint action 4 = (1, 1), rewards (0.25, 0.75), next state 1.
    team.observe(0, 1, 4, [0.25, 0.75], 1);
    team.endEpisode(0);
    expect(logs[0]).toEqual([[0, 1, 1, 0.25, 1, 1], ['end', 0]]);
    expect(logs[1]).toEqual([[0, 1, 1, 0.75, 1, 1], ['end', 0]]);
  });

  it('rejects a team of the wrong size and an agent that returns a bad action', () => {
    const game = randomGame(6, { S: 2, H: 2, A: [2, 2], divergence: 'tv' });
    const ctx = learnerContext(game, 5);
    expect(() => teamLearner([createIndependentQAgent(agentContext(ctx, 0))], ctx)).toThrow(/expected 2 agents/);
    const bad: Agent = { act: () => 7, observe() {}, endEpisode() {}, policy: () => new Float64Array(8).fill(0.5) };
    const team = teamLearner([bad, bad], ctx);
    expect(() => team.act(0, 0, createRng(1))).toThrow(/agents\[0\]\.act\(h=0, s=0\): returned 7/);
  });
});

