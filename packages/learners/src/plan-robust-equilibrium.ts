/**
 * Robust equilibrium planning with a known model (the zero-regret reference, the "oracle"): backward induction on
 * the robust Bellman equation (Prop. 1) with a stage-game equilibrium at every (h, s),
 *   U_{h,s}[j*m + i] = r_i(h, s, j) + sigma_{i,h,s,j}[V_{i,h+1}]     (sigma under P* and rho_i, exact)
 *   pi_h(. | s) = EQUILIBRIUM(U_{h,s})                                  (eq. 7 with the true robust Q)
 *   V_{i,h}(s) = sum_j pi_h(j | s) U_{h,s}[j*m + i],   V_{i,H} = 0       (eq. 8)
 * Because the uncertainty sets are (s,a)-rectangular, a deviation's robust value obeys the same recursion with a
 * max, and since sigma is monotone and shifts with constants (sigma[V + c] = sigma[V] + c), an agent's gain from
 * deviating at (h, s) is at most the stage gap there plus the largest gain from step h + 1 on. So the policy's
 * robust NE / CCE gap (or CE gap, for 'ce') is at most sum_h max_s stageGap(h, s): `certifiedGap`, ~1e-15 for
 * exact stage solvers, the homotopy's epsilons for three or more agents with 'nash'.
 *
 * Layouts: value[(h*m + i)*S + s] for h = 0..H (row H zero); joint policy pi[(h*S + s)*J + j]; product marginals
 * [(h*S + s)*A[i] + a]; one step's sigma sig[s*J + j]; stage payoff U[j*m + i].
 */
import { createSigmaWorkspace, inputError, robustExpectationStep } from '@drmg/core';
import type { JointPolicy, Policy, ProductPolicy, TabularGame } from '@drmg/core';
import { checkJointActionLimit } from './joint-action-limit.ts';
import { createStageSolver } from './stage-solver.ts';
import type { StageEquilibrium } from './stage-solver.ts';

/** Options of `planRobustEquilibrium`. */
export interface PlanOptions {
  /** The stage-game equilibrium (default 'cce'). */
  readonly equilibrium?: StageEquilibrium;
  /** Who plans, for the size refusal's message (default `planRobustEquilibrium`). */
  readonly learner?: string;
}

/** A robust equilibrium policy with its values. */
export interface RobustPlan {
  /** ProductPolicy for 'nash', JointPolicy for 'cce' and 'ce'. */
  readonly policy: Policy;
  /** value[(h*m + i)*S + s] = V^pi_{i,h}(s), agent i's robust value, h = 0..H (row H zero). */
  readonly value: Float64Array;
  /** sum_h max_s of the stage certificates: an upper bound on the policy's exact robust gap (see the file header). */
  readonly certifiedGap: number;
}

/**
 * Plans a robust NE / CCE / CE of `game` by backward induction with the exact sigma of P* (Prop. 1, eqs. 7-8 with
 * the true robust Q): O(H*m*(S*J*support) + H*S*solve) time, one sigma workspace.
 * @throws DrmgError ('input') when the equilibrium is unknown or J exceeds MAX_JOINT_ACTIONS; ('internal') when a stage solver fails.
 * @example const { policy, value } = planRobustEquilibrium(game, { equilibrium: 'ce' });
 */
export function planRobustEquilibrium(game: TabularGame, options: PlanOptions = {}): RobustPlan {
  const equilibrium = options.equilibrium ?? 'cce';
  const { H, S, J, m, A, reward } = game;
  checkJointActionLimit(options.learner ?? 'planRobustEquilibrium', J, A);
  const stage = createStageSolver(A, equilibrium);
  if (stage.layout.J !== J) inputError('game.actions', `expected J = ${stage.layout.J}, got ${J}`);
  const ws = createSigmaWorkspace(S);
  const value = new Float64Array((H + 1) * m * S);
  const sig = new Float64Array(m * S * J); // sig[(i*S + s)*J + j]
  const U = new Float64Array(J * m);
  const prob = new Float64Array(H * S * J);
  const marginals = stage.marginals === null ? null : A.map((n) => new Float64Array(H * S * n));
  let certifiedGap = 0;
  for (let h = H - 1; h >= 0; h--) {
    for (let i = 0; i < m; i++) {
      robustExpectationStep(game, ws, h, i, value, ((h + 1) * m + i) * S, sig.subarray(i * S * J, (i + 1) * S * J));
    }
    let stepGap = 0;
    for (let s = 0; s < S; s++) {
      const rBase = (h * S + s) * J;
      for (let j = 0; j < J; j++) {
        for (let i = 0; i < m; i++) U[j * m + i] = reward[(rBase + j) * m + i] + sig[(i * S + s) * J + j];
      }
      const gap = stage.solve(U, prob, rBase);
      if (gap > stepGap) stepGap = gap;
      if (marginals !== null) {
        for (let i = 0; i < m; i++) marginals[i].set(stage.marginals![i], (h * S + s) * A[i]);
      }
      for (let i = 0; i < m; i++) {
        let v = 0;
        for (let j = 0; j < J; j++) v += prob[rBase + j] * U[j * m + i];
        value[(h * m + i) * S + s] = v;
      }
    }
    certifiedGap += stepGap;
  }
  const policy: Policy =
    marginals === null
      ? ({ kind: 'joint', H, S, J, prob } satisfies JointPolicy)
      : ({ kind: 'product', H, S, A: [...A], marginals } satisfies ProductPolicy);
  return { policy, value, certifiedGap };
}
