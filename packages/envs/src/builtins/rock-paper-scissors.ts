/**
 * rock-paper-scissors-v0: the zero-sum 3x3 cyclic game.
 *
 * ## Description
 * Rock beats scissors, scissors beat paper, paper beats rock. The unique equilibrium is uniform
 * play, worth 1/2 per step to each (scaled).
 *
 * ## Actions
 * Discrete(3) per agent: 0 rock, 1 paper, 2 scissors.
 *
 * ## Observations
 * `{ state: 0, step }` (one state).
 *
 * ## Starting state
 * The single state 0.
 *
 * ## Rewards
 * Original payoffs: win 1, loss -1, tie 0 (zero-sum). Scaled by (u + 1) / 2: win 1, loss 0, tie 1/2.
 *
 * ## Episode end
 * Truncation after `horizon` repetitions.
 *
 * ## Arguments
 * `horizon` (default 1). One state: robust = nominal.
 *
 * ## References
 * Textbook example; e.g. Shoham and Leyton-Brown, Multiagent Systems (2009), Sec. 3.2.
 *
 * ## Version history
 * v0: initial version.
 */
import { matrixGameSpec } from './matrix-game.ts';

/** The registered spec of rock-paper-scissors-v0. */
export const rockPaperScissorsV0 = matrixGameSpec({
  id: 'rock-paper-scissors-v0',
  name: 'rock-paper-scissors',
  summary: 'zero-sum 3x3 cyclic game; unique NE uniform',
  actionNames: [
    ['rock', 'paper', 'scissors'],
    ['rock', 'paper', 'scissors'],
  ],
  payoff: [
    [[0, 0], [-1, 1], [1, -1]],
    [[1, -1], [0, 0], [-1, 1]],
    [[-1, 1], [1, -1], [0, 0]],
  ],
});
