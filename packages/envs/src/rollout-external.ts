/**
 * Monte Carlo returns of a joint policy in an external simulator (`ExternalEnv`): the `rolloutReturns` of a simulator
 * in another process, under its own dynamics (its nominal kernel: drmg cannot set an adversary's kernel inside another
 * process). Episode e resets the simulator with a seed derived from (seed, e), so a simulator that seeds itself from
 * it gives the same figures for the same seed.
 */
import { createRng, inputError, type JointPolicy, describeValue, MAX_ROLLOUT_EPISODES } from '@drmg/core';
import type { ExternalEnv } from './external-env.ts';
import { welfordAdd, welfordResult, type RolloutResult } from './rollout-returns.ts';

/** Options of `rolloutExternal`. */
export interface ExternalRolloutOptions {
  /** Episodes N >= 2. */
  readonly episodes: number;
  /** Seed of the policy's draws and of the episodes' reset seeds (default 0). */
  readonly seed?: number;
}

/**
 * Plays `policy` (a joint policy table of the simulator's sizes) for N episodes and returns each agent's mean return
 * and standard error (Welford).
 * @throws DrmgError when N < 2 or the policy's sizes differ from the simulator's; rejects with the simulator's failures.
 * @example await rolloutExternal(await startExternalEnv('python3 sim.py'), policy, { episodes: 1000 })
 */
export async function rolloutExternal(env: ExternalEnv, policy: JointPolicy, options: ExternalRolloutOptions): Promise<RolloutResult> {
  const { S, H, J, m } = env.spec;
  const N = options.episodes;
  if (!Number.isSafeInteger(N) || N < 2) inputError('rollout.episodes', `expected an integer >= 2 (a standard error needs two episodes), got ${describeValue(N)}`);
  if (N > MAX_ROLLOUT_EPISODES) inputError('rollout.episodes', `expected an integer in [2, ${MAX_ROLLOUT_EPISODES}] (its upper bound), got ${N}`);
  if (policy.H !== H || policy.S !== S || policy.J !== J) inputError('policy', `expected H = ${H}, S = ${S}, J = ${J} (the simulator's), got H = ${policy.H}, S = ${policy.S}, J = ${policy.J}`);
  const seed = options.seed ?? 0;
  const prng = createRng(`${seed}/policy`);
  const resets = createRng(`${seed}/env`);
  const ret = new Float64Array(m);
  const mean = new Float64Array(m);
  const m2 = new Float64Array(m);
  const pi = policy.prob;
  for (let e = 0; e < N; e++) {
    let s = await env.resetState(Math.floor(resets() * 4294967296));
    ret.fill(0);
    for (let h = 0; h < H; h++) {
      const base = (h * S + s) * J;
      let u = prng();
      let j = J - 1;
      for (let t = 0; t < J; t++) {
        u -= pi[base + t];
        if (u < 0) {
          j = t;
          break;
        }
      }
      const out = await env.stepJoint(j);
      for (let i = 0; i < m; i++) ret[i] += out.rewards[i];
      s = out.state;
    }
    welfordAdd(mean, m2, ret, e);
  }
  return welfordResult(mean, m2, N);
}
