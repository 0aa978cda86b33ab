/**
 * microgrid-v0 (packages/envs/src/builtins/microgrid.ts): sizes and hand-worked kernel rows, the blackout as every
 * agent's failure state, the size limit, checkEnv; at the default size (6 agents, 5 actions, J = 15,625) the
 * joint-action learners refuse with the size message and the decentralised ones train and are evaluated exactly.
 */
import { createRng } from '@drmg/core';
import type { TabularGame } from '@drmg/core';
import { checkEnv, make } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { MAX_JOINT_ACTIONS, createLearner, learnerContext, planRobustEquilibrium, runEpisode } from '@drmg/learners';
import { describe, expect, it } from 'vitest';

/** The nominal next-state distribution of row (h, s, j) as a dense array. */
function row(game: TabularGame, h: number, s: number, j: number): number[] {
  const out = new Array<number>(game.S).fill(0);
  const r = (h * game.S + s) * game.J + j;
  for (let k = game.kernel.rowStart[r]; k < game.kernel.rowStart[r + 1]; k++) out[game.kernel.next[k]] = game.kernel.prob[k];
  return out;
}

describe('microgrid-v0', () => {
  const game = make('microgrid-v0').model;

  it('has m = 6 households with 5 draw levels (J = 15,625), S = 4 (normal, stress1, stress2, blackout), H = 6', () => {
    expect([game.m, game.J, game.S, game.H]).toEqual([6, 15_625, 4, 6]);
    expect(game.labels?.states).toEqual(['normal', 'stress1', 'stress2', 'blackout']);
    expect(game.failureStates).toEqual(Array.from({ length: 6 }, () => [3]));
  });

  it('kernel rows and rewards by hand (c = 0.5, fault = 0.05, recovery = 0.5)', () => {
    const J = game.J;
    // Everyone draws nothing (j = 0, u = 0): at normal, up = fault = 0.05; at stress1, up 0.05, down 0.5 * (0.5 - 0) / 0.5 = 0.5.
    expect(row(game, 0, 0, 0)).toEqual([0.95, 0.05, 0, 0].map((x) => expect.closeTo(x, 12)));
    expect(row(game, 0, 1, 0)).toEqual([0.5, 0.45, 0.05, 0].map((x) => expect.closeTo(x, 12)));
    // Everyone draws the most (j = J - 1, u = 1): up = min(1, 0.05 + 0.5 / 0.5) = 1; from stress2 that is the blackout.
    expect(row(game, 2, 2, J - 1)).toEqual([0, 0, 0, 1]);
    // Half the load (three households at 4, three at 0: u = 12 / 24 = 0.5 = c): up = fault only, no recovery.
    const half = 4 * (5 ** 5 + 5 ** 4 + 5 ** 3);
    expect(row(game, 0, 1, half)).toEqual([0, 0.95, 0.05, 0].map((x) => expect.closeTo(x, 12)));
    expect(row(game, 0, 3, half)).toEqual([0, 0, 0, 1]); // blackout is absorbing
    // Rewards: a_i / 4 while the feeder is up, 0 in the blackout.
    expect(Array.from(game.reward.subarray(half * 6, half * 6 + 6))).toEqual([1, 1, 1, 0, 0, 0]);
    expect(Array.from(game.reward.subarray(((0 * 4 + 3) * J + half) * 6, ((0 * 4 + 3) * J + half) * 6 + 6))).toEqual([0, 0, 0, 0, 0, 0]);
    // TV radius rho = 0.2 only in the stress levels.
    expect(Array.from(game.radius.subarray(0, 4))).toEqual([0, 0.2, 0.2, 0]);
  });

  it('passes checkEnv at a small size and refuses sizes past 2^25 reward entries', () => {
    const report = checkEnv(make('microgrid-v0', { agents: 4, actions: 2, horizon: 3 }));
    expect(report).toBeDefined();
    expect(() => make('microgrid-v0', { agents: 8, actions: 5 })).toThrow(/microgrid-v0\.agents: H\*S\*J\*m = 6\*4\*5\^8\*8 = 75000000 reward entries, expected at most 2\^25/);
  });

  it('refuses every joint-action learner with the size message', () => {
    expect(MAX_JOINT_ACTIONS).toBe(4096);
    for (const name of ['mornavi-tv', 'nash-vi', 'planner', 'dr-nvi']) {
      expect(() => createLearner(name, learnerContext(game, 10, true))).toThrow(
        new RegExp(`learner ${name}: J = 15,625 joint actions \\(actions 5 x 5 x 5 x 5 x 5 x 5\\): ${name} plans over the joint action space .* use a decentralised learner, .*robust-v-learning or robust-q`),
      );
    }
    expect(() => planRobustEquilibrium(game)).toThrow(/learner planRobustEquilibrium: J = 15,625 joint actions/);
    const kl = make('microgrid-v0', { divergence: 'kl' }).model;
    expect(() => createLearner('mornavi-kl', learnerContext(kl, 10))).toThrow(/J = 15,625 joint actions/);
  });

  it('the decentralised learners train at J = 15,625 and their product policies are evaluated exactly', () => {
    const ev = createEvaluator(game);
    for (const name of ['robust-v-learning', 'v-learning', 'robust-q', 'independent-q']) {
      const learner = createLearner(name, learnerContext(game, 50, true));
      const rng = createRng(1);
      for (let k = 0; k < 50; k++) runEpisode(game, learner, k, rng);
      const policy = learner.outputPolicy();
      expect(policy.kind).toBe('product');
      const gap = initialGap(game, ev.evaluate(policy, { swap: false }));
      expect(gap).toBeGreaterThanOrEqual(-1e-12);
      expect(gap).toBeLessThanOrEqual(game.H);
    }
  });
});
