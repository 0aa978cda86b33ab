import { buildGame, createProductPolicy, DrmgError, randomGame, uniformPolicy } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { rolloutReturns, rolloutToJson } from './rollout-returns.ts';
import { createTabularEnv } from './tabular-env.ts';

describe('rolloutReturns', () => {
  it('deterministic returns have mean = the return and standard error 0', () => {
    // Reward (a_0 + a_1)/2 for both agents, H = 3, one state; the policy always plays (1, 1): return 3.
    const game = buildGame({ states: 1, horizon: 3, actions: [2, 2], initial: 0, reward: (_h, _s, a) => (a[0] + a[1]) / 2, transition: () => [1], divergence: 'tv', radius: 0 });
    const policy = createProductPolicy(game, () => [0, 1]);
    const res = rolloutReturns(createTabularEnv(game), policy, { episodes: 10, seed: 1 });
    expect(res).toEqual({ meanReturn: [3, 3], stdErr: [0, 0], episodes: 10 });
    expect(rolloutToJson(res)).toEqual({ format: 'drmg-rollout/1', meanReturn: [3, 3], stdErr: [0, 0], episodes: 10 });
  });

  it('a fair coin (reward a_0 under a uniform policy, H = 1) has mean ~1/2 and standard error ~1/(2 sqrt N)', () => {
    const game = buildGame({ states: 1, horizon: 1, actions: [2], initial: 0, reward: (_h, _s, a) => a[0], transition: () => [1], divergence: 'tv', radius: 0 });
    const N = 10000;
    const res = rolloutReturns(createTabularEnv(game), uniformPolicy(game), { episodes: N, seed: 4 });
    expect(Math.abs(res.meanReturn[0] - 0.5)).toBeLessThan(4 * 0.5 / Math.sqrt(N));
    expect(res.stdErr[0]).toBeCloseTo(0.5 / Math.sqrt(N), 5);
  });

  it('is deterministic per seed', () => {
    const game = randomGame(5, { S: 3, H: 4, A: [2, 2] });
    const a = rolloutReturns(createTabularEnv(game), uniformPolicy(game), { episodes: 50, seed: 'x' });
    const b = rolloutReturns(createTabularEnv(game), uniformPolicy(game), { episodes: 50, seed: 'x' });
    const c = rolloutReturns(createTabularEnv(game), uniformPolicy(game), { episodes: 50, seed: 'y' });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('rejects fewer than two episodes and a policy of another game', () => {
    const game = randomGame(5, { S: 3, H: 4, A: [2, 2] });
    const env = createTabularEnv(game);
    expect(() => rolloutReturns(env, uniformPolicy(game), { episodes: 1 })).toThrow('rollout.episodes: expected an integer >= 2 (a standard error needs two episodes), got 1');
    const other = randomGame(5, { S: 2, H: 4, A: [2, 2] });
    expect(() => rolloutReturns(env, uniformPolicy(other), { episodes: 5 })).toThrow(DrmgError);
  });
});
