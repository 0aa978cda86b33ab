/**
 * prisoners-dilemma-v0: the prisoner's dilemma with Axelrod's payoffs.
 *
 * ## Description
 * Defecting dominates, so the unique equilibrium (defect, defect) is worse for both than
 * (cooperate, cooperate).
 *
 * ## Actions
 * Discrete(2) per agent: 0 cooperate, 1 defect.
 *
 * ## Observations
 * `{ state: 0, step }` (one state).
 *
 * ## Starting state
 * The single state 0.
 *
 * ## Rewards
 * Original payoffs (u0, u1): (C, C) (3, 3), (C, D) (0, 5), (D, C) (5, 0), (D, D) (1, 1).
 * Scaled by u / 5.
 *
 * ## Episode end
 * Truncation after `horizon` repetitions (finitely repeated: defection throughout is the unique NE outcome).
 *
 * ## Arguments
 * `horizon` (default 1). One state: robust = nominal.
 *
 * ## References
 * R. Axelrod, The Evolution of Cooperation (1984).
 *
 * ## Version history
 * v0: initial version.
 */
import { matrixGameSpec } from './matrix-game.ts';

/** The registered spec of prisoners-dilemma-v0. */
export const prisonersDilemmaV0 = matrixGameSpec({
  id: 'prisoners-dilemma-v0',
  name: 'prisoners-dilemma',
  summary: "prisoner's dilemma (Axelrod's payoffs): defection dominates",
  actionNames: [
    ['cooperate', 'defect'],
    ['cooperate', 'defect'],
  ],
  payoff: [
    [[3, 3], [0, 5]],
    [[5, 0], [1, 1]],
  ],
});
