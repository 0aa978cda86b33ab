/**
 * f-MORNAVI (paper Algorithm 1, Sec. 3): Multiplayer Optimistic Robust Nash Value Iteration, for TV (`mornavi-tv`)
 * and KL (`mornavi-kl`) uncertainty sets, with the EQUILIBRIUM subroutine of eq. 7 selectable (nash | cce | ce).
 * One implementation, read top to bottom: config, then the learner (counts -> plan -> act -> observe -> report).
 *
 * Episode k (beginEpisode(k)):
 *  1. Empirical kernel (eq. 4): P_hat_h(sp|s,j) = N_h(s,j,sp) / N_h(s,j), or 1/S when N_h(s,j) = 0.
 *  2. Backward over h = H-1..0 with V_bar = V_low = 0 at h = H, for every (s, j) and agent i:
 *       Q_bar_i(s,j) = min{ r_bar_i + sigma_{P_hat, rho_i}[V_bar_{i,h+1}] + beta_i, H - h }    (eq. 5)
 *       Q_low_i(s,j) = max{ r_low_i + sigma_{P_hat, rho_i}[V_low_{i,h+1}] - beta_i, 0 }        (eq. 6)
 *       pi_h(.|s) = EQUILIBRIUM({Q_bar_i(s, .)}_i)                                              (eq. 7)
 *       V_bar_i(s) = E_{j~pi} Q_bar_i(s,j),   V_low_i(s) = E_{j~pi} Q_low_i(s,j)                 (eq. 8)
 *  3. The episode is run with pi^k (act), its transitions are counted (observe).
 *
 * Confidence widths (the `bonus` parameter; values at step h+1 of agent i, n = N_h(s,j), P_hat the row of eq. 4):
 *  - 'valid' (the default): sigma_{P_hat}[V] + beta in eq. 5 becomes sigma over the first-order-dominating member of
 *    the row's confidence set C (per-entry Chernoff lower bounds and a Weissman TV ball, `confidence-set.ts`), and
 *    sigma_{P_hat}[V] - beta in eq. 6 sigma over its dominated member. On an event of probability >= 1 - delta these
 *    bracket sigma_P[W] for EVERY W at once, so V_bar >= the robust best-response value and V_low <= the robust value
 *    hold at every (k, h, s, i) and V_bar - V_low is a certificate. Derivation, constants and the optimism counts:
 *    docs/learners/confidence-bounds.md. The width shrinks like (H - h) sum_sp sqrt(2 p_hat (1 - p_hat) iota / n),
 *    capped by (H - h) sqrt((S ln 2 + iota) / (2n)); unvisited rows get the whole simplex.
 *  - 'paper': the paper's bonuses exactly, TV (Thm 1, eq. 19):
 *        sqrt(c1 iota Var_{P_hat}[(V_bar + V_low)/2] / n) + 2 E_{P_hat}[V_bar - V_low] / H + c2 H^2 S iota / sqrt(n) + 1/sqrt(K),
 *    KL (Thm 2, eq. 102, the paper's sigma_i there is the radius rho_i): 2 c_f H / rho_i sqrt(iota / (n P_hat_min)) + sqrt(1/K),
 *    P_hat_min the smallest positive entry of the row (eq. 99), n read as N v 1; where rho_i = 0 the KL form is undefined
 *    (1/rho) and the TV form is used. iota = log(S^2 J H^2 K^{3/2} / delta). The paper's c1, c2, c_f are unspecified
 *    absolute constants, so with the defaults (1) these bounds are not certificates (reported as `boundGap`).
 *  - 'scaled': a HEURISTIC, opt-in: the paper's bonus times `bonusScale` (a number, or `auto` = `autoBonusScale`);
 *    how its constants were chosen: docs/learners/bonus-tuning.md. Not a certificate.
 *  - 'bernstein' form (the non-robust Nash-VI baseline, `nash-vi.ts`): Liu, Yu, Bai, Jin 2021, Algorithm 1-2:
 *        c1 sqrt(iota Var / n) + c2 H^2 S iota / n + c1 E[V_bar - V_low] / H, iota = log(S J H K / delta); paper or scaled.
 *
 * Choices the paper leaves open, documented:
 *  - Rewards: the paper assumes known deterministic rewards. Here they are learned: r(h,s,j) is the mean of the
 *    rewards observed at (h,s,j) (exact after one visit when rewards are deterministic); before the first visit the
 *    upper Q uses r = 1 and the lower Q r = 0 (the reward range), so both bounds stay valid. `rewards=known` reads
 *    them from the model when the context carries one.
 *  - Clipping: eq. 5 clips at H; values at step h lie in [0, H - h] (formats.md), so clipping at H - h keeps the
 *    bounds valid and only tightens them.
 *  - Ties: a stage game whose payoffs are all equal (every Q_bar clipped) is solved by the uniform distribution
 *    (every distribution is then an equilibrium; see `stage-solver.ts`).
 *  - Stage-game accuracy: V_bar_i(s) adds the stage solver's certified deviation gain (<= 1e-9 for CCE / CE and two
 *    agents, the homotopy's epsilon for Nash with 3+ agents) to E_pi Q_bar_i, so optimism does not rest on an exact
 *    equilibrium of eq. 7.
 *  - Bound: the paper bounds gap(pi^k, s) <= max_i (V_bar_{i,0}(s) - V_low_{i,0}(s)) when the widths are valid. The
 *    initial distribution mu is unknown: the episode's bound is the max of that over the start states seen so far
 *    (the episode's own included) plus, under bonus=valid, H u_k iota_0 / k for the mass of the u_k start states not
 *    seen yet (each has mu(s) < iota_0 / k on the event, iota_0 = log(3 S K / delta)), capped at H. It is reported as
 *    `certifiedGap` under bonus=valid while every reward seen at a (h, s, j) was the same (the paper's deterministic
 *    rewards), at most K episodes have run (the union bounds' range) and rhoScale = 1 (otherwise the bound is about
 *    other uncertainty sets than the game's: rhoScale = 0 bounds the nominal gap), else as `boundGap` (not certified).
 *  - Output policy: the episode policy with the smallest bound so far (the earliest on ties); the uniform policy
 *    before the first episode ends.
 *  - rho: rho_i(h, s) from the context times `rhoScale`; rhoScale = 0 is the non-robust twin (nominal expectation).
 *
 * Cost: counts grow with what was visited (`empirical-kernel.ts`); per (h, agent) each of V_bar, V_low is loaded
 * (and sorted, for TV and for bonus=valid's extreme rows) once; unvisited rows share one sigma per (h, agent, radius);
 * a stage game whose payoff vector equals the one of the previous episode reuses its solution.
 *
 * Layouts: values V[(h*m + i)*S + s], h = 0..H (row H zero); one step's Q[(s*J + j)*m + i] (so the stage game of s is
 * the contiguous slice U[j*m + i]); policy pi[(h*S + s)*J + j]; reward sums R[((h*S + s)*J + j)*m + i]; radius
 * rho[(i*H + h)*S + s]; kernel rows r = (h*S + s)*J + j.
 */
