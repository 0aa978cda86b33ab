/** `withRobustGap`: adds the exact robust gap of the episode's policy to `policy` events. */
import { inputError, type TabularGame, describeValue, MAX_EVAL_EVERY, checkObject } from '@drmg/core';
import { createEvaluator, initialGap, type EvaluateOptions } from '@drmg/evaluators';
import { map, type MonoTypeOperatorFunction } from 'rxjs';
import type { TrainEvent } from './train-event.ts';

/** Options of `withRobustGap`. */
export interface RobustGapOptions {
  /** Evaluate the policies of episodes n, 2n, 3n, ... (1-based: k + 1 divisible by n); default 1 (every episode). */
  readonly every?: number;
  /** `gap` (NE/CCE gap, default) or `ceGap` (CE gap). */
  readonly kind?: 'gap' | 'ceGap';
  /** K: also evaluate the last episode's policy when K is not a multiple of `every`, so regret is known at K. */
  readonly episodes?: number;
}

/**
 * Sets `gap` = sum_s mu(s) gap(pi^k, s) (initialGap of the exact robust evaluation, eq. 13 and the
 * gap definitions of Sec. 2) and `gapKind` on the `policy` events of episodes n, 2n, ... (and K when
 * `episodes` is given); every other event passes unchanged. One evaluator (all its buffers) is
 * created here and reused for every evaluation; the work is one synchronous backward pass per event.
 * @throws DrmgError when `every` is not an integer >= 1 or `kind` is neither `gap` nor `ceGap`; a
 * policy that does not fit `game` makes the stream error.
 * @example train({ env, learner, episodes: 1000, seed: 1 }).pipe(withRobustGap(env.model, { every: 10 }))
 */
export function withRobustGap(game: TabularGame, options: RobustGapOptions = {}): MonoTypeOperatorFunction<TrainEvent> {
  checkObject(options, 'withRobustGap(options)', 'options {every?, kind?, episodes?}');
  const every = options.every ?? 1;
  const kind = options.kind ?? 'gap';
  const last = options.episodes ?? 0;
  if (!Number.isSafeInteger(every) || every < 1) inputError('withRobustGap(options.every)', `expected an integer >= 1, got ${describeValue(every)}`);
  if (every > MAX_EVAL_EVERY) inputError('withRobustGap(options.every)', `expected an integer in [1, ${MAX_EVAL_EVERY}] (its upper bound), got ${every}`);
  if (kind !== 'gap' && kind !== 'ceGap') inputError('withRobustGap(options.kind)', `expected "gap" or "ceGap", got ${describeValue(kind)}`);
  if (!Number.isSafeInteger(last) || last < 0) inputError('withRobustGap(options.episodes)', `expected an integer >= 1, got ${describeValue(options.episodes)}`);
  const evaluator = createEvaluator(game);
  // Only the deviation the gap needs: the other pass is skipped (its gap would read 0).
  const evalOptions: EvaluateOptions = kind === 'gap' ? { bestResponse: true, swap: false } : { bestResponse: false, swap: true };
  return map((e: TrainEvent): TrainEvent => {
    if (e.type !== 'policy' || e.gap !== undefined) return e;
    const n = e.k + 1;
    if (n % every !== 0 && n !== last) return e;
    const gap = initialGap(game, evaluator.evaluate(e.policy, evalOptions), kind);
    return { ...e, gap, gapKind: kind };
  });
}
