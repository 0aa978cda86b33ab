/**
 * Exact evaluation against Monte Carlo rollouts in the environments:
 * - under agent i's worst-case kernel (`adversarialKernel` worst-case:i) agent i's mean return
 *   matches its exact robust value V^{pi, rho_i}_i from the initial distribution;
 * - under the nominal kernel every agent's mean return matches the rho = 0 value;
 * - under a random kernel inside the set, returns match the exact value of that kernel (radius 0),
 *   and the kernel lies in every agent's set;
 * each within 4 standard errors (seeded, so deterministic), on built-in and random games.
 */
import { createProductPolicy, createRng, randomGame, uniformPolicy, type Policy, type Rng, type TabularGame } from '@drmg/core';
import { adversarialKernel, createTabularEnv, gameWithKernel, make, rolloutReturns, type TabularEnv } from '@drmg/envs';
import { createEvaluator } from '@drmg/evaluators';
import { describe, expect, it } from 'vitest';

const EPISODES = 10000;

function fromStart(game: TabularGame, value: Float64Array, i: number): number {
  let v = 0;
  for (let s = 0; s < game.S; s++) v += game.initial[s] * value[i * game.S + s];
  return v;
}

function randomRow(rng: Rng, n: number): number[] {
  const w = Array.from({ length: n }, () => rng() ** 2);
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** A random product policy and a random correlated (joint) policy for `game`. */
function policiesFor(game: TabularGame, seed: string): Policy[] {
  const rng = createRng(seed);
  const product = createProductPolicy(game, (i) => randomRow(rng, game.A[i]));
  const prob = new Float64Array(game.H * game.S * game.J);
  for (let hs = 0; hs < game.H * game.S; hs++) prob.set(randomRow(rng, game.J), hs * game.J);
  return [uniformPolicy(game), product, { kind: 'joint', H: game.H, S: game.S, J: game.J, prob }];
}

/** |mean - exact| <= 4 standard errors (+1e-9 for deterministic returns). */
function expectWithin(mean: number, se: number, exact: number, what: string): void {
  const ok = Math.abs(mean - exact) <= 4 * se + 1e-9;
  if (!ok) throw new Error(`${what}: Monte Carlo ${mean} +- ${se} vs exact ${exact} (${(Math.abs(mean - exact) / se).toFixed(1)} standard errors)`);
  expect(ok).toBe(true);
}

const cases: [string, () => TabularEnv][] = [
  ['initial-shock-v0', () => make('initial-shock-v0', { rho: 0.3, horizon: 4 })],
  ['corrupted-bandit-v0', () => make('corrupted-bandit-v0', { rho: 0.3, epsilon: 0.2 })],
  ['bridge-crossing-v0 (TV)', () => make('bridge-crossing-v0')],
  ['bridge-crossing-v0 (KL)', () => make('bridge-crossing-v0', { divergence: 'kl', rho: 0.5 })],
  ['intersection-v0 (TV)', () => make('intersection-v0', { rho: 0.3 })],
  ['intersection-v0 (KL)', () => make('intersection-v0', { divergence: 'kl', slip: 0.2 })],
  ['random-v0 (TV, sparse, failure state)', () => make('random-v0', { states: 6, horizon: 4, support: 2, failure: true, seed: 3 })],
  ['random-v0 (KL)', () => make('random-v0', { states: 5, horizon: 4, divergence: 'kl', rho: 0.5, concentration: 0.3, seed: 4 })],
  ['random game, 3 agents, per-(h, s) TV radii', () => createTabularEnv(randomGame(11, { S: 4, H: 3, A: [2, 2, 2], support: 2, radius: 'state', maxRadius: 0.6 }))],
  ['random game, KL per-(h, s) radii', () => createTabularEnv(randomGame(12, { S: 5, H: 3, A: [3, 2], divergence: 'kl', radius: 'state', maxRadius: 1 }))],
];

describe.each(cases)('%s', (name, makeEnv) => {
  const env = makeEnv();
  const game = env.model;
  const robust = createEvaluator(game);
  const nominal = createEvaluator(gameWithKernel(game, game.kernel, { radius: 0 }));
  const policies = policiesFor(game, name);

  it('worst-case:i rollouts give agent i its exact robust value', () => {
    policies.forEach((policy, p) => {
      const value = robust.evaluate(policy, { bestResponse: false, swap: false }).value;
      for (let i = 0; i < game.m; i++) {
        const wrapped = adversarialKernel(env, { type: 'worst-case', agent: i, policy });
        expect(wrapped.report.agents[i].inside).toBe(true);
        const res = rolloutReturns(wrapped, policy, { episodes: EPISODES, seed: `${name}/${p}/${i}` });
        expectWithin(res.meanReturn[i], res.stdErr[i], fromStart(game, value, i), `${name}, policy ${p}, agent ${i}`);
      }
    });
  });

  it('nominal rollouts give every agent its rho = 0 value', () => {
    policies.forEach((policy, p) => {
      const value = nominal.evaluate(policy, { bestResponse: false, swap: false }).value;
      const res = rolloutReturns(env, policy, { episodes: EPISODES, seed: `${name}/nominal/${p}` });
      for (let i = 0; i < game.m; i++) expectWithin(res.meanReturn[i], res.stdErr[i], fromStart(game, value, i), `${name}, nominal, policy ${p}, agent ${i}`);
    });
  });

  it('random-kernel rollouts give the exact value of that kernel, which lies in every set', () => {
    const policy = policies[1];
    const wrapped = adversarialKernel(env, { type: 'random', seed: name });
    expect(wrapped.report.inside).toBe(true);
    const value = createEvaluator(gameWithKernel(game, wrapped.kernel, { radius: 0 })).evaluate(policy, { bestResponse: false, swap: false }).value;
    const res = rolloutReturns(wrapped, policy, { episodes: EPISODES, seed: `${name}/random` });
    for (let i = 0; i < game.m; i++) expectWithin(res.meanReturn[i], res.stdErr[i], fromStart(game, value, i), `${name}, random kernel, agent ${i}`);
  });
});

describe('the comparison can fail', () => {
  it('nominal rollouts in bridge-crossing-v0 are far (> 10 standard errors) from the robust value', () => {
    const env = make('bridge-crossing-v0');
    const policy = uniformPolicy(env.model);
    const robustValue = fromStart(env.model, createEvaluator(env.model).evaluate(policy).value, 0);
    const res = rolloutReturns(env, policy, { episodes: EPISODES, seed: 1 });
    expect(Math.abs(res.meanReturn[0] - robustValue)).toBeGreaterThan(10 * res.stdErr[0]);
    // ... and agent 1's worst case is not agent 0's: agent 0 does better there than under its own.
    const w0 = rolloutReturns(adversarialKernel(env, { type: 'worst-case', agent: 0, policy }), policy, { episodes: EPISODES, seed: 2 });
    const w1 = rolloutReturns(adversarialKernel(env, { type: 'worst-case', agent: 1, policy }), policy, { episodes: EPISODES, seed: 2 });
    expect(w1.meanReturn[0] - w0.meanReturn[0]).toBeGreaterThan(4 * Math.hypot(w0.stdErr[0], w1.stdErr[0]));
  });
});
