/** Marble tests (rxjs TestScheduler) of `withRobustGap`: timing kept, gaps on the right frames, errors where they happen. */
import type { ProductPolicy } from '@drmg/core';
import { make } from '@drmg/envs';
import { catchError, of } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { TrainEvent } from './train-event.ts';
import { withRobustGap } from './with-robust-gap.ts';

const pennies = make('matching-pennies-v0').model; // H = 1, S = 1, A = [2, 2]; match pays (1, 0), mismatch (0, 1)
const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** Agent 0 plays heads with probability p, agent 1 with q. */
const product = (p: number, q: number): ProductPolicy => ({ kind: 'product', H: 1, S: 1, A: [2, 2], marginals: [Float64Array.from([p, 1 - p]), Float64Array.from([q, 1 - q])] });
/** gap = max(max(q, 1-q) - V0, max(p, 1-p) - V1), V0 = pq + (1-p)(1-q), V1 = 1 - V0 (see test/experiments-operators.test.ts). */
const gapOf = (p: number, q: number) => {
  const v0 = p * q + (1 - p) * (1 - q);
  return Math.max(Math.max(q, 1 - q) - v0, Math.max(p, 1 - p) - (1 - v0));
};
const policy = (k: number, p: number, q: number): TrainEvent => ({ type: 'policy', k, policy: product(p, q) });
const step = (k: number): TrainEvent => ({ type: 'step', k, h: 0, s: 0, j: 0, rewards: [1, 0], sp: 0 });

describe('withRobustGap (marbles)', () => {
  it('adds gap and gapKind to policy events of episodes n, 2n, ... and K, on the same frame; other events pass as they are', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const v = { a: policy(0, 1, 1), s: step(0), b: policy(1, 0.5, 1), c: policy(2, 0.25, 0.75) };
      const source = cold('a-s-b--c|', v);
      const want = { a: v.a, s: v.s, b: { ...v.b, gap: gapOf(0.5, 1), gapKind: 'gap' }, c: { ...v.c, gap: gapOf(0.25, 0.75), gapKind: 'gap' } };
      // every 2 episodes (k + 1 = 2) and the last one (K = 3)
      expectObservable(source.pipe(withRobustGap(pennies, { every: 2, episodes: 3 }))).toBe('a-s-b--c|', want);
    });
  });

  it('leaves an already evaluated event alone and evaluates every episode by default', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const done = { ...policy(0, 1, 0), gap: 0.5, gapKind: 'gap' as const };
      const v = { d: done, e: policy(1, 0, 0) };
      expectObservable(cold('--d-e-|', v).pipe(withRobustGap(pennies))).toBe('--d-e-|', { d: done, e: { ...v.e, gap: gapOf(0, 0), gapKind: 'gap' } });
    });
  });

  it('errors on the frame of a policy that does not fit the game, and forwards upstream errors as they come', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const bad: TrainEvent = { type: 'policy', k: 0, policy: { kind: 'joint', H: 1, S: 2, J: 4, prob: new Float64Array(8).fill(0.25) } };
      const errorText = catchError((e: Error) => of(e.constructor.name));
      expectObservable(cold('s--b-s|', { s: step(0), b: bad }).pipe(withRobustGap(pennies), errorText)).toBe('s--(x|)', { s: step(0), x: 'DrmgError' });
      expectObservable(cold('s-#', { s: step(0) }, new Error('upstream')).pipe(withRobustGap(pennies))).toBe('s-#', { s: step(0) }, new Error('upstream'));
    });
  });
});
