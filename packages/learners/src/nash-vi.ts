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
 * `bonusScale`.
 *
 * Default bonusScale = 0.003, chosen by the experiment of `mornavi.ts` (K = 20,000, exact gap every episode, seed 1) on
 * the nominal (rho = 0) versions of the evidence games, where Nash-VI and MORNAVI have the same target:
 *   random KL game S = 4, H = 3, 2 x 2 (radius zeroed): regret at K = 20,000 (log-log slope 1,000 -> 20,000)
 *     bonusScale 0.0003: 434 (0.82, stuck: the H^2 S iota / n term vanishes fast)   0.003: 105 (0.14)
 *     0.01: 255 (0.15)   0.03: 517 (0.20)   0.1: 1,541 (0.38)   paper (1): 9,286 (0.99, uniform exploration)
 *     (MORNAVI, rhoScale = 0, its default 0.0003: 83 (0.31))
 *   ridge game (examples/learning-evidence.ts, radius zeroed): 0.0003: 7.5   0.003: 27.7   0.01: 88.9   0.03: 242
 *     paper: 4,531 (0.99)   (MORNAVI rhoScale = 0: 8.9)
 * Its 1/n lower-order term decays faster than MORNAVI's 1/sqrt(n) one, so it needs a larger scale than MORNAVI's.
 */
import type { LearnerContext, LearnerDefinition } from './learner.ts';
import { createMornavi } from './mornavi.ts';
import type { MornaviLearner } from './mornavi.ts';
import { STAGE_EQUILIBRIA } from './stage-solver.ts';
import type { StageEquilibrium } from './stage-solver.ts';

/** Nash-VI's settings. */
export interface NashViConfig {
  /** EQUILIBRIUM subroutine (Liu et al. use NE, CE or CCE alike). */
  readonly equilibrium: StageEquilibrium;
  /** 'paper': the bonus exactly; 'scaled': times bonusScale. */
  readonly bonus: 'paper' | 'scaled';
  readonly bonusScale: number;
  /** The absolute constant C of beta and gamma. */
  readonly c: number;
  /** Failure probability in iota = log(S J H K / delta). */
  readonly delta: number;
  /** Episodes K in iota (0: the context's). */
  readonly K: number;
}

/** Defaults: CCE, C = 1, delta = 0.1, bonusScale 0.003 (see the file header). */
export const defaultNashViConfig: NashViConfig = {
  equilibrium: 'cce',
  bonus: 'scaled',
  bonusScale: 0.003,
  c: 1,
  delta: 0.1,
  K: 0,
};

/**
 * Creates a Nash-VI learner (Liu et al. 2021, see the file header): non-robust, so its policies are scored, like
 * every learner's, by their exact robust gap.
 * @throws DrmgError ('input') when a setting is out of range.
 */
export function createNashVi(context: LearnerContext, config: Partial<NashViConfig> = {}): MornaviLearner {
  const cfg: NashViConfig = { ...defaultNashViConfig, ...config };
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
export const nashViDefinition: LearnerDefinition = {
  name: 'nash-vi',
  description: 'non-robust optimistic Nash-VI (Liu, Yu, Bai, Jin 2021): nominal expectation under P_hat, Bernstein bonus',
  params: [
    { name: 'equilibrium', type: 'string', default: defaultNashViConfig.equilibrium, choices: STAGE_EQUILIBRIA, description: 'EQUILIBRIUM subroutine' },
    { name: 'bonus', type: 'string', default: defaultNashViConfig.bonus, choices: ['paper', 'scaled'], description: 'paper: the Bernstein bonus exactly; scaled: times bonusScale' },
    { name: 'bonusScale', type: 'number', default: defaultNashViConfig.bonusScale, min: 0, description: 'overall bonus multiplier when bonus=scaled' },
    { name: 'c', type: 'number', default: defaultNashViConfig.c, min: 0, description: 'absolute constant C of the bonus' },
    { name: 'delta', type: 'number', default: defaultNashViConfig.delta, min: 1e-300, max: 1, description: 'failure probability in iota = log(S J H K / delta)' },
    { name: 'K', type: 'integer', default: defaultNashViConfig.K, min: 0, description: 'episodes K in iota (0: the planned number of episodes)' },
  ],
  create(context, params) {
    return createNashVi(context, {
      equilibrium: params.equilibrium as StageEquilibrium,
      bonus: params.bonus as 'paper' | 'scaled',
      bonusScale: params.bonusScale as number,
      c: params.c as number,
      delta: params.delta as number,
      K: params.K as number,
    });
  },
};
