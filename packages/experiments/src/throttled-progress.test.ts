/** Marble tests (rxjs TestScheduler, virtual clock) of `throttledProgress`: at most one snapshot per interval, a final one at completion. */
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { throttledProgress } from './throttled-progress.ts';
import type { TrainEvent } from './train-event.ts';
import type { TrainProgress } from './train-progress.ts';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const end = (k: number, extra: Partial<Extract<TrainEvent, { type: 'episode-end' }>> = {}): TrainEvent => ({ type: 'episode-end', k, returns: [1], ...extra });
const start = (k: number): TrainEvent => ({ type: 'episode-start', k, s1: 0 });
/** The snapshot after `episodes` episode-ends at virtual time t (subscribed at 0). */
const snap = (episodes: number, t: number, rest: Partial<TrainProgress> = {}): TrainProgress => ({ episodes, elapsedMs: t, episodesPerSecond: t > 0 ? (episodes * 1000) / t : 0, done: false, ...rest });

describe('throttledProgress (marbles)', () => {
  it('emits on the first episode-end, then on the first one at least `ms` after the previous emission, and a done snapshot at completion', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const now = () => ts.now();
      // episode-ends at t = 1, 3, 5, 11, 13; interval 5 ms: emissions at 1 (first), 11 (>= 6), not 3, 5, 13; done at 15
      const source = cold('sa-b-c-----d-e-|', { s: start(0), a: end(0), b: end(1), c: end(2), d: end(3), e: end(4) });
      expectObservable(source.pipe(throttledProgress(5, { now, total: 5 }))).toBe('-x---------y---(z|)', {
        x: snap(1, 1, { total: 5 }),
        y: snap(4, 11, { total: 5 }),
        z: snap(5, 15, { total: 5, done: true }),
      });
    });
  });

  it('carries the latest gap, regret, certified and uncertified bounds and learner', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const now = () => ts.now();
      const pol = { kind: 'joint', H: 1, S: 1, J: 1, prob: new Float64Array([1]) } as const;
      const v = {
        p: { type: 'policy', learner: 'tv', k: 0, policy: pol, gap: 0.25, gapKind: 'gap', regret: 0.25 } as TrainEvent,
        a: end(0, { learner: 'tv', certifiedGap: 0.5 }),
        b: end(1, { learner: 'nash', boundGap: 0.75 }),
      };
      expectObservable(cold('p-a--b|', v).pipe(throttledProgress(0, { now }))).toBe('--x--y(z|)', {
        x: snap(1, 2, { learner: 'tv', gap: 0.25, regret: 0.25, certifiedGap: 0.5 }),
        y: snap(2, 5, { learner: 'nash', gap: 0.25, regret: 0.25, certifiedGap: 0.5, boundGap: 0.75 }),
        z: snap(2, 6, { learner: 'nash', gap: 0.25, regret: 0.25, certifiedGap: 0.5, boundGap: 0.75, done: true }),
      });
    });
  });

  it('forwards an error on its frame without a done snapshot', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('a--#', { a: end(0) }, 'boom').pipe(throttledProgress(100, { now: () => ts.now() }))).toBe('a--#', { a: snap(1, 0) }, 'boom');
    });
  });

  it('rejects a negative interval at once', () => {
    expect(() => throttledProgress(-1)).toThrow('throttledProgress(ms): expected a number of milliseconds >= 0, got -1');
  });
});
