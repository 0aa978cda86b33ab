/**
 * The known-model planner: the zero-regret reference. It is handed the model, plans a robust equilibrium once
 * (`planRobustEquilibrium`: backward induction with the exact sigma and a stage equilibrium at every (h, s)) and
 * plays that policy in every episode; its certified bound is the plan's certified gap (~1e-15 for exact stage
 * solvers).
 */
import { inputError } from '@drmg/core';
import type { Policy, Rng } from '@drmg/core';
import type { Learner, LearnerContext, LearnerDefinition } from './learner.ts';
import { planRobustEquilibrium } from './plan-robust-equilibrium.ts';
import { sampleJointAction } from './sample-joint-action.ts';
import { STAGE_EQUILIBRIA } from './stage-solver.ts';
import type { StageEquilibrium } from './stage-solver.ts';

/** Planner settings. */
export interface PlannerConfig {
  /** The stage-game equilibrium. */
  readonly equilibrium: StageEquilibrium;
}

/** Default: CCE. */
export const defaultPlannerConfig: PlannerConfig = { equilibrium: 'cce' };

/**
 * A learner that plans with the context's model and plays the plan every episode.
 * @throws DrmgError ('input') when the context carries no model.
 */
export function createPlanner(context: LearnerContext, config: Partial<PlannerConfig> = {}): Learner {
  const cfg: PlannerConfig = { ...defaultPlannerConfig, ...config };
  if (context.model === undefined) inputError('learner planner', 'the known-model planner needs the model in its context (needsModel)');
  const plan = planRobustEquilibrium(context.model, { equilibrium: cfg.equilibrium });
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
export const plannerDefinition: LearnerDefinition = {
  name: 'planner',
  description: 'known-model robust equilibrium planning (zero-regret reference; needs the model)',
  needsModel: true,
  params: [{ name: 'equilibrium', type: 'string', default: defaultPlannerConfig.equilibrium, choices: STAGE_EQUILIBRIA, description: 'stage-game equilibrium' }],
  create(context, params) {
    return createPlanner(context, { equilibrium: params.equilibrium as StageEquilibrium });
  },
};
