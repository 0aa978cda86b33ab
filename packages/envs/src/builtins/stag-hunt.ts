/**
 * stag-hunt-v0: Rousseau's stag hunt, payoff-dominant versus risk-dominant equilibrium.
 *
 * ## Description
 * Hunting stag pays best if both do; hunting hare is safe whatever the other does. Two pure
 * equilibria: (stag, stag), payoff-dominant, and (hare, hare), risk-dominant.
 *
 * ## Actions
 * Discrete(2) per agent: 0 stag, 1 hare.
 *
 * ## Observations
 * `{ state: 0, step }` (one state).
 *
 * ## Starting state
 * The single state 0.
 *
 * ## Rewards
 * Original payoffs (u0, u1): (stag, stag) (4, 4), (stag, hare) (0, 3), (hare, stag) (3, 0),
 * (hare, hare) (3, 3). Scaled by u / 4.
 *
 * ## Episode end
 * Truncation after `horizon` repetitions.
 *
 * ## Arguments
 * `horizon` (default 1). One state: robust = nominal.
 *
 * ## References
 * B. Skyrms, The Stag Hunt and the Evolution of Social Structure (2004).
 *
 * ## Version history
 * v0: initial version.
 */
import { matrixGameSpec } from './matrix-game.ts';

/** The registered spec of stag-hunt-v0. */
export const stagHuntV0 = matrixGameSpec({
  id: 'stag-hunt-v0',
  name: 'stag-hunt',
  summary: 'stag hunt: payoff-dominant (stag, stag) versus risk-dominant (hare, hare)',
  actionNames: [
    ['stag', 'hare'],
    ['stag', 'hare'],
  ],
  payoff: [
    [[4, 4], [0, 3]],
    [[3, 0], [3, 3]],
  ],
});