import { MAX_EPISODES, createSigmaWorkspace, defineParams, inputError, loadValues, resolveParams, robustExpectationRow, schemaDefaults, stateIndexArray } from '@drmg/core';
import type { ParamValues } from '@drmg/core';
import type { JointPolicy, Kernel, Policy, ProductPolicy, Rng, SigmaWorkspace } from '@drmg/core';
import { createConfidenceSet } from './confidence-set.ts';
import { createEmpiricalKernel } from './empirical-kernel.ts';
import type { EmpiricalKernel } from './empirical-kernel.ts';
import { checkJointActionLimit } from './joint-action-limit.ts';
import { defineLearner } from './learner.ts';
import type { EpisodeReport, Learner, LearnerContext } from './learner.ts';
import { sampleJointAction } from './sample-joint-action.ts';
import { STAGE_EQUILIBRIA, createStageSolver } from './stage-solver.ts';

/** Which bonus formula: eq. 19 (TV), eq. 102 (KL), or Liu et al.'s Bernstein bonus (non-robust Nash-VI). */
export type BonusForm = 'tv' | 'kl' | 'bernstein';

/** How the confidence widths are made: certified confidence sets, the paper's formula, or the scaled heuristic. */
export type BonusMode = 'valid' | 'paper' | 'scaled';

