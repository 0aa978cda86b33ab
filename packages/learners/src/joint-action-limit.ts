/**
 * The size limit of joint-action learners. MORNAVI, Nash-VI, the planner and DR-NVI plan over the joint action space:
 * every (h, s) of every plan solves a stage game over all J = A_1 x ... x A_m joint actions (an LP with J variables for
 * CCE / CE, whose dense refactorisation workspace alone is (J + 1)^2 doubles: 134 MB at J = 4,096, 1.95 GB at 15,625,
 * 34 GB at 65,536), and their tables hold H*S*J*m entries. Past MAX_JOINT_ACTIONS these learners refuse the game at
 * creation and name the decentralised learners, whose cost grows with each agent's own A_i
 * (docs/learners/comparison.md has the measured costs).
 */
import { inputError } from '@drmg/core';

/** The most joint actions J a joint-action learner accepts: 4,096 (e.g. 2^12, 4^6, 8^4). */
export const MAX_JOINT_ACTIONS = 4096;

/**
 * Throws unless `J` is at most MAX_JOINT_ACTIONS; `learner` names who refuses (e.g. `mornavi-tv`).
 * @throws DrmgError ('input', `learner NAME`) saying J, why it is too large, the limit, and which learners to use.
 * @example checkJointActionLimit('mornavi-tv', game.J, game.A);
 */
export function checkJointActionLimit(learner: string, J: number, A: readonly number[]): void {
  if (J <= MAX_JOINT_ACTIONS) return;
  inputError(
    `learner ${learner}`,
    `J = ${J.toLocaleString('en-US')} joint actions (actions ${A.join(' x ')}): ${learner} plans over the joint action space ` +
      `(a stage equilibrium over all J joint actions at every (h, s), tables of H*S*J*m entries), expected J <= ` +
      `${MAX_JOINT_ACTIONS.toLocaleString('en-US')}; use a decentralised learner, whose cost grows with each agent's own ` +
      `actions: robust-v-learning or robust-q (robust), v-learning or independent-q (non-robust)`,
  );
}
