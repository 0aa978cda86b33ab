import { buildGame, DrmgError, uniformPolicy } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { describe, expect, it } from 'vitest';
import { adversarialKernel } from './adversarial-kernel.ts';
import { createTabularEnv } from './tabular-env.ts';

// Two states, H = 2, one agent with 2 actions; reward 1 in state 0; nominal: stay put; TV radius 0.25.
const game = buildGame({
  name: 'two-state',
  states: 2,
  horizon: 2,
  actions: [2],
  initial: 0,
  reward: (_h, s) => (s === 0 ? 1 : 0),
  transition: (_h, s) => (s === 0 ? [1, 0] : [0, 1]),
  divergence: 'tv',
  radius: 0.25,
});

describe('adversarialKernel', () => {
  it('worst-case: samples the evaluator worst-case kernel, inside the agent set, keeping model and spaces', () => {
    const env = createTabularEnv(game, { id: 'two-state-v0' });
    const policy = uniformPolicy(game);
    const adv = adversarialKernel(env, { type: 'worst-case', agent: 0, policy });
    const wc = createEvaluator(game).worstCaseKernel(policy, 0);
    expect(Array.from(adv.kernel.prob)).toEqual(Array.from(wc.prob));
    expect(adv.model).toBe(game);
    expect(adv.kernelLabel).toBe('worst-case:0');
    expect(adv.metadata.id).toBe('two-state-v0');
    expect(adv.report.inside).toBe(true);
    expect(adv.unwrapped).toBe(env);
    // From state 0 at step 0 the adversary moves 1/4 of the mass to state 1 (value 0 < 1).
    adv.resetState(1);
    let bad = 0;
    for (let n = 0; n < 4000; n++) {
      adv.resetState();
      if (adv.stepIndex(0) === 1) bad++;
    }
    expect(Math.abs(bad / 4000 - 0.25)).toBeLessThan(4 * Math.sqrt(0.1875 / 4000));
    expect(adv.render()).toContain('[worst-case:0 kernel]');
  });

  it('fixed: accepts a dense kernel and reports the worst violation of the set', () => {
    const env = createTabularEnv(game);
    // Row (h=1, s=0, j=1) moves 0.6 of the mass: TV 0.6 > 0.25; row (0, 0, 0) moves 0.2 (inside).
    const dense = new Float64Array(2 * 2 * 2 * 2);
    for (let h = 0; h < 2; h++) for (let s = 0; s < 2; s++) for (let j = 0; j < 2; j++) dense[((h * 2 + s) * 2 + j) * 2 + s] = 1;
    dense.set([0.8, 0.2], 0);
    dense.set([0.4, 0.6], ((1 * 2 + 0) * 2 + 1) * 2);
    const adv = adversarialKernel(env, { type: 'fixed', kernel: dense });
    expect(adv.report.inside).toBe(false);
    expect(adv.report.agents[0].rowsOutside).toBe(1);
    expect(adv.report.agents[0].worst).toMatchObject({ h: 1, s: 0, j: 1, radius: 0.25 });
    expect(adv.report.agents[0].worst?.distance).toBeCloseTo(0.6, 12);
    expect(() => adversarialKernel(env, { type: 'fixed', kernel: dense, strict: true })).toThrow(
      /^adversary\.kernel\[1\]\[0\]\[1\]: outside agent 0's TV set: divergence 0\.6\d* > radius 0\.25 \(1 rows outside\)$/,
    );
    dense.set([0.4, 0.5], 4);
    expect(() => adversarialKernel(env, { type: 'fixed', kernel: dense })).toThrow('adversary.kernel[0][1][0]: row sums to 0.9, expected 1');
  });

  it('custom: tabulates (h, s, j, nominalRow) -> row once per row and validates it', () => {
    const env = createTabularEnv(game);
    const calls: string[] = [];
    const adv = adversarialKernel(env, {
      type: 'custom',
      row: (h, s, j, nominal) => {
        calls.push(`${h}${s}${j}`);
        // Move 0.1 of the mass to the other state (inside the 0.25 ball).
        return [0.9 * nominal[0] + 0.1 * nominal[1], 0.9 * nominal[1] + 0.1 * nominal[0]];
      },
    });
    expect(calls).toEqual(['000', '001', '010', '011', '100', '101', '110', '111']);
    expect(adv.report.inside).toBe(true);
    expect(adv.report.maxDistance).toBeCloseTo(0.1, 12);
    expect(() => adversarialKernel(env, { type: 'custom', row: () => [0.5] })).toThrow('adversary.row(h=0, s=0, j=0): expected a row of 2 probabilities (S), got 1 entries');
    expect(() => adversarialKernel(env, { type: 'custom', row: (h) => (h === 1 ? [-0.5, 1.5] : [1, 0]) })).toThrow('adversary.row(h=1, s=0, j=0)[0]: expected a probability >= 0, got -0.5');
    expect(() => adversarialKernel(env, { type: 'custom', row: () => [0, 1], strict: true })).toThrow(DrmgError);
  });

  it('random: a seeded kernel inside every set; wrapping a wrapper wraps the base environment', () => {
    const env = createTabularEnv(game);
    const a = adversarialKernel(env, { type: 'random', seed: 3 });
    const b = adversarialKernel(a, { type: 'random', seed: 3 });
    expect(a.report.inside).toBe(true);
    expect(b.unwrapped).toBe(env);
    expect(Array.from(b.kernel.prob)).toEqual(Array.from(a.kernel.prob));
  });

  it('rejects a bad agent or adversary type', () => {
    const env = createTabularEnv(game);
    expect(() => adversarialKernel(env, { type: 'worst-case', agent: 1, policy: uniformPolicy(game) })).toThrow('adversary.agent: expected an agent index in [0, 0], got 1');
    expect(() => adversarialKernel(env, { type: 'nature' } as never)).toThrow('adversary.type: expected "worst-case", "random", "fixed" or "custom", got "nature"');
  });
});
