/**
 * Decentralised robust V-learning (after Ma, Chen, Zou, Zhou, "Decentralized Robust V-learning for Solving Markov
 * Games with Model Uncertainty", JMLR 24(371), 2023, their Algorithm 1 with the bandit of their Algorithm 3): V-learning
 * (`v-learning.ts`, Jin et al. 2021) in which each agent bootstraps from a ROBUST estimate of the next value instead of
 * the sampled one. Per agent i, at the t-th visit of (h, s), having played a and seen r and sp:
 *   P_hat_h(sp' | s, a) = n_h(s, a, sp') / n_h(s, a)                      (the agent's own next-state counts)
 *   target = sigma_{P_hat_h(.|s,a), rho_i(h,s)}[V_{i,h+1}]              (TV or KL, exact: `robustExpectationRow`)
 *   V~_h(s) <- (1 - alpha_t) V~_h(s) + alpha_t (r + target + beta_t),   V_h(s) = min{ H - h, V~_h(s) }
 *   loss = (H - r - target) / H to the (h, s) bandit over the agent's own actions (as in V-learning).
 * Every table grows with S * A_i (the counts with H S A_i S), never with J: the agent sees only its own action.
 *
 * Choices the paper leaves open (or that drmg could not check against the paper's text), and what drmg chose:
 *  - The uncertainty set the agent estimates. drmg's games give each agent an (s, joint action)-rectangular TV or KL
 *    ball around P*_h(.|s, j). An agent that sees only its own action a estimates the mixture
 *    P_bar_h(.|s, a) = sum_{a_-i} pi_-i(a_-i | s) P*_h(.|s, (a, a_-i)) under the others' (changing) play and takes
 *    sigma of that mixture. Sigma is convex in the kernel for both divergences (it is a sup of linear functions of P
 *    in its dual form; equivalently, the ball around a mixture contains the mixture of the worst cases), so
 *    sigma_{P_bar}[V] <= sum pi_-i sigma_{P*(.|s,(a,a_-i))}[V]: the estimate is never less pessimistic than the game's
 *    rectangular value, and equals it when the others play deterministically at (h, s) or the kernel does not depend
 *    on their actions. drmg counts per (h, s, a) rather than per (h, s) so
 *    that only the others' actions are mixed.
 *  - Sample-based sigma. sigma of the empirical row (support: the next states seen so far) with the agent's own
 *    current V_{h+1}, exact for that row. TV may move mass to a state never seen from (h, s, a): to the lowest value
 *    of V_{h+1} over the whole state space (support shift), as the game's TV sets allow.
 *  - Bonus, step sizes, output policy and numerics: as in `v-learning.ts` (the same parameter schema).
 * drmg scores the episode policies (Markov products of the agents' bandit policies) and the averaged output policy
 * by their exact robust CCE gap; the paper's certified output (non-Markov, see `v-learning.ts`) is not evaluated.
 * Evidence: docs/learners/v-learning.md and docs/learners/comparison.md.
 */
import type { AgentContext } from './agent.ts';
import { defineLearner, type Learner, type LearnerContext } from './learner.ts';
import { createVLearning, createVLearningAgent, vLearningParams, type VLearningAgent, type VLearningConfig } from './v-learning.ts';

/**
 * One robust V-learning agent: V-learning with the target sigma of its own empirical next-state row (file header).
 * @throws DrmgError ('input') when a parameter is out of range.
 * @example const agent = createRobustVLearningAgent(agentContext(learnerContext(game, 1000), 1));
 */
export function createRobustVLearningAgent(context: AgentContext, config: Partial<VLearningConfig> = {}): VLearningAgent {
  return createVLearningAgent(context, config, 'robust');
}

/**
 * A team of robust V-learning agents as a Learner (episode policies: product of the bandit policies).
 * @throws DrmgError ('input') when a parameter is out of range.
 */
export function createRobustVLearning(context: LearnerContext, config: Partial<VLearningConfig> = {}): Learner {
  return createVLearning(context, config, 'robust');
}

/** `robust-v-learning`: decentralised robust V-learning (Ma, Chen, Zou, Zhou 2023), TV or KL as the game says. */
export const robustVLearningDefinition = defineLearner({
  name: 'robust-v-learning',
  description: "decentralised robust V-learning (Ma et al. 2023): V-learning whose target is sigma of each agent's own empirical next-state row (TV or KL); cost grows with A_i, not J",
  params: vLearningParams,
  create: (context, params) => createRobustVLearning(context, params),
});
