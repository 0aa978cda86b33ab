/** `cumulativeRegret`: the running robust regret (the signed sum of the evaluated gaps, Def. 2). */
import { defer, map, type MonoTypeOperatorFunction } from 'rxjs';
import type { TrainEvent } from './train-event.ts';

/**
 * Sets `regret` on every evaluated `policy` event (one with `gap`, from withRobustGap): the
 * cumulative robust regret Regret(K') = sum_{k <= K'} gap(pi^k) (Def. 2, in expectation over
 * s_1 ~ mu) at K' = k + 1, unclipped: a correlated policy's negative CCE gap (docs/formats.md)
 * lowers the sum, as in the paper's definition (a positive-part sum, where shown, is named `regret+`). Each evaluated gap stands for the episodes since the previous evaluated
 * one: at episode n with the previous evaluation at n', regret += gap(pi^n) * (n - n'). With gaps
 * every episode this is the exact sum; with gaps every n episodes it charges each block of n
 * episodes the gap of its last policy (a right-endpoint rectangle rule; the final, shorter block
 * up to K when withRobustGap was told K). Kept per learner (`learner` field) and per subscription.
 * @example train(opts).pipe(withRobustGap(game), cumulativeRegret(), filter(isEvaluated))
 */
export function cumulativeRegret(): MonoTypeOperatorFunction<TrainEvent> {
  return (source) =>
    defer(() => {
      // Per learner: [episodes covered so far, regret so far]; keyed by name at event granularity.
      const state = new Map<string, { n: number; regret: number }>();
      return source.pipe(
        map((e: TrainEvent): TrainEvent => {
          if (e.type !== 'policy' || e.gap === undefined) return e;
          const key = e.learner ?? '';
          let st = state.get(key);
          if (st === undefined) {
            st = { n: 0, regret: 0 };
            state.set(key, st);
          }
          const n = e.k + 1;
          if (n > st.n) {
            st.regret += e.gap * (n - st.n);
            st.n = n;
          }
          return { ...e, regret: st.regret };
        }),
      );
    });
}
