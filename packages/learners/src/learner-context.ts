/**
 * The LearnerContext of a game: what a learner is told before training (sizes, layout, the uncertainty sets and
 * the planned number of episodes), with the model itself only when asked for (the known-model planner).
 */
import { inputError } from '@drmg/core';
import type { TabularGame } from '@drmg/core';
import type { LearnerContext } from './learner.ts';

/**
 * The context of `game` for a run of `episodes` episodes; `withModel` adds the full model (for learners whose
 * definition says `needsModel`, or MORNAVI's `rewards=known`).
 * @throws DrmgError ('input') when episodes is not a positive integer.
 * @example const learner = createMornavi(learnerContext(game, 1000));
 */
export function learnerContext(game: TabularGame, episodes: number, withModel = false): LearnerContext {
  if (!Number.isInteger(episodes) || episodes < 1) inputError('episodes', `expected a positive integer, got ${episodes}`);
  const { m, S, H, A, J, layout, divergence, radius } = game;
  const context: LearnerContext = { m, S, H, A, J, layout, divergence, radius, episodes };
  return withModel ? { ...context, model: game } : context;
}
