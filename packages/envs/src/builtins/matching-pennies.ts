/**
 * matching-pennies-v0: the zero-sum coin game.
 *
 * ## Description
 * Each player shows heads or tails; agent 0 (the matcher) wins if the coins match, agent 1 if
 * they differ. The unique equilibrium is uniform play, worth 1/2 per step to each (scaled).
 *
 * ## Actions
 * Discrete(2) per agent: 0 heads, 1 tails.
 *
 * ## Observations
 * `{ state: 0, step }` (one state).
 *
 * ## Starting state
 * The single state 0.
 *
 * ## Rewards
 * Original payoffs (u0, u1): match (1, -1), mismatch (-1, 1). Scaled by (u + 1) / 2:
 * match (1, 0), mismatch (0, 1).
 *
 * ## Episode end
 * Truncation after `horizon` repetitions.
 *
 * ## Arguments
 * `horizon` (default 1). One state: uncertainty sets are trivial, robust = nominal.
 *
 * ## References
 * J. von Neumann and O. Morgenstern, Theory of Games and Economic Behavior (1944).
 *
 * ## Version history
 * v0: initial version.
 */
import { matrixGameSpec } from './matrix-game.ts';

/** The registered spec of matching-pennies-v0. */
export const matchingPenniesV0 = matrixGameSpec({
  id: 'matching-pennies-v0',
  name: 'matching-pennies',
  summary: 'zero-sum 2x2: the matcher wins on equal coins; unique NE uniform',
  actionNames: [
    ['heads', 'tails'],
    ['heads', 'tails'],
  ],
  payoff: [
    [[1, -1], [-1, 1]],
    [[-1, 1], [1, -1]],
  ],
});
