/**
 * Monte Carlo returns of a policy in a tabular environment, on the lean index path:
 * G_i = sum_{h=0}^{H-1} r_i(h, s_h, j_h) with s_0 ~ initial, j_h ~ pi_h(.|s_h), s_{h+1} ~ kernel_h(.|s_h, j_h).
 * Its expectation is the value of the policy under the kernel the environment samples (the
 * nominal kernel: the rho = 0 value; agent i's worst-case kernel: agent i's robust value).
 */
import { createRng, inputError, sampleIndex, type Policy, describeValue, MAX_ROLLOUT_EPISODES, checkObject } from '@drmg/core';
import { jointPolicyTable } from '@drmg/evaluators';
import type { TabularEnv } from './tabular-env.ts';

/** Options of `rolloutReturns`. */
export interface RolloutOptions {
  /** Number of episodes N >= 2. */
  readonly episodes: number;
  /** Seed of the environment (reset once, then the stream continues) and of the policy's own generator. */
  readonly seed?: number | string;
  /** Start every episode here instead of drawing s_0 from the initial distribution. */
  readonly initialState?: number;
}

/** Mean return per agent with its standard error sd / sqrt(N) (sample standard deviation). */
export interface RolloutResult {
  readonly meanReturn: number[];
  readonly stdErr: number[];
  readonly episodes: number;
}

/** The drmg-rollout/1 document of a rollout result. */
export interface RolloutJson {
  readonly format: 'drmg-rollout/1';
  readonly meanReturn: number[];
  readonly stdErr: number[];
  readonly episodes: number;
}

/**
 * Plays `policy` for N episodes in `env` and returns each agent's mean return and its standard
 * error; under agent i's worst-case kernel the mean estimates V^{pi, rho_i}_{i,1} (robust Bellman
 * eqs. 12-13, Prop. 1), under the nominal kernel the non-robust value. Deterministic for a given seed.
 * @throws DrmgError when N < 2 or the policy does not fit the game.
 */
export function rolloutReturns(env: TabularEnv, policy: Policy, options: RolloutOptions): RolloutResult {
  checkObject(env, 'env', 'a TabularEnv');
  checkObject(options, 'options', 'options {episodes, seed?}');
  const game = env.model;
  const { S, H, J, m } = game;
  const N = options.episodes;
  if (!Number.isSafeInteger(N) || N < 2) inputError('rollout.episodes', `expected an integer >= 2 (a standard error needs two episodes), got ${describeValue(N)}`);
  if (N > MAX_ROLLOUT_EPISODES) inputError('rollout.episodes', `expected an integer in [2, ${MAX_ROLLOUT_EPISODES}] (its upper bound), got ${N}`);
  const pi = jointPolicyTable(game, policy, new Float64Array(H * S * J));
  const seed = options.seed ?? 0;
  const prng = createRng(`${seed}/policy`);
  const reward = new Float64Array(m);
  const ret = new Float64Array(m);
  const mean = new Float64Array(m);
  const m2 = new Float64Array(m);
  for (let e = 0; e < N; e++) {
    let s = env.resetState(e === 0 ? seed : undefined, options.initialState);
    ret.fill(0);
    for (let h = 0; h < H; h++) {
      const j = sampleIndex(prng, pi, (h * S + s) * J, J);
      s = env.stepIndex(j, reward);
      for (let i = 0; i < m; i++) ret[i] += reward[i];
    }
    welfordAdd(mean, m2, ret, e);
  }
  return welfordResult(mean, m2, N);
}

/** Adds episode e's (0-based) returns `ret` to Welford's running means and sums of squared deviations (per agent). */
export function welfordAdd(mean: Float64Array, m2: Float64Array, ret: Float64Array, e: number): void {
  for (let i = 0; i < mean.length; i++) {
    const d = ret[i] - mean[i];
    mean[i] += d / (e + 1);
    m2[i] += d * (ret[i] - mean[i]);
  }
}

/** The RolloutResult of N episodes from Welford's accumulators: means and standard errors sqrt(m2 / (N - 1) / N). */
export function welfordResult(mean: Float64Array, m2: Float64Array, N: number): RolloutResult {
  const stdErr = Array.from(m2, (x) => Math.sqrt(Math.max(0, x) / (N - 1) / N));
  return { meanReturn: Array.from(mean), stdErr, episodes: N };
}

/** The drmg-rollout/1 document `{ format, meanReturn, stdErr, episodes }`. */
export function rolloutToJson(result: RolloutResult): RolloutJson {
  return { format: 'drmg-rollout/1', meanReturn: [...result.meanReturn], stdErr: [...result.stdErr], episodes: result.episodes };
}
