/**
 * The known-model planner: the zero-regret reference. It is handed the model, plans a robust equilibrium once
 * (`planRobustEquilibrium`: backward induction with the exact sigma and a stage equilibrium at every (h, s)) and
 * plays that policy in every episode; its certified bound is the plan's certified gap (~1e-15 for exact stage
 * solvers).
 */
import { defineParams, inputError, resolveParams, schemaDefaults, type ParamValues } from '@drmg/core';
import type { Policy, Rng } from '@drmg/core';
import { defineLearner, type Learner, type LearnerContext } from './learner.ts';
import { planRobustEquilibrium } from './plan-robust-equilibrium.ts';
import { sampleJointAction } from './sample-joint-action.ts';
import { STAGE_EQUILIBRIA } from './stage-solver.ts';

/** The planner's parameters, declared once (`PlannerConfig` is derived from them). */
export const plannerParams = defineParams({
  equilibrium: { type: 'enum', values: STAGE_EQUILIBRIA, default: 'cce', doc: 'stage-game equilibrium (nash, cce or ce)' },
});

/** Planner settings. */
export type PlannerConfig = ParamValues<typeof plannerParams>;

/** Default: CCE. */
export const defaultPlannerConfig: PlannerConfig = schemaDefaults(plannerParams);

/**
 * A learner that plans with the context's model and plays the plan every episode.
 * @throws DrmgError ('input') when the context carries no model.
 */
export function createPlanner(context: LearnerContext, config: Partial<PlannerConfig> = {}): Learner {
  const cfg = resolveParams('planner', plannerParams, config, { at: (key) => `learner planner: ${key}` });
  if (context.model === undefined) inputError('learner planner', 'the known-model planner needs the model in its context (needsModel)');
  const plan = planRobustEquilibrium(context.model, { equilibrium: cfg.equilibrium, learner: 'planner' });
  const policy = plan.policy;
  return {
    name: 'planner',
    beginEpisode(): Policy {
      return policy;
    },
    act(h: number, s: number, rng: Rng): number {
      return sampleJointAction(policy, context.layout, h, s, rng);
    },
    observe(): void {},
    endEpisode() {
      return { certifiedGap: plan.certifiedGap };
    },
    outputPolicy(): Policy {
      return policy;
    },
    outputCertifiedGap(): number {
      return plan.certifiedGap;
    },
  };
}

/** `planner`: the known-model robust equilibrium (zero regret, needs the model). */
export const plannerDefinition = defineLearner({
  name: 'planner',
  description: 'known-model robust equilibrium planning (zero-regret reference; needs the model)',
  needsModel: true,
  params: plannerParams,
  create: (context, params) => createPlanner(context, params),
});
