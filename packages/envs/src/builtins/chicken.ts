/**
 * chicken-v0: the game of chicken with Aumann's payoffs.
 *
 * ## Description
 * Two drivers head for each other; each swerves or drives straight. Two pure equilibria (one
 * swerves), one mixed (swerve with probability 2/3, worth 14/3 each unscaled), and the classic
 * correlated equilibrium (1/3 each on (swerve, swerve), (swerve, straight), (straight, swerve))
 * worth 5 each unscaled, better than the mixed Nash equilibrium.
 *
 * ## Actions
 * Discrete(2) per agent: 0 swerve, 1 straight.
 *
 * ## Observations
 * `{ state: 0, step }` (one state).
 *
 * ## Starting state
 * The single state 0.
 *
 * ## Rewards
 * Original payoffs (u0, u1): (swerve, swerve) (6, 6), (swerve, straight) (2, 7),
 * (straight, swerve) (7, 2), (straight, straight) (0, 0). Scaled by u / 7.
 *
 * ## Episode end
 * Truncation after `horizon` repetitions.
 *
 * ## Arguments
 * `horizon` (default 1). One state: robust = nominal.
 *
 * ## References
 * R. J. Aumann, Subjectivity and correlation in randomized strategies, J. Math. Econ. (1974).
 *
 * ## Version history
 * v0: initial version.
 */
import { matrixGameSpec } from './matrix-game.ts';

/** The registered spec of chicken-v0. */
export const chickenV0 = matrixGameSpec({
  id: 'chicken-v0',
  name: 'chicken',
  summary: "chicken with Aumann's payoffs: two pure NE, a mixed NE, and a better CE",
  actionNames: [
    ['swerve', 'straight'],
    ['swerve', 'straight'],
  ],
  payoff: [
    [[6, 6], [2, 7]],
    [[7, 2], [0, 0]],
  ],
});
