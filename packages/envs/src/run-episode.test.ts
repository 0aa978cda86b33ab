import { buildGame, DrmgError } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import type { AgentRecord, AsyncParallelEnv, ResetArgs } from './parallel-env.ts';
import { runEpisode } from './run-episode.ts';
import { createTabularEnv, type TabularInfo, type TabularObservation } from './tabular-env.ts';
import { toAsync } from './to-async.ts';

// A 3-state chain, H = 4: action 1 moves right (capped at 2), reward 1 in state 2 for both agents.
const game = buildGame({
  states: 3,
  horizon: 4,
  actions: [2, 2],
  initial: 0,
  reward: (_h, s) => (s === 2 ? 1 : 0),
  transition: (_h, s, a) => ({ [a[0] === 1 && a[1] === 1 ? Math.min(2, s + 1) : s]: 1 }),
  divergence: 'tv',
  radius: 0,
});
const right = () => ({ agent_0: 1, agent_1: 1 });

/** A "remote" environment: every call resolves on a later macrotask, as a real system or another process would. */
function remote(): AsyncParallelEnv<TabularObservation, number, TabularInfo> {
  const env = createTabularEnv(game);
  const later = <T>(f: () => T) => new Promise<T>((resolve, reject) => setTimeout(() => { try { resolve(f()); } catch (e) { reject(e); } }, 0));
  return { ...toAsync(env), get agents() { return env.agents; }, reset: (a?: ResetArgs) => later(() => env.reset(a)), step: (x: AgentRecord<number>) => later(() => env.step(x)) };
}

describe('runEpisode and toAsync', () => {
  it('one loop drives the sync env, its async view and a remote async env alike', async () => {
    // Right, right, then stay in 2: rewards at steps 2 and 3 -> return 2.
    const sync = await runEpisode(createTabularEnv(game), right, { seed: 1 });
    const viaAsync = await runEpisode(toAsync(createTabularEnv(game)), right, { seed: 1 });
    const far = await runEpisode(remote(), async (obs) => (obs.agent_0.state < 2 ? right() : { agent_0: 0, agent_1: 0 }), { seed: 1 });
    expect(sync).toEqual({ returns: { agent_0: 2, agent_1: 2 }, steps: 4 });
    expect(viaAsync).toEqual(sync);
    expect(far).toEqual(sync);
  });

  it('errors surface as rejected promises', async () => {
    const env = toAsync(createTabularEnv(game));
    await env.reset({ seed: 0 });
    await expect(env.step({ agent_0: 5, agent_1: 0 })).rejects.toThrow(DrmgError);
    await expect(runEpisode(env, () => ({ agent_0: 0 }))).rejects.toThrow(/agent_1: missing action/);
  });
});