/** The bonus modes accepted by MORNAVI (`--param bonus=`). */
export const BONUS_MODES: readonly BonusMode[] = ['valid', 'paper', 'scaled'];

/**
 * MORNAVI's parameters, declared once (type, default, range, doc): `drmg train --help`, `--param k=v`, compare
 * configs, the JSON Schema and `MornaviConfig` are all read from here. The TV learner takes c1 and c2, the KL one c_f.
 */
export const mornaviParams = defineParams({
  equilibrium: { type: 'enum', values: STAGE_EQUILIBRIA, default: 'cce', doc: 'EQUILIBRIUM subroutine of eq. 7 (nash, cce or ce)' },
  bonus: {
    type: 'enum',
    values: BONUS_MODES,
    default: 'valid',
    doc: "valid: certified confidence-set widths (docs/learners/confidence-bounds.md); paper: the paper's bonus exactly (eq. 19 for TV, eq. 102 for KL; not certified); scaled: a heuristic, the paper's bonus times bonusScale (not certified)",
  },
  bonusScale: {
    type: 'number',
    default: 'auto',
    keyword: 'auto',
    min: 0,
    doc: "heuristic multiplier, used only with bonus=scaled (0: the greedy, bonus-free learner); auto: from the game's sizes (autoBonusScale); an explicit number wins",
  },
  c1: { type: 'number', default: 1, min: 0, doc: 'constant c1 of the variance term (eq. 19; bonus=paper or scaled only)' },
  c2: { type: 'number', default: 1, min: 0, doc: 'constant c2 of the H^2 S iota / sqrt(N) term (eq. 19; bonus=paper or scaled only)' },
  cf: { type: 'number', default: 1, min: 0, doc: 'constant c_f of eq. 102 (bonus=paper or scaled only)' },
  delta: { type: 'number', default: 0.1, min: 1e-300, max: 1, doc: 'failure probability delta of the confidence level iota = log(S^2 J H^2 K^1.5 / delta)' },
  K: { type: 'integer', default: 0, min: 0, max: MAX_EPISODES, doc: 'episodes K in iota and the 1/sqrt(K) term (0: the planned number of episodes)' },
  rhoScale: { type: 'number', default: 1, min: 0, doc: 'multiplier of every radius (0: the non-robust twin, nominal expectation)' },
  rewards: { type: 'enum', values: ['learned', 'known'], default: 'learned', doc: 'learned online (optimistic before the first visit) or read from the model' },
});

/** MORNAVI's settings: its parameters (`mornaviParams`), the bonus form and a name (see the file header for every formula). */
export type MornaviConfig = ParamValues<typeof mornaviParams> & {
  /** Name in reports (default: mornavi-tv, mornavi-kl or nash-vi, after the bonus form). */
  readonly name: string;
  /** Bonus formula; 'tv' needs a TV game, 'kl' a KL game. */
  readonly bonusForm: BonusForm;
};

/** Defaults: the valid (certified) confidence-set widths, CCE, delta = 0.1 (c1, c2, c_f = 1 and bonusScale=auto only matter for paper / scaled). */
export const defaultMornaviConfig: MornaviConfig = { name: 'mornavi-tv', bonusForm: 'tv', ...schemaDefaults(mornaviParams) };

/** The constant a of `autoBonusScale` per bonus form (a heuristic; docs/learners/bonus-tuning.md). */
export const AUTO_BONUS_CONSTANT: Readonly<Record<BonusForm, number>> = { tv: 2, kl: 2, bernstein: 4 };

/**
 * The `bonusScale=auto` multiplier of the opt-in heuristic `bonus=scaled`: a / (L sqrt(H S J)), L = c2 H^2 S iota, the
 * coefficient of the TV bonus's leading term (eq. 19, of 1/sqrt(n); Bernstein: of 1/n), a = AUTO_BONUS_CONSTANT of
 * the form. The KL form uses the same radius-free L (it used to divide by the mean radius, so the scale grew with
 * the radius and swamped eq. 102's own 1/rho); L = 0 (c2 = 0) gives 1. Heuristic: see docs/learners/bonus-tuning.md.
 */
