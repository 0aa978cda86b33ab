/**
 * `robust-q`: independent optimistic Q-learning (`independent-q.ts`, Jin et al. 2018) trained inside the worst-kernel
 * wrapper (`worst-kernel.ts`, after Gadot et al., ICML 2024): every agent's Q update
 *   Q_h(s, a) <- (1 - alpha_t) Q_h(s, a) + alpha_t (r + V_{h+1}(sp_i) + b_t)
 * bootstraps from a next state sp_i drawn from ITS OWN estimated worst kernel (n draws of the nominal simulator at
 * (h, s, j), resampled by `worstCaseRow` of their empirical law under the agent's V_{h+1} and radius rho_i(h, s)), so
 * in expectation the target is r + sigma[V_{h+1}] (Prop. 1) up to the finite-n bias, and V_h(s) = min{H - h, max_a Q}
 * approaches the agent's robust best-response value against the others' play. Acting, policies and every parameter of
 * independent Q are unchanged; `draws` and `seed` are the wrapper's. Like independent Q it has no equilibrium
 * guarantee in general-sum games; its policies (Markov products) are scored by their exact robust CCE gap.
 * Needs the model as a generative simulator (needsModel), for the draws only.
 * Evidence: docs/learners/robust-q.md and docs/learners/comparison.md.
 */
import { defineParams, resolveParams, schemaDefaults, type ParamValues } from '@drmg/core';
import { agentContext } from './agent-context.ts';
import { createIndependentQAgent, independentQParams } from './independent-q.ts';
import { defineLearner, type Learner, type LearnerContext } from './learner.ts';
import { worstKernelParams, worstKernelTeam } from './worst-kernel.ts';

/** robust-q's parameters: independent Q's and the wrapper's, declared where they belong and composed here. */
export const robustQParams = defineParams({ ...independentQParams, ...worstKernelParams });

/** robust-q settings. */
export type RobustQConfig = ParamValues<typeof robustQParams>;

/** Defaults: independent Q's (c = 0.05, delta = 0.1) and the wrapper's (draws = 32, seed = 0). */
export const defaultRobustQConfig: RobustQConfig = schemaDefaults(robustQParams);

/**
 * Independent Q-learners, one per agent, in the worst-kernel wrapper (see the file header).
 * @throws DrmgError ('input') when the context carries no model or a parameter is out of range.
 * @example const learner = createRobustQ(learnerContext(game, 2000, true), { draws: 32 });
 */
export function createRobustQ(context: LearnerContext, config: Partial<RobustQConfig> = {}): Learner {
  const cfg = resolveParams('robust-q', robustQParams, config, { at: (key) => `learner robust-q: ${key}` });
  const agents = context.A.map((_, i) => createIndependentQAgent(agentContext(context, i), { c: cfg.c, delta: cfg.delta }));
  return worstKernelTeam(agents, context, { draws: cfg.draws, seed: cfg.seed }, 'robust-q');
}

/** `robust-q`: independent Q-learning against each agent's estimated worst kernel (needs the model as a simulator). */
export const robustQDefinition = defineLearner({
  name: 'robust-q',
  description: "independent optimistic Q-learning trained on next states resampled toward each agent's worst kernel (after Gadot et al. 2024); needs the model as a generative simulator",
  needsModel: true,
  params: robustQParams,
  create: (context, params) => createRobustQ(context, params),
});
