/**
 * shapley-v0: Shapley's 3x3 game, on which fictitious play cycles.
 *
 * ## Description
 * A general-sum game with a unique Nash equilibrium (both uniform, 1/3 each per step) around
 * which fictitious play cycles forever; it also has correlated equilibria better for both.
 *
 * ## Actions
 * Discrete(3) per agent: 0, 1, 2.
 *
 * ## Observations
 * `{ state: 0, step }` (one state).
 *
 * ## Starting state
 * The single state 0.
 *
 * ## Rewards
 * Agent 0 gets 1 when a1 = a0; agent 1 gets 1 when a1 = a0 + 1 (mod 3); else 0.
 * Already in [0, 1]: the scaling is the identity.
 *
 * ## Episode end
 * Truncation after `horizon` repetitions.
 *
 * ## Arguments
 * `horizon` (default 1). One state: robust = nominal.
 *
 * ## References
 * L. S. Shapley, Some topics in two-person games, Advances in Game Theory (1964).
 *
 * ## Version history
 * v0: initial version.
 */
import { matrixGameSpec } from './matrix-game.ts';

/** The registered spec of shapley-v0. */
export const shapleyV0 = matrixGameSpec({
  id: 'shapley-v0',
  name: 'shapley',
  summary: "Shapley's 3x3 game: unique NE uniform, fictitious play cycles",
  actionNames: [
    ['0', '1', '2'],
    ['0', '1', '2'],
  ],
  payoff: [
    [[1, 0], [0, 1], [0, 0]],
    [[0, 0], [1, 0], [0, 1]],
    [[0, 1], [0, 0], [1, 0]],
  ],
});
