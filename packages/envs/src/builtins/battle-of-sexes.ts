/**
 * battle-of-sexes-v0: the coordination game with conflicting preferences.
 *
 * ## Description
 * Both players want to meet, at different places: two pure equilibria (both opera, both
 * football) and a mixed one in which each goes to its favourite with probability 3/5.
 *
 * ## Actions
 * Discrete(2) per agent: 0 opera, 1 football.
 *
 * ## Observations
 * `{ state: 0, step }` (one state).
 *
 * ## Starting state
 * The single state 0.
 *
 * ## Rewards
 * Original payoffs (u0, u1): (opera, opera) (3, 2), (football, football) (2, 3), else (0, 0).
 * Scaled by u / 3.
 *
 * ## Episode end
 * Truncation after `horizon` repetitions.
 *
 * ## Arguments
 * `horizon` (default 1). One state: robust = nominal.
 *
 * ## References
 * R. D. Luce and H. Raiffa, Games and Decisions (1957).
 *
 * ## Version history
 * v0: initial version.
 */
import { matrixGameSpec } from './matrix-game.ts';

/** The registered spec of battle-of-sexes-v0. */
export const battleOfSexesV0 = matrixGameSpec({
  id: 'battle-of-sexes-v0',
  name: 'battle-of-sexes',
  summary: 'battle of the sexes: two pure NE with opposite preferences, one mixed',
  actionNames: [
    ['opera', 'football'],
    ['opera', 'football'],
  ],
  payoff: [
    [[3, 2], [0, 0]],
    [[0, 0], [2, 3]],
  ],
});