export function autoBonusScale(
  context: Pick<LearnerContext, 'S' | 'H' | 'J' | 'episodes'>,
  config: Partial<Pick<MornaviConfig, 'bonusForm' | 'c2' | 'delta' | 'K'>> = {},
): number {
  const d = defaultMornaviConfig;
  const { S, H, J } = context;
  const K = (config.K ?? d.K) > 0 ? (config.K as number) : Math.max(1, context.episodes);
  const delta = config.delta ?? d.delta;
  const c2 = config.c2 ?? d.c2;
  const form = config.bonusForm ?? d.bonusForm;
  const iota = form === 'bernstein' ? Math.log((S * J * H * K) / delta) : Math.log((S * S * J * H * H * Math.pow(K, 1.5)) / delta);
  const lead = c2 * H * H * S * iota;
  return lead > 0 ? AUTO_BONUS_CONSTANT[form] / (lead * Math.sqrt(H * S * J)) : 1;
}

/** A MORNAVI learner, with read access to its last planning pass (for tests and diagnostics). */
export interface MornaviLearner extends Learner {
  readonly config: MornaviConfig;
  /** V_bar[(h*m + i)*S + s] of the last planning pass (eq. 8), h = 0..H. */
  readonly upper: Float64Array;
  /** V_low[(h*m + i)*S + s] of the last planning pass (eq. 8), h = 0..H. */
  readonly lower: Float64Array;
  /** The transition counts (eq. 4). */
  readonly counts: EmpiricalKernel;
  /** Stage games solved and reused (payoffs unchanged since the previous episode), summed over episodes. */
  readonly stats: { solved: number; reused: number };
  /** The multiplier actually applied to every bonus: 1 (valid, paper), bonusScale, or autoBonusScale's value (auto). */
  readonly bonusMultiplier: number;
  /** Whether its bounds are certificates: bonus=valid and every reward seen at a (h, s, j) the same so far. */
  readonly certified: boolean;
}

/**
 * Creates a MORNAVI learner for `context` (Algorithm 1 with the choices of the file header).
 * @throws DrmgError ('input') when a setting is out of range, the bonus form does not match the game's divergence,
 *   or rewards = 'known' without a model in the context.
 * @example const learner = createMornavi(context, { equilibrium: 'ce', bonusScale: 0.01 });
 */
