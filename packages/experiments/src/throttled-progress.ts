/** `throttledProgress`: training events folded into progress snapshots, at most one per interval. */
import { inputError, describeValue } from '@drmg/core';
import { Observable, type OperatorFunction } from 'rxjs';
import type { TrainEvent } from './train-event.ts';
import { ProgressTracker, type TrainProgress } from './train-progress.ts';

/** Options of `throttledProgress`. */
export interface ThrottleOptions {
  /** Expected number of episode-end events (K, or K times the number of learners). */
  readonly total?: number;
  /** Clock in milliseconds (default performance.now; tests pass a fake one). */
  readonly now?: () => number;
}

/**
 * Emits a TrainProgress after an episode-end when at least `ms` milliseconds passed since the
 * previous emission (the first episode-end always emits), and a final one (`done: true`) when the
 * source completes; the clock is read once per episode, never per step.
 * @throws DrmgError when `ms` is negative or not a number.
 * @example train(opts).pipe(withRobustGap(game), cumulativeRegret(), throttledProgress(500)).subscribe((p) => console.log(p.episodes, p.regret))
 */
export function throttledProgress(ms: number, options: ThrottleOptions = {}): OperatorFunction<TrainEvent, TrainProgress> {
  if (typeof ms !== 'number' || !(ms >= 0)) inputError('throttledProgress(ms)', `expected a number of milliseconds >= 0, got ${describeValue(ms)}`);
  const now = options.now ?? (() => performance.now());
  return (source) =>
    new Observable<TrainProgress>((subscriber) => {
      const tracker = new ProgressTracker(options.total, now);
      let last = -Infinity;
      return source.subscribe({
        next(e) {
          if (!tracker.update(e)) return;
          const t = now();
          if (t - last >= ms) {
            last = t;
            subscriber.next(tracker.snapshot(false));
          }
        },
        error(err) {
          subscriber.error(err);
        },
        complete() {
          subscriber.next(tracker.snapshot(true));
          subscriber.complete();
        },
      });
    });
}
