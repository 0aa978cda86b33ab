/** `train`: one learner on one environment as a cold Observable of TrainEvents. */
import { inputError } from '@drmg/core';
import { Observable } from 'rxjs';
import { DEFAULT_YIELD_EVERY_MS, driveEpisodes } from './drive-episodes.ts';
import type { TrainEvent } from './train-event.ts';
import { checkTrainCall, trainModel, TrainingRun, type TrainingRunOptions } from './training-run.ts';

/** Options of `train`. */
export interface TrainOptions extends TrainingRunOptions {
  /** Milliseconds of synchronous training between yields to the event loop (default 15). */
  readonly yieldEveryMs?: number;
}

/**
 * Trains `learner` on `env` for K = `episodes` episodes and streams the events (see train-event.ts):
 * cold (each subscription starts a fresh run: a fresh generator createRng(seed) and, for a factory
 * or a registered name, a fresh learner), the same seed giving the same events byte for byte;
 * unsubscribing stops training after the current event.
 * @throws DrmgError at once for K < 1, a bad seed or an environment without a model; errors of the
 * learner (e.g. bad registry parameters) arrive as the stream's error.
 * @example train({ env: make('initial-shock-v0'), learner: { name: 'random' }, episodes: 100, seed: 1, steps: false }).subscribe(console.log)
 */
export function train(options: TrainOptions): Observable<TrainEvent> {
  checkTrainCall(options.episodes, options.seed);
  trainModel(options.env, options.model);
  const yieldEveryMs = options.yieldEveryMs ?? DEFAULT_YIELD_EVERY_MS;
  if (!(yieldEveryMs >= 0)) inputError('train(options.yieldEveryMs)', `expected a number >= 0, got ${JSON.stringify(yieldEveryMs)}`);
  return new Observable<TrainEvent>((subscriber) => {
    let run: TrainingRun;
    try {
      run = new TrainingRun(options);
    } catch (e) {
      subscriber.error(e);
      return;
    }
    return driveEpisodes(subscriber, [run], options.episodes, yieldEveryMs);
  });
}