export function createMornavi(context: LearnerContext, config: Partial<MornaviConfig> = {}): MornaviLearner {
  const cfg = resolveConfig(config, context);
  checkJointActionLimit(cfg.name, context.J, context.A);
  const { m, S, H, J, A, divergence, radius } = context;
  const name = cfg.name;

  // ---- Confidence level and bonus constants --------------------------------------------------------------
  const K = cfg.K > 0 ? cfg.K : Math.max(1, context.episodes);
  const iota =
    cfg.bonusForm === 'bernstein'
      ? Math.log((S * J * H * K) / cfg.delta)
      : Math.log((S * S * J * H * H * Math.pow(K, 1.5)) / cfg.delta);
  const valid = cfg.bonus === 'valid';
  const scale = cfg.bonus === 'scaled' ? (cfg.bonusScale === 'auto' ? autoBonusScale(context, cfg) : cfg.bonusScale) : 1;
  const { c1, c2, cf } = cfg;
  const invSqrtK = 1 / Math.sqrt(K);
  const tvLead = c2 * H * H * S * iota; // c2 H^2 S iota, over sqrt(n) (eq. 19) or n (Bernstein)
  const bonusForm = cfg.bonusForm;

  // ---- Data: counts (eq. 4) and reward sums --------------------------------------------------------------
  const counts = createEmpiricalKernel(H, S, J);
  const visits = counts.visits;
  const rewardSum = new Float64Array(H * S * J * m);
  // bonus=valid: delta split in three (per-entry Chernoff, Weissman TV, unseen start states); docs/learners/confidence-bounds.md.
  const confidence = valid
    ? createConfidenceSet(counts, { iotaEntry: Math.log((3 * H * S * S * J * K) / cfg.delta), iotaL1: Math.log((3 * H * S * J * K) / cfg.delta) })
    : null;
  const iotaStart = Math.log((3 * S * K) / cfg.delta);
  // The certificate assumes deterministic rewards (the paper's setting): the first reward seen at (h, s, j, i).
  const rewardFirst = new Float64Array(H * S * J * m).fill(NaN);
  let rewardsVary = false;
  const knownReward = cfg.rewards === 'known' ? context.model!.reward : null;
  const seenStart = new Uint8Array(S);

  // ---- Planning buffers (allocated once) ------------------------------------------------------------------
  const Vup = new Float64Array((H + 1) * m * S);
  const Vlo = new Float64Array((H + 1) * m * S);
  const Qup = new Float64Array(S * J * m);
  const Qlo = new Float64Array(S * J * m);
  const U = new Float64Array(J * m);
  const planProb = new Float64Array(H * S * J);
  const stage = createStageSolver(A, cfg.equilibrium);
  const planMarg = stage.marginals === null ? null : A.map((n) => new Float64Array(H * S * n));
  const cacheU = new Float64Array(H * S * J * m);
  const cacheOk = new Uint8Array(H * S);
  const cacheGap = new Float64Array(H * S);
  const rankUp = new Int32Array(S);
  const rankLo = new Int32Array(S);
  const orderScratch = new Int32Array(S);
  const point: Kernel = { rowStart: Int32Array.of(0, 1), next: stateIndexArray(S, 1), prob: Float64Array.of(1) };
  const wsUp: SigmaWorkspace = createSigmaWorkspace(S);
  const wsLo: SigmaWorkspace = createSigmaWorkspace(S);
  const uniform: Kernel = {
    rowStart: Int32Array.of(0, S),
    next: stateIndexArray(S, Array.from({ length: S }, (_, s) => s)),
    prob: new Float64Array(S).fill(1 / S),
  };
  const stats = { solved: 0, reused: 0 };

  let planned = false;
  let episodes = 0;
  /** The bound is a certificate under bonus=valid while the rewards look deterministic. */
  // The unions run over k, n <= K; with rhoScale != 1 the bound is about other uncertainty sets than the game's.
  const certified = (): boolean => valid && cfg.rhoScale === 1 && !rewardsVary && episodes <= K;
  let episodePolicy: Policy | null = null;
  let bestPolicy: Policy | null = null;
  let bestBound = Infinity;

  /** One planning pass: eqs. 4-8 for every step, backward; fills Vup, Vlo and planProb (and planMarg). */
  function plan(): void {
    for (let h = H - 1; h >= 0; h--) {
      const cap = H - h;
      for (let i = 0; i < m; i++) {
        const vOff = ((h + 1) * m + i) * S;
        loadValues(wsUp, Vup, vOff);
        loadValues(wsLo, Vlo, vOff);
        // bonus=valid: the extreme rows put the off-row mass on argmax V_bar / argmin V_low over all states.
        let topUp = 0;
        let botLo = 0;
        if (valid) {
          topUp = rankValues(Vup, vOff, S, rankUp, orderScratch);
          rankValues(Vlo, vOff, S, rankLo, orderScratch);
          botLo = orderScratch[S - 1];
        }
        // Statistics of the uniform row (eq. 4 for unvisited pairs), shared by every unvisited (s, j).
        let uMid = 0;
        let uDiff = 0;
        for (let sp = 0; sp < S; sp++) {
          uMid += Vup[vOff + sp] + Vlo[vOff + sp];
          uDiff += Vup[vOff + sp] - Vlo[vOff + sp];
        }
        uMid /= 2 * S;
        uDiff /= S;
        let uVar = 0;
        for (let sp = 0; sp < S; sp++) {
          const d = (Vup[vOff + sp] + Vlo[vOff + sp]) / 2 - uMid;
          uVar += d * d;
        }
        uVar /= S;
        let uRho = NaN;
        let uSigUp = 0;
        let uSigLo = 0;

        for (let s = 0; s < S; s++) {
          const rho = cfg.rhoScale * radius[(i * H + h) * S + s];
          if (rho !== uRho) {
            if (valid) {
              // An unvisited row's confidence set is the whole simplex: its extremes are the point masses.
              point.next[0] = topUp;
              uSigUp = robustExpectationRow(wsUp, divergence, point, 0, rho);
              point.next[0] = botLo;
              uSigLo = robustExpectationRow(wsLo, divergence, point, 0, rho);
            } else {
              uSigUp = robustExpectationRow(wsUp, divergence, uniform, 0, rho);
              uSigLo = robustExpectationRow(wsLo, divergence, uniform, 0, rho);
            }
            uRho = rho;
          }
          const klBonus = bonusForm === 'kl' && rho > 0;
          for (let j = 0; j < J; j++) {
            const r = (h * S + s) * J + j;
            const n = visits[r];
            let sigUp: number, sigLo: number, varMid: number, diff: number, pMin: number, rUp: number, rLo: number;
            if (n === 0) {
              sigUp = uSigUp;
              sigLo = uSigLo;
              varMid = uVar;
              diff = uDiff;
              pMin = 1 / S;
              rUp = knownReward === null ? 1 : knownReward[r * m + i];
              rLo = knownReward === null ? 0 : knownReward[r * m + i];
            } else if (valid) {
              sigUp = robustExpectationRow(wsUp, divergence, confidence!.extremeRow(r, Vup, vOff, rankUp, topUp, true), 0, rho);
              sigLo = robustExpectationRow(wsLo, divergence, confidence!.extremeRow(r, Vlo, vOff, rankLo, botLo, false), 0, rho);
              varMid = diff = 0;
              pMin = 1;
              rUp = rLo = knownReward === null ? rewardSum[r * m + i] / n : knownReward[r * m + i];
            } else {
              const view = counts.view(r);
              sigUp = robustExpectationRow(wsUp, divergence, view, 0, rho);
              sigLo = robustExpectationRow(wsLo, divergence, view, 0, rho);
              const a = view.rowStart[0], b = view.rowStart[1];
              const next = view.next, prob = view.prob;
              let mean = 0;
              diff = 0;
              pMin = 1;
              for (let k = a; k < b; k++) {
                const sp = vOff + next[k];
                const p = prob[k];
                mean += p * (Vup[sp] + Vlo[sp]);
                diff += p * (Vup[sp] - Vlo[sp]);
                if (p < pMin) pMin = p;
              }
              mean /= 2;
              varMid = 0;
              for (let k = a; k < b; k++) {
                const sp = vOff + next[k];
                const d = (Vup[sp] + Vlo[sp]) / 2 - mean;
                varMid += prob[k] * d * d;
              }
              rUp = rLo = knownReward === null ? rewardSum[r * m + i] / n : knownReward[r * m + i];
            }
            const n1 = n > 1 ? n : 1;
            let beta: number;
            if (valid) {
              beta = 0; // the widths are in sigUp / sigLo (confidence-set extremes)
            } else if (bonusForm === 'bernstein') {
              beta = c1 * Math.sqrt((iota * varMid) / n1) + tvLead / n1 + (c1 * diff) / H;
            } else if (klBonus) {
              beta = ((2 * cf * H) / rho) * Math.sqrt(iota / (n1 * pMin)) + invSqrtK; // eq. 102
            } else {
              beta = Math.sqrt((c1 * iota * varMid) / n1) + (2 * diff) / H + tvLead / Math.sqrt(n1) + invSqrtK; // eq. 19
            }
            beta *= scale;
            const q = (s * J + j) * m + i;
            const up = rUp + sigUp + beta; // eq. 5
            Qup[q] = up < cap ? up : cap;
            const lo = rLo + sigLo - beta; // eq. 6
            Qlo[q] = lo > 0 ? lo : 0;
          }
        }
      }

      // eq. 7: one stage game per state (reused when its payoffs did not change); eq. 8: the values.
      for (let s = 0; s < S; s++) {
        const hs = h * S + s;
        const qBase = s * J * m;
        const cBase = hs * J * m;
        let same = cacheOk[hs] === 1;
        for (let t = 0; t < J * m; t++) {
          const u = Qup[qBase + t];
          U[t] = u;
          if (same && cacheU[cBase + t] !== u) same = false;
          cacheU[cBase + t] = u;
        }
        if (same) {
          stats.reused++;
        } else {
          const g = stage.solve(U, planProb, hs * J);
          cacheGap[hs] = g > 0 ? g : 0;
          if (planMarg !== null) for (let i = 0; i < m; i++) planMarg[i].set(stage.marginals![i], hs * A[i]);
          cacheOk[hs] = 1;
          stats.solved++;
        }
        for (let i = 0; i < m; i++) {
          let vu = 0;
          let vl = 0;
          for (let j = 0; j < J; j++) {
            const p = planProb[hs * J + j];
            vu += p * Qup[qBase + j * m + i];
            vl += p * Qlo[qBase + j * m + i];
          }
          Vup[(h * m + i) * S + s] = vu + cacheGap[hs];
          Vlo[(h * m + i) * S + s] = vl;
        }
      }
    }
  }

  /** A fresh copy of the planned policy (episode policies are never mutated afterwards). */
  function snapshot(): Policy {
    if (planMarg !== null) {
      const p: ProductPolicy = { kind: 'product', H, S, A: [...A], marginals: planMarg.map((t) => t.slice()) };
      return p;
    }
    const p: JointPolicy = { kind: 'joint', H, S, J, prob: planProb.slice() };
    return p;
  }

  function uniformPolicy(): Policy {
    if (planMarg !== null) return { kind: 'product', H, S, A: [...A], marginals: A.map((n) => new Float64Array(H * S * n).fill(1 / n)) };
    return { kind: 'joint', H, S, J, prob: new Float64Array(H * S * J).fill(1 / J) };
  }

  return {
    name,
    config: cfg,
    upper: Vup,
    lower: Vlo,
    counts,
    stats,
    bonusMultiplier: scale,
    beginEpisode(): Policy {
      plan();
      planned = true;
      episodePolicy = snapshot();
      return episodePolicy;
    },
    act(h: number, s: number, rng: Rng): number {
      if (!planned) inputError(`${name}.act`, 'no episode has begun, expected beginEpisode(k) first');
      return sampleJointAction(episodePolicy!, context.layout, h, s, rng);
    },
    observe(h: number, s: number, j: number, rewards: ArrayLike<number>, sp: number): void {
      counts.add(h, s, j, sp);
      const base = ((h * S + s) * J + j) * m;
      for (let i = 0; i < m; i++) {
        const x = rewards[i];
        if (!(x - x === 0)) inputError(`rewards[${i}]`, `expected a finite reward, got ${x}`);
        rewardSum[base + i] += x;
      }
      if (h === 0) seenStart[s] = 1;
      if (!rewardsVary) {
        for (let i = 0; i < m; i++) {
          const first = rewardFirst[base + i];
          if (first !== first) rewardFirst[base + i] = rewards[i];
          else if (first !== rewards[i]) rewardsVary = true;
        }
      }
    },
    endEpisode(): EpisodeReport {
      if (!planned) inputError(`${name}.endEpisode`, 'no episode has begun, expected beginEpisode(k) first');
      episodes++;
      let unseen = 0;
      for (let s = 0; s < S; s++) if (seenStart[s] === 0) unseen++;
      let bound = -Infinity;
      for (let s = 0; s < S; s++) {
        if (unseen < S && seenStart[s] === 0) continue;
        for (let i = 0; i < m; i++) {
          const d = Vup[i * S + s] - Vlo[i * S + s];
          if (d > bound) bound = d;
        }
      }
      if (valid) {
        // Start states not seen in k episodes have mu(s) < iotaStart / k each (on the event; docs/learners/confidence-bounds.md).
        const missing = (unseen * iotaStart) / episodes;
        bound += H * (missing < 1 ? missing : 1);
        if (bound > H) bound = H;
      }
      if (bound < bestBound) {
        bestBound = bound;
        bestPolicy = episodePolicy;
      }
      return certified() ? { certifiedGap: bound } : { boundGap: bound };
    },
    outputPolicy(): Policy {
      return bestPolicy ?? uniformPolicy();
    },
    outputCertifiedGap(): number | undefined {
      return bestPolicy === null || !certified() ? undefined : bestBound;
    },
    outputBoundGap(): number | undefined {
      return bestPolicy === null || certified() ? undefined : bestBound;
    },
    get certified(): boolean {
      return certified();
    },
  };
}

