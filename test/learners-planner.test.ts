/**
 * The known-model robust planner (`planRobustEquilibrium`, the zero-regret reference) and the stage-game solver
 * adapter, checked against the independent exact evaluator: the planner's policy must have robust gap (NE, CCE)
 * or CE gap <= 1e-9 at every state, and its values must be the evaluator's robust values of that policy.
 */
import { createCertificate, createCertifier } from '@drmg/equilibria';
import { buildGame, createRng, randomGame } from '@drmg/core';
import type { TabularGame } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { createPlanner, createStageSolver, learnerContext, planRobustEquilibrium, runEpisode } from '@drmg/learners';
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

describe('createStageSolver: the EQUILIBRIUM subroutine of eq. 7', () => {
  it('one agent: the first best action', () => {
    for (const eq of ['nash', 'cce', 'ce'] as const) {
      const st = createStageSolver([4], eq);
      const out = new Float64Array(4);
      expect(st.solve(Float64Array.of(0.2, 0.9, 0.9, 0.1), out)).toBe(0);
      expect(Array.from(out)).toEqual([0, 1, 0, 0]);
    }
  });

  it('a constant stage game (all Q clipped at H - h) gives the uniform distribution', () => {
    for (const eq of ['nash', 'cce', 'ce'] as const) {
      const st = createStageSolver([2, 3], eq);
      const out = new Float64Array(6);
      st.solve(new Float64Array(12).fill(3), out);
      for (const p of out) expect(p).toBeCloseTo(1 / 6, 15);
      if (eq === 'nash') expect(Array.from(st.marginals![1])).toEqual([1 / 3, 1 / 3, 1 / 3]);
    }
  });

  it('returns certified equilibria on random stage games (gap checked by an independent certify)', () => {
    const rng = createRng(3);
    for (const A of [[2, 2], [3, 3], [2, 3, 2]]) {
      const J = A.reduce((a, b) => a * b, 1);
      const m = A.length;
      const certifier = createCertifier(A);
      const cert = createCertificate(m);
      for (const eq of ['nash', 'cce', 'ce'] as const) {
        const st = createStageSolver(A, eq);
        for (let t = 0; t < 30; t++) {
          const U = Float64Array.from({ length: J * m }, () => Math.floor(rng() * 5) / 2); // ties are common
          const out = new Float64Array(J);
          const gap = st.solve(U, out);
          certifier.certify(U, out, cert);
          const actual = eq === 'ce' ? cert.ceGap : cert.cceGap;
          expect(Math.abs(actual - gap)).toBeLessThanOrEqual(1e-9);
          expect(actual).toBeLessThanOrEqual(m >= 3 && eq === 'nash' ? 1e-6 : 1e-9);
          let sum = 0;
          for (const p of out) {
            expect(p).toBeGreaterThanOrEqual(0);
            sum += p;
          }
          expect(sum).toBeCloseTo(1, 12);
        }
      }
    }
  });

  it('backs up a CCE LP that reports failure (a 2x3 stage game met during MORNAVI training)', () => {
    // This payoff made an earlier createCceSolver([2, 3]) end 'failed' (uniform distribution, certificate 0.049) while the CE
    // LP and HiGHS solve it; the adapter must still return a certified CCE.
    const U = Float64Array.of(3, 2.742087426282663, 3, 2.574373611351639, 2.5134873928338655, 3, 2.8250298656333164, 2.874589241379904, 2.394883644299309, 3, 3, 2.725613007130498);
    const st = createStageSolver([2, 3], 'cce');
    const out = new Float64Array(6);
    const gap = st.solve(U, out);
    const cert = createCertifier([2, 3]).certify(U, out, createCertificate(2));
    expect(cert.cceGap).toBeLessThanOrEqual(1e-9);
    expect(gap).toBeLessThanOrEqual(1e-9);
  });

  it('rejects bad input', () => {
    expect(() => createStageSolver([2, 2], 'nope' as 'cce')).toThrow(/nash, cce, ce/);
    const st = createStageSolver([2, 2], 'cce');
    expect(() => st.solve(new Float64Array(3), new Float64Array(4))).toThrow(/expected 8 entries/);
    expect(() => st.solve(Float64Array.of(0, 0, 0, 0, 0, 0, 0, NaN), new Float64Array(4))).toThrow(/finite/);
    expect(() => st.solve(new Float64Array(8), new Float64Array(3))).toThrow(/room for 4/);
  });
});
