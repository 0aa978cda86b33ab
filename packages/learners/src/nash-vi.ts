/**
 * Nash-VI, the non-robust optimistic baseline: Multi-Nash-VI of Liu, Yu, Bai, Jin 2021, "A sharp analysis of
 * model-based reinforcement learning with self-play" (ICML 2021), Algorithms 1-2. It is MORNAVI's loop (see
 * `mornavi.ts`) with the nominal expectation under P_hat in place of sigma (every radius ignored) and their
 * Bernstein-type bonus, for every (h, s, j) and agent i with n = N_h(s, j) v 1 and values at step h+1:
 *   Q_bar_i = min{ r + P_hat V_bar + gamma + beta, H - h },   Q_low_i = max{ r + P_hat V_low - gamma - beta, 0 },
 *   beta = C ( sqrt(iota Var_{P_hat}[(V_bar + V_low)/2] / n) + H^2 S iota / n ),   gamma = (C/H) P_hat (V_bar - V_low),
 *   iota = log(S J H K / delta),   pi_h(.|s) = EQUILIBRIUM({Q_bar_i(s, .)}_i) (their Multi-Nash-VI, general sum),
 * with the same learned rewards, clipping at H - h, output rule and caching as MORNAVI. `bonus=paper` is the formula
 * with the given C (their C is an unspecified absolute constant; default 1), `bonus=scaled` multiplies it by
 * `bonusScale`: an explicit number wins, `auto` (the default) is MORNAVI's size-aware `autoBonusScale` with the
 * Bernstein form, bonusScale = a / (C H^2 S iota sqrt(H S J)) with a = 4. Neither is a certificate (C is unspecified).
 * How a = 4 was chosen, and why not the earlier fixed 0.003: docs/learners/bonus-tuning.md ("Nash-VI").
 */
import { MAX_EPISODES, defineParams, resolveParams, schemaDefaults, type ParamValues } from '@drmg/core';
import { defineLearner, type LearnerContext } from './learner.ts';
import { createMornavi } from './mornavi.ts';
import type { MornaviLearner } from './mornavi.ts';
import { STAGE_EQUILIBRIA } from './stage-solver.ts';

/** Nash-VI's parameters, declared once (`NashViConfig` is derived from them). */
export const nashViParams = defineParams({
  equilibrium: { type: 'enum', values: STAGE_EQUILIBRIA, default: 'cce', doc: 'EQUILIBRIUM subroutine (Liu et al. use NE, CE or CCE alike)' },
  bonus: { type: 'enum', values: ['paper', 'scaled'], default: 'scaled', doc: 'paper: the Bernstein bonus exactly; scaled: times bonusScale (a heuristic; neither is certified)' },
  bonusScale: {
    type: 'number',
    default: 'auto',
    keyword: 'auto',
    min: 0,
    doc: "overall bonus multiplier when bonus=scaled; auto: from the game's sizes (autoBonusScale, Bernstein form); an explicit number wins",
  },
  c: { type: 'number', default: 1, min: 0, doc: 'the absolute constant C of beta and gamma' },
  delta: { type: 'number', default: 0.1, min: 1e-300, max: 1, doc: 'failure probability in iota = log(S J H K / delta)' },
  K: { type: 'integer', default: 0, min: 0, max: MAX_EPISODES, doc: 'episodes K in iota (0: the planned number of episodes)' },
});

/** Nash-VI's settings. */
export type NashViConfig = ParamValues<typeof nashViParams>;

/** Defaults: CCE, C = 1, delta = 0.1, bonusScale auto (see the file header). */
export const defaultNashViConfig: NashViConfig = schemaDefaults(nashViParams);

/**
 * Creates a Nash-VI learner (Liu et al. 2021, see the file header): non-robust, so its policies are scored, like
 * every learner's, by their exact robust gap.
 * @throws DrmgError ('input') when a setting is out of range.
 */
export function createNashVi(context: LearnerContext, config: Partial<NashViConfig> = {}): MornaviLearner {
  const cfg = resolveParams('nash-vi', nashViParams, config, { at: (key) => `learner nash-vi: ${key}` });
  return createMornavi(context, {
    name: 'nash-vi',
    bonusForm: 'bernstein',
    rhoScale: 0,
    equilibrium: cfg.equilibrium,
    bonus: cfg.bonus,
    bonusScale: cfg.bonusScale,
    c1: cfg.c,
    c2: cfg.c,
    delta: cfg.delta,
    K: cfg.K,
  });
}

/** `nash-vi`: non-robust optimistic Nash value iteration (Liu, Yu, Bai, Jin 2021). */
export const nashViDefinition = defineLearner({
  name: 'nash-vi',
  description: 'non-robust optimistic Nash-VI (Liu, Yu, Bai, Jin 2021): nominal expectation under P_hat, Bernstein bonus',
  params: nashViParams,
  create: (context, params) => createNashVi(context, params),
});
