/** One training-loop episode over either flavour of environment (sync or async), with `await`. */
import type { AgentId, AgentRecord, AnyParallelEnv, ResetArgs } from './parallel-env.ts';

/** What `runEpisode` returns: each agent's return and the number of steps played. */
export interface EpisodeSummary {
  readonly returns: Record<AgentId, number>;
  readonly steps: number;
}

/**
 * Resets `env` and steps it with `act(observations, h)` until no agent is left acting; returns
 * sum_h r_i per agent. The same loop drives a `ParallelEnv` and an `AsyncParallelEnv` (awaiting
 * a non-Promise is harmless), so training code need not know which it has.
 * @throws DrmgError (rejects) on bad actions; an Error if the environment never ends within 10 * horizon + 10 steps.
 */
export async function runEpisode<O, A>(
  env: AnyParallelEnv<O, A>,
  act: (observations: AgentRecord<O>, h: number) => AgentRecord<A> | Promise<AgentRecord<A>>,
  args: ResetArgs = {},
): Promise<EpisodeSummary> {
  let { observations } = await env.reset(args);
  const returns: Record<AgentId, number> = {};
  for (const a of env.possibleAgents) returns[a] = 0;
  let steps = 0;
  while (env.agents.length > 0) {
    if (steps > 10 * env.horizon + 10) throw new Error(`runEpisode: the environment did not end after ${steps} steps (horizon ${env.horizon})`);
    const result = await env.step(await act(observations, steps));
    for (const a of Object.keys(result.rewards)) returns[a] += result.rewards[a];
    observations = result.observations;
    steps++;
  }
  return { returns, steps };
}
