/**
 * Environments for training runs: every run gets its own, so that concurrent subscriptions to one
 * stream never share an environment's generator or episode state. A factory is called once per
 * run; an instance with `clone()` is cloned per run; an instance without one is lent to one run at
 * a time (a second concurrent run is an error that says what to pass instead).
 */
import { inputError } from '@drmg/core';
import type { TrainEnv, TrainEnvSource } from './training-run.ts';

/** An environment lent to one training run; `release` gives it back (idempotent). */
export interface EnvLease {
  readonly env: TrainEnv;
  release(): void;
}

const lent = new WeakSet<object>();
const nothing = (): void => {};

function checked(env: unknown, where: string): TrainEnv {
  const e = env as Partial<TrainEnv> | null;
  if (e === null || typeof e !== 'object' || typeof e.reset !== 'function' || typeof e.step !== 'function' || !Array.isArray(e.possibleAgents)) {
    inputError(where, `expected an environment (reset, step, possibleAgents, horizon), got ${e === null ? 'null' : typeof e}`);
  }
  return e as TrainEnv;
}

/**
 * The environment of one run from `source` (see the file header).
 * @throws DrmgError when the factory does not return an environment, or an instance without `clone()` is already lent.
 */
export function leaseTrainEnv(source: TrainEnvSource, where: string): EnvLease {
  if (typeof source === 'function') return { env: checked(source(), `${where}()`), release: nothing };
  const env = checked(source, where);
  if (typeof env.clone === 'function') return { env: checked(env.clone(), `${where}.clone()`), release: nothing };
  if (lent.has(env)) {
    inputError(
      where,
      'this environment has no clone() and another training run is using it; pass a factory () => env, or an environment with clone() (every TabularEnv and tabular wrapper has one), so that every run gets its own',
    );
  }
  lent.add(env);
  let held = true;
  return {
    env,
    release() {
      if (held) lent.delete(env);
      held = false;
    },
  };
}
