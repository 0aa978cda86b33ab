/** Marble tests (rxjs TestScheduler, virtual clock) of `progressBar`: events pass unchanged on their frames; lines drawn at most once per interval. */
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { formatProgress, progressBar, type ProgressStream } from './progress-bar.ts';
import type { TrainEvent } from './train-event.ts';

const end = (k: number): TrainEvent => ({ type: 'episode-end', k, returns: [1] });
const start = (k: number): TrainEvent => ({ type: 'episode-start', k, s1: 0 });
const progress = (episodes: number, t: number, done: boolean) => formatProgress({ episodes, total: 4, elapsedMs: t, episodesPerSecond: t > 0 ? (episodes * 1000) / t : 0, done });

/** A stream that records what was written and when (virtual milliseconds). */
function recorder(ts: TestScheduler, tty: boolean): ProgressStream & { writes: [number, string][] } {
  const writes: [number, string][] = [];
  return { isTTY: tty, columns: 200, writes, write: (text: string) => writes.push([ts.now(), text]) };
}

describe('progressBar (marbles)', () => {
  const v = { s: start(0), a: end(0), b: end(1), c: end(2), d: end(3) };

  it('plain lines: events unchanged on their frames; a line on the first episode-end >= intervalMs after the last one, and one at completion', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const out = recorder(ts, false);
    ts.run(({ cold, expectObservable }) => {
      // episode-ends at 1, 3, 7, 8; interval 3 ms from subscription (0): lines at 3 and 7, not 1 or 8; done at 9
      const source = cold('sa-b---cd|', v);
      expectObservable(source.pipe(progressBar(out, { intervalMs: 3, total: 4, label: 'tv', now: () => ts.now() }))).toBe('sa-b---cd|', v);
    });
    expect(out.writes).toEqual([
      [3, `tv ${progress(2, 3, false)}\n`],
      [7, `tv ${progress(3, 7, false)}\n`],
      [9, `tv ${progress(4, 9, true)} (done)\n`],
    ]);
  });

  it('on a terminal: the bar redrawn in place, a newline when done', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const out = recorder(ts, true);
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('-a--b|', v).pipe(progressBar(out, { intervalMs: 2, total: 4, now: () => ts.now() }))).toBe('-a--b|', v);
    });
    const bar = (n: number) => `[${'#'.repeat(6 * n)}${'.'.repeat(24 - 6 * n)}] `;
    expect(out.writes).toEqual([
      [4, `\r${bar(2)}${progress(2, 4, false)}\x1b[K`],
      [5, `\r${bar(2)}${progress(2, 5, true)}\x1b[K\n`],
    ]);
  });

  it('forwards an error on its frame, ending a drawn terminal line first', () => {
    const ts = new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
    const out = recorder(ts, true);
    ts.run(({ cold, expectObservable }) => {
      expectObservable(cold('a-#', v, 'boom').pipe(progressBar(out, { intervalMs: 0, total: 4, now: () => ts.now() }))).toBe('a-#', v, 'boom');
    });
    expect(out.writes.map(([t, text]) => [t, text.endsWith('\n') ? 'newline' : 'bar'])).toEqual([
      [0, 'bar'],
      [2, 'newline'],
    ]);
  });
});
