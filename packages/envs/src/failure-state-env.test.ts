import { randomGame, uniformPolicy } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { describe, expect, it } from 'vitest';
import { adversarialKernel } from './adversarial-kernel.ts';
import { make } from './env-registry.ts';
import { failureStateEnv } from './failure-state-env.ts';
import { gameWithKernel } from './game-with-kernel.ts';
import { rolloutReturns } from './rollout-returns.ts';
import { createTabularEnv } from './tabular-env.ts';

/** sum_s mu(s) V_i(s) of `policy` on `game`. */
function start(game: ReturnType<typeof randomGame>, value: Float64Array, i: number): number {
  let v = 0;
  for (let s = 0; s < game.S; s++) v += game.initial[s] * value[i * game.S + s];
  return v;
}

describe('failureStateEnv', () => {
  it('Monte Carlo returns agree with the exact value of withFailureStates(game) under the sampled kernel', () => {
    const game = randomGame(11, { S: 3, H: 4, A: [2, 2], maxRadius: 0.2 });
    const env = failureStateEnv(createTabularEnv(game), { leak: 0.15 });
    const policy = uniformPolicy(env.model);
    const exact = createEvaluator(gameWithKernel(env.model, env.kernel, { radius: 0 })).evaluate(policy, { bestResponse: false, swap: false });
    const mc = rolloutReturns(env, policy, { episodes: 6000, seed: 2 });
    for (let i = 0; i < 2; i++) expect(Math.abs(mc.meanReturn[i] - start(env.model, exact.value, i))).toBeLessThan(4 * mc.stdErr[i] + 1e-12);
  });

  it("over agent 0's worst case on the larger model, returns agree with agent 0's robust value", () => {
    const game = randomGame(12, { S: 3, H: 3, A: [2, 2], maxRadius: 0.3 });
    const fs = failureStateEnv(createTabularEnv(game), { leak: 0.05 });
    const policy = uniformPolicy(fs.model);
    const robust = createEvaluator(fs.model).evaluate(policy, { bestResponse: false, swap: false });
    const mc = rolloutReturns(adversarialKernel(fs, { type: 'worst-case', agent: 0, policy }), policy, { episodes: 6000, seed: 3 });
    expect(Math.abs(mc.meanReturn[0] - start(fs.model, robust.value, 0))).toBeLessThan(4 * mc.stdErr[0] + 1e-12);
  });

  it('keeps state views and a custom renderer, drawing F with a plain line', () => {
    const env = failureStateEnv(make('bridge-crossing-v0'), { leak: 0.1, label: 'water' });
    const F = env.failureState;
    expect(env.model.S).toBe(env.unwrapped.model.S + 1);
    const base = make('bridge-crossing-v0');
    base.resetState(1, 0);
    env.resetState(1, 0);
    expect(env.render()).toBe(base.render());
    expect(env.stateView).toBe(base.stateView);
    env.resetState(1, F);
    expect(env.stateView).toBeUndefined();
    expect(env.render()).toBe(`${env.model.name} step 0/${env.horizon}  state water (absorbing failure state)\n`);
  });

  it('rejects a leak that is not a probability, naming h, s, j', () => {
    const game = randomGame(1, { S: 2, H: 2, A: [2] });
    expect(() => failureStateEnv(createTabularEnv(game), { leak: (h) => (h === 1 ? -0.5 : 0) })).toThrow('withFailureStates(leak)(h=1, s=0, j=0): expected a probability in [0, 1], got -0.5');
  });
});
