/** `train`: one learner on one environment as a cold Observable of TrainEvents. */
import { inputError, describeValue, checkObject } from '@drmg/core';
import { Observable } from 'rxjs';
import { DEFAULT_YIELD_EVERY_MS, driveEpisodes } from './drive-episodes.ts';
import { leaseTrainEnv, type EnvLease } from './env-lease.ts';
import type { TrainEvent } from './train-event.ts';
import { checkTrainCall, policyFilter, trainModel, TrainingRun, type TrainEnvSource, type TrainingRunOptions } from './training-run.ts';

/** Options of `train`. */
export interface TrainOptions extends Omit<TrainingRunOptions, 'env'> {
  /**
   * The environment: an instance (each subscription trains on its own `clone()`; an instance without
   * `clone()` serves one subscription at a time) or a factory `() => env` called once per subscription.
   */
  readonly env: TrainEnvSource;
  /** Milliseconds of synchronous training between yields to the event loop (default 15). */
  readonly yieldEveryMs?: number;
}

/**
 * Trains `learner` on `env` for K = `episodes` episodes and streams the events (see train-event.ts):
 * cold (each subscription starts a fresh run on its own environment — a clone of `env`, or a new
 * one from the factory — with episode seeds derived from `seed`, and, for a learner factory or a
 * registered name, a fresh learner), so that the same seed gives the same events byte for byte,
 * whether subscriptions run one after another or concurrently; unsubscribing stops training after
 * the current event.
 * @throws DrmgError at once for K < 1, a bad seed or an environment instance without a model (a
 * factory's environments are checked at subscription, as stream errors); errors of the learner
 * (e.g. bad registry parameters) arrive as the stream's error.
 * @example train({ env: make('initial-shock-v0'), learner: { name: 'random' }, episodes: 100, seed: 1, steps: false }).subscribe(console.log)
 */
export function train(options: TrainOptions): Observable<TrainEvent> {
  checkObject(options, 'train(options)', 'options {env, learner, episodes, seed}');
  checkTrainCall(options.episodes, options.seed);
  if (typeof options.env !== 'function') trainModel(options.env, options.model);
  policyFilter(options.policies, 'train(options.policies)');
  const yieldEveryMs = options.yieldEveryMs ?? DEFAULT_YIELD_EVERY_MS;
  if (!(yieldEveryMs >= 0)) inputError('train(options.yieldEveryMs)', `expected a number >= 0, got ${describeValue(yieldEveryMs)}`);
  return new Observable<TrainEvent>((subscriber) => {
    let lease: EnvLease | undefined;
    let run: TrainingRun;
    try {
      lease = leaseTrainEnv(options.env, 'train(options.env)');
      run = new TrainingRun({ ...options, env: lease.env });
    } catch (e) {
      lease?.release();
      subscriber.error(e);
      return;
    }
    const stop = driveEpisodes(subscriber, [run], options.episodes, yieldEveryMs);
    const held = lease;
    return () => {
      stop();
      held.release();
    };
  });
}
