/**
 * The scheduling shared by `train` and `trainMany`: episodes run synchronously in chunks of about
 * `yieldEveryMs` milliseconds, each chunk in its own macrotask (setImmediate), so that the event
 * loop (timers, I/O, `takeUntil` notifiers) runs between chunks; `sink.closed` is checked after
 * every event, so `take(n)` stops training within the episode that produced the n-th event.
 */
import type { Subscriber } from 'rxjs';
import type { TrainEvent } from './train-event.ts';
import type { TrainingRun } from './training-run.ts';

/** Default chunk length in milliseconds between yields to the event loop. */
export const DEFAULT_YIELD_EVERY_MS = 15;

/**
 * Plays episodes k = 0..K-1 of every run, round robin (episode k of each run in order, then k + 1),
 * emitting into `subscriber`; completes after the last one, errors on the first thrown error.
 * Returns the teardown that cancels the pending chunk.
 */
export function driveEpisodes(subscriber: Subscriber<TrainEvent>, runs: readonly TrainingRun[], episodes: number, yieldEveryMs: number): () => void {
  let k = 0;
  let handle: ReturnType<typeof setImmediate> | undefined;
  const chunk = (): void => {
    handle = undefined;
    const t0 = performance.now();
    try {
      while (k < episodes) {
        for (let r = 0; r < runs.length; r++) {
          runs[r].episode(k, subscriber);
          if (subscriber.closed) return;
        }
        k++;
        if (performance.now() - t0 >= yieldEveryMs) break;
      }
    } catch (e) {
      subscriber.error(e);
      return;
    }
    if (k >= episodes) subscriber.complete();
    else handle = setImmediate(chunk);
  };
  handle = setImmediate(chunk);
  return () => {
    if (handle !== undefined) clearImmediate(handle);
    handle = undefined;
  };
}
