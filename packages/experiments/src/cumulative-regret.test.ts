/** Marble tests (rxjs TestScheduler) of `cumulativeRegret`: timing kept, running sums per learner and per subscription. */
import type { Policy } from '@drmg/core';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import { cumulativeRegret } from './cumulative-regret.ts';
import type { TrainEvent } from './train-event.ts';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const pol: Policy = { kind: 'joint', H: 1, S: 1, J: 1, prob: new Float64Array([1]) };
const evaluated = (k: number, gap: number, learner?: string): TrainEvent => ({ type: 'policy', k, policy: pol, gap, gapKind: 'gap', ...(learner ? { learner } : {}) });
const end = (k: number): TrainEvent => ({ type: 'episode-end', k, returns: [0] });

describe('cumulativeRegret (marbles)', () => {
  it('sets regret = sum of gap * (episodes since the previous evaluation) on evaluated policy events, on their frames', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // gaps at episodes 2, 4 and 5 (k = 1, 3, 4): regret 2*0.5, + 2*0.25, + 1*(-0.1) (unclipped: a negative gap lowers it)
      const v = { a: evaluated(1, 0.5), e: end(1), b: evaluated(3, 0.25), c: evaluated(4, -0.1), u: { type: 'policy', k: 2, policy: pol } as TrainEvent };
      const want = { a: { ...v.a, regret: 1 }, e: v.e, u: v.u, b: { ...v.b, regret: 1.5 }, c: { ...v.c, regret: 1.4 } };
      expectObservable(cold('a-e-u--b-c|', v).pipe(cumulativeRegret())).toBe('a-e-u--b-c|', want);
    });
  });

  it('keeps one sum per learner name, interleaved as trainMany interleaves them', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const v = { a: evaluated(0, 1, 'x'), b: evaluated(0, 0.5, 'y'), c: evaluated(1, 1, 'x'), d: evaluated(1, 0, 'y') };
      const want = { a: { ...v.a, regret: 1 }, b: { ...v.b, regret: 0.5 }, c: { ...v.c, regret: 2 }, d: { ...v.d, regret: 0.5 } };
      expectObservable(cold('(ab)-(cd)|', v).pipe(cumulativeRegret())).toBe('(ab)-(cd)|', want);
    });
  });

  it('starts from 0 for every subscription, even one that arrives later', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const v = { a: evaluated(0, 0.5), b: evaluated(1, 0.5) };
      const stream = cold('a-b|', v).pipe(cumulativeRegret());
      const want = { a: { ...v.a, regret: 0.5 }, b: { ...v.b, regret: 1 } };
      expectObservable(stream).toBe('a-b|', want);
      expectObservable(stream, '---^').toBe('---a-b|', want);
    });
  });

  it('forwards an error on its frame', () => {
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a--#', { a: evaluated(0, 0.2) }, 'boom').pipe(cumulativeRegret())).toBe('a--#', { a: { ...evaluated(0, 0.2), regret: 0.2 } }, 'boom');
    });
  });
});
