/** A gap averaged over the initial distribution. */
import { checkObject, describeValue, inputError } from '@drmg/core';
import type { TabularGame } from '@drmg/core';
import type { RobustEvaluation } from './robust-evaluator.ts';

/**
 * sum_s mu(s) gap(s) (or ceGap), the gap from the game's initial distribution mu: the per-episode
 * term of the robust regret (Def. 2) when s_1 ~ mu.
 * @throws DrmgError ('input') when the evaluation's number of states differs from the game's.
 * @example initialGap(game, evaluatePolicy(game, policy), 'ceGap')
 */
export function initialGap(game: TabularGame, ev: RobustEvaluation, kind: 'gap' | 'ceGap' = 'gap'): number {
  checkObject(game, 'game', 'a TabularGame');
  checkObject(ev, 'evaluation', 'a RobustEvaluation');
  if (ev.S !== game.S) inputError('evaluation.S', `expected ${game.S} (the game's number of states), got ${ev.S}`);
  if (kind !== 'gap' && kind !== 'ceGap') inputError('kind', `expected "gap" or "ceGap", got ${describeValue(kind)}`);
  const g = ev[kind];
  const mu = game.initial;
  let total = 0;
  for (let s = 0; s < game.S; s++) if (mu[s] !== 0) total += mu[s] * g[s];
  return total;
}
