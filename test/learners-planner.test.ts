/**
 * The known-model robust planner (`planRobustEquilibrium`, the zero-regret reference; its stage-game solver is
 * unit-tested in packages/learners/src/stage-solver.test.ts), checked against the independent exact evaluator: the planner's policy must have robust gap (NE, CCE)
 * or CE gap <= 1e-9 at every state, and its values must be the evaluator's robust values of that policy.
 */
import { buildGame, createRng, randomGame } from '@drmg/core';
import type { TabularGame } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { createPlanner, learnerContext, planRobustEquilibrium, runEpisode } from '@drmg/learners';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

function maxOf(a: Float64Array): number {
  let x = -Infinity;
  for (const v of a) if (v > x) x = v;
  return x;
}

/** max over i, s of |V_planner - V_evaluator| at step 0. */
function valueError(game: TabularGame, planned: Float64Array, evaluated: Float64Array): number {
  let e = 0;
  for (let i = 0; i < game.m; i++) for (let s = 0; s < game.S; s++) e = Math.max(e, Math.abs(planned[i * game.S + s] - evaluated[i * game.S + s]));
  return e;
}

describe('planRobustEquilibrium: exact robust equilibria by backward induction', () => {
  const shapes = [[2, 3], [3, 2], [2, 2], [4]];
  for (const divergence of ['tv', 'kl'] as const) {
    for (const equilibrium of ['cce', 'ce', 'nash'] as const) {
      it(`${equilibrium} on random ${divergence.toUpperCase()} games with 1-2 agents: gap <= 1e-9, values = evaluator's`, () => {
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(...shapes), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), (seed, A, S, H) => {
            const game = randomGame(seed, { S, H, A, divergence, maxRadius: 0.5, support: Math.min(S, 3) });
            const plan = planRobustEquilibrium(game, { equilibrium });
            expect(plan.policy.kind).toBe(equilibrium === 'nash' ? 'product' : 'joint');
            const ev = createEvaluator(game).evaluate(plan.policy);
            const gap = equilibrium === 'ce' ? ev.ceGap : ev.gap;
            expect(maxOf(gap)).toBeLessThanOrEqual(1e-9);
            expect(plan.certifiedGap).toBeLessThanOrEqual(1e-9);
            expect(valueError(game, plan.value, ev.value)).toBeLessThanOrEqual(1e-12);
            // Row H of the value table is zero.
            for (let k = H * game.m * S; k < (H + 1) * game.m * S; k++) expect(plan.value[k]).toBe(0);
          }),
          { numRuns: 25, seed: 17 },
        );
      });
    }
  }

  it('three agents: cce and ce exact; nash within its certified epsilon (<= 1e-6)', () => {
    for (const divergence of ['tv', 'kl'] as const) {
      for (let seed = 1; seed <= 3; seed++) {
        const game = randomGame(100 + seed, { S: 3, H: 2, A: [2, 2, 2], divergence, maxRadius: 0.4 });
        const ev = createEvaluator(game);
        const cce = planRobustEquilibrium(game, { equilibrium: 'cce' });
        expect(maxOf(ev.evaluate(cce.policy).gap)).toBeLessThanOrEqual(1e-9);
        const ce = planRobustEquilibrium(game, { equilibrium: 'ce' });
        expect(maxOf(ev.evaluate(ce.policy).ceGap)).toBeLessThanOrEqual(1e-9);
        const ne = planRobustEquilibrium(game, { equilibrium: 'nash' });
        const gap = maxOf(ev.evaluate(ne.policy).gap);
        expect(gap).toBeLessThanOrEqual(ne.certifiedGap + 1e-12);
        expect(ne.certifiedGap).toBeLessThanOrEqual(1e-6);
      }
    }
  });

  it('initial shock (paper Example 1): the robust CCE plays the secret action in bad, value = H at good', () => {
    // Good is absorbing with reward 1 whatever is played, so V(good) = H for every policy; in bad only a* = (1, 1)
    // pays 1 and returns to good: any equilibrium worth having plays a* there (welfare selection picks it).
    const H = 3;
    const game = buildGame({
      states: 2, horizon: H, actions: [2, 2], initial: 0, divergence: 'tv',
      radius: (_i, h, s) => (h === 0 && s === 0 ? 0.2 : 0),
      reward: (_h, s, a) => (s === 0 || (a[0] === 1 && a[1] === 1) ? 1 : 0),
      transition: (_h, s, a) => (s === 0 || (a[0] === 1 && a[1] === 1) ? [1, 0] : [0, 1]),
    });
    const plan = planRobustEquilibrium(game, { equilibrium: 'cce' });
    expect(plan.policy.kind).toBe('joint');
    if (plan.policy.kind !== 'joint') return;
    for (let h = 0; h < H; h++) expect(plan.policy.prob[(h * 2 + 1) * 4 + 3]).toBeCloseTo(1, 12);
    // Step 0 in good: reward 1 + sigma over next states with V_1 = (2 in good, 2 in bad): the adversary moves 0.2
    // to bad, whose value is 2 as well (a* is played there), so V_0(good) = 3 exactly.
    expect(plan.value[0 * 2 + 0]).toBeCloseTo(3, 12);
  });

  it('the planner learner plays its plan every episode and reports the certified gap', () => {
    const game = randomGame(5, { S: 3, H: 2, A: [2, 2], divergence: 'tv' });
    const learner = createPlanner(learnerContext(game, 10, true), { equilibrium: 'ce' });
    const rng = createRng(1);
    const first = runEpisode(game, learner, 0, rng);
    const second = runEpisode(game, learner, 1, rng);
    expect(second.policy).toBe(first.policy);
    expect(first.report.certifiedGap).toBeLessThanOrEqual(1e-9);
    expect(maxOf(createEvaluator(game).evaluate(learner.outputPolicy()).ceGap)).toBeLessThanOrEqual(1e-9);
    expect(() => createPlanner(learnerContext(game, 10))).toThrow(/needs the model/);
  });
});