/**
 * Ranks W[wOff + sp] descending (rank 0 = largest, ties by index) into rank[], leaving the order in order[]; returns
 * the first argmax. O(S log S), once per (h, agent, value vector).
 */
function rankValues(W: Float64Array, wOff: number, S: number, rank: Int32Array, order: Int32Array): number {
  for (let t = 0; t < S; t++) order[t] = t;
  order.sort((x, y) => W[wOff + y] - W[wOff + x] || x - y);
  for (let t = 0; t < S; t++) rank[order[t]] = t;
  return order[0];
}

/**
 * The resolved config of `config` (its parameters checked against `mornaviParams`, defaults filled in), checked
 * against the context: the bonus form must match the game's divergence, bonus=valid is MORNAVI's, rewards=known needs a model.
 */
function resolveConfig(config: Partial<MornaviConfig>, context: LearnerContext): MornaviConfig {
  const { name: givenName, bonusForm: givenForm, ...params } = config;
  const bonusForm = givenForm ?? defaultMornaviConfig.bonusForm;
  const name = givenName ?? (bonusForm === 'bernstein' ? 'nash-vi' : `mornavi-${bonusForm}`);
  const where = `learner ${name}`;
  if (bonusForm !== 'tv' && bonusForm !== 'kl' && bonusForm !== 'bernstein') inputError(`${where}: bonusForm`, `expected tv, kl or bernstein, got ${JSON.stringify(bonusForm)}`);
  const cfg: MornaviConfig = { name, bonusForm, ...resolveParams(name, mornaviParams, params, { at: (key) => `${where}: ${key}` }) };
  if (bonusForm !== 'bernstein' && bonusForm !== context.divergence) {
    inputError(
      where,
      `its ${bonusForm.toUpperCase()} bonus is for ${bonusForm.toUpperCase()} games, but this game's uncertainty sets are ${context.divergence.toUpperCase()}: use mornavi-${context.divergence}`,
    );
  }
  if (cfg.bonus === 'valid' && bonusForm === 'bernstein') inputError(`${where}: bonus`, "bonus=valid is MORNAVI's (mornavi-tv, mornavi-kl); the Bernstein form takes paper or scaled");
  if (cfg.rewards === 'known' && context.model === undefined) {
    inputError(`${where}: rewards`, 'rewards=known reads the rewards from the model, but the context carries none; use rewards=learned');
  }
  return cfg;
}

const { cf: _cf, ...mornaviTvParams } = mornaviParams;
const { c1: _c1, c2: _c2, ...mornaviKlParams } = mornaviParams;

/** `mornavi-tv`: MORNAVI with the TV bonus of eq. 19 (TV games). */
export const mornaviTvDefinition = defineLearner({
  name: 'mornavi-tv',
  description: 'TV-MORNAVI (Algorithm 1): optimistic robust value iteration with certified confidence-set widths (or the eq. 19 bonus); output: the episode policy with the smallest bound',
  params: mornaviTvParams,
  create: (context, params) => createMornavi(context, { name: 'mornavi-tv', bonusForm: 'tv', ...params }),
});

/** `mornavi-kl`: MORNAVI with the KL bonus of eq. 102 (KL games). */
export const mornaviKlDefinition = defineLearner({
  name: 'mornavi-kl',
  description: 'KL-MORNAVI (Algorithm 1): optimistic robust value iteration with certified confidence-set widths (or the eq. 102 bonus); output: the episode policy with the smallest bound',
  params: mornaviKlParams,
  create: (context, params) => createMornavi(context, { name: 'mornavi-kl', bonusForm: 'kl', ...params }),
});
