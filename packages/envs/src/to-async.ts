/** `toAsync(env)`: the asynchronous view of a synchronous environment. */
import type { AsyncParallelEnv, ParallelEnv } from './parallel-env.ts';

/**
 * Wraps a synchronous environment so that `reset` and `step` return resolved Promises, letting one
 * training loop written against `AsyncParallelEnv` drive simulators and real systems alike.
 * Errors (bad actions) become rejected Promises.
 */
export function toAsync<O, A, I>(env: ParallelEnv<O, A, I>): AsyncParallelEnv<O, A, I> {
  return {
    get metadata() {
      return env.metadata;
    },
    get possibleAgents() {
      return env.possibleAgents;
    },
    get agents() {
      return env.agents;
    },
    get horizon() {
      return env.horizon;
    },
    observationSpace: (agent) => env.observationSpace(agent),
    actionSpace: (agent) => env.actionSpace(agent),
    reset: async (args) => env.reset(args),
    step: async (actions) => env.step(actions),
    render: () => env.render(),
    close: () => env.close(),
  };
}
