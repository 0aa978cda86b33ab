/**
 * DR-NVI with a generative model (Shi, Mazumdar, Chi, Wierman, "Sample-Efficient Robust Multi-Agent Reinforcement
 * Learning in the Face of Environmental Uncertainty", ICML 2024): a model-based, non-adaptive learner.
 *
 *   1. for every (h, s, j): draw N i.i.d. next states sp_1..sp_N ~ P*_h(. | s, j) from the nominal simulator
 *   2. P_hat_h(sp | s, j) = (1/N) sum_n 1{sp_n = sp}                       (the empirical nominal kernel)
 *   3. robust Nash value iteration on (P_hat, rho, r): backward induction with the exact sigma of P_hat and a
 *      stage equilibrium at every (h, s) (`planRobustEquilibrium`, Prop. 1 / eqs. 7-8 with P_hat in place of P*)
 *
 * N is `samplesPerPair`; the simulator is called H*S*J*N times (`samples`). Generative access: the learner is handed
 * the model (needsModel) but only *samples* from its nominal kernel, with its own generator seeded from `seed`; the
 * kernel's probabilities are read for nothing else. Rewards and radii are taken from the model (the paper assumes
 * the rewards known and the uncertainty sets are part of the problem). Planning happens once, lazily, at the first
 * `beginEpisode` / `act` / `outputPolicy`; every episode plays the planned policy, which is also the output policy.
 * No certificate is reported: the plan's stage gaps certify the policy in the empirical game, not in the true one.
 *
 * Layouts: kernel row r = (h*S + s)*J + j (CSR, as in `tabular-game.ts`); counts[sp] of the row being sampled.
 * See docs/learners/dr-nvi.md.
 */
import { MAX_SEED, createRng, createTabularGame, gameParts, defineParams, inputError, resolveParams, schemaDefaults, stateIndexArray, type ParamValues } from '@drmg/core';
import type { Kernel, Policy, Rng, TabularGame } from '@drmg/core';
import { defineLearner, type Learner, type LearnerContext } from './learner.ts';
import { checkJointActionLimit } from './joint-action-limit.ts';
import { planRobustEquilibrium } from './plan-robust-equilibrium.ts';
import { sampleJointAction } from './sample-joint-action.ts';
import { STAGE_EQUILIBRIA } from './stage-solver.ts';

/** The largest number of simulator calls H*S*J*N a DR-NVI learner makes. */
export const MAX_DR_NVI_SAMPLES = 1e8;

/** DR-NVI's parameters, declared once (`DrNviConfig` is derived from them). */
export const drNviParams = defineParams({
  samplesPerPair: {
    type: 'integer',
    default: 100,
    min: 1,
    max: MAX_DR_NVI_SAMPLES,
    doc: 'N, next states drawn from the nominal simulator per (h, s, j); H*S*J*N <= 1e8 simulator calls in all',
  },
  equilibrium: { type: 'enum', values: STAGE_EQUILIBRIA, default: 'cce', doc: 'stage-game equilibrium of the planning step (nash, cce or ce)' },
  seed: { type: 'integer', default: 0, min: 0, max: MAX_SEED, doc: 'seed of the sampling generator (the sampled kernel depends on it only)' },
});

/** DR-NVI settings. */
export type DrNviConfig = ParamValues<typeof drNviParams>;

/** Defaults: 100 samples per (h, s, j), CCE, seed 0. */
export const defaultDrNviConfig: DrNviConfig = schemaDefaults(drNviParams);

/** A DR-NVI learner: a Learner that also tells how many simulator calls it made (`samples`, = `simulatorCalls()`) and what it planned on. */
export interface DrNviLearner extends Learner {
  /** Simulator calls made so far: 0 before planning, H*S*J*N after. */
  readonly samples: number;
  /** The empirical game (P_hat with the model's rewards, radii and initial distribution), once planned. */
  readonly empiricalGame: TabularGame | undefined;
}

/**
 * A DR-NVI learner for `context`: samples N next states per (h, s, j) from `context.model`'s nominal kernel, builds
 * P_hat and plays the robust equilibrium of (P_hat, rho, r) in every episode.
 * @throws DrmgError ('input') when the context carries no model, samplesPerPair is not an integer >= 1 or makes
 *   H*S*J*N exceed 1e8, the equilibrium is unknown, or the seed is not a finite number.
 * @example const learner = createDrNvi(learnerContext(game, 100, true), { samplesPerPair: 1000, equilibrium: 'ce' });
 */
export function createDrNvi(context: LearnerContext, config: Partial<DrNviConfig> = {}): DrNviLearner {
  const cfg = resolveParams('dr-nvi', drNviParams, config, { at: (key) => `learner dr-nvi: ${key}` });
  const model = context.model;
  if (model === undefined) inputError('learner dr-nvi', 'DR-NVI samples from the nominal simulator: it needs the model in its context (needsModel)');
  checkJointActionLimit('dr-nvi', context.J, context.A);
  checkConfig(cfg, context);
  const { H, S, J } = model;
  const N = cfg.samplesPerPair;

  let policy: Policy | undefined;
  let empiricalGame: TabularGame | undefined;
  let samples = 0;

  function plan(): Policy {
    if (policy !== undefined) return policy;
    const rng = createRng(cfg.seed);
    // Steps 1-2: the empirical kernel P_hat (CSR, only next states that were drawn).
    const kernel = sampleEmpiricalKernel(model!.kernel, H * S * J, S, N, rng);
    samples = H * S * J * N;
    empiricalGame = createTabularGame({ ...gameParts(model!), name: `${model!.name} (dr-nvi empirical, N=${N})`, kernel });
    // Step 3: robust Nash value iteration on (P_hat, rho, r).
    policy = planRobustEquilibrium(empiricalGame, { equilibrium: cfg.equilibrium }).policy;
    return policy;
  }

  return {
    name: 'dr-nvi',
    get samples(): number {
      return samples;
    },
    get empiricalGame(): TabularGame | undefined {
      return empiricalGame;
    },
    beginEpisode(): Policy {
      return plan();
    },
    act(h: number, s: number, rng: Rng): number {
      return sampleJointAction(plan(), context.layout, h, s, rng);
    },
    observe(): void {},
    endEpisode() {
      return {};
    },
    outputPolicy(): Policy {
      return plan();
    },
    simulatorCalls(): number {
      return samples;
    },
  };
}

/**
 * Steps 1-2: N draws from every row of the nominal kernel `P` (by inverse CDF over the row's stored entries, the
 * only use of its probabilities), counted into the empirical kernel P_hat_h(sp | s, j) = count(sp) / N in CSR form.
 */
function sampleEmpiricalKernel(P: Kernel, rows: number, S: number, N: number, rng: Rng): Kernel {
  const counts = new Int32Array(S);
  const rowStart = new Int32Array(rows + 1);
  let next = stateIndexArray(S, rows * Math.min(S, N)); // a row stores at most min(S, N) next states
  let prob = new Float64Array(next.length);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    const lo = P.rowStart[r];
    const hi = P.rowStart[r + 1];
    counts.fill(0);
    for (let n = 0; n < N; n++) {
      let u = rng();
      let k = lo;
      for (; k < hi - 1; k++) {
        u -= P.prob[k];
        if (u < 0) break;
      }
      counts[P.next[k]]++;
    }
    rowStart[r] = nnz;
    for (let sp = 0; sp < S; sp++) {
      if (counts[sp] === 0) continue;
      next[nnz] = sp;
      prob[nnz] = counts[sp] / N;
      nnz++;
    }
  }
  rowStart[rows] = nnz;
  next = next.slice(0, nnz);
  prob = prob.slice(0, nnz);
  return { rowStart, next, prob };
}

/** Checks the one cross-field limit the schema cannot state: H*S*J*N simulator calls at most MAX_DR_NVI_SAMPLES. */
function checkConfig(cfg: DrNviConfig, context: LearnerContext): void {
  const N = cfg.samplesPerPair;
  const rows = context.H * context.S * context.J;
  const maxN = Math.floor(MAX_DR_NVI_SAMPLES / rows);
  if (rows * N > MAX_DR_NVI_SAMPLES) {
    inputError(
      'learner dr-nvi: samplesPerPair',
      `H*S*J*N = ${rows}*${N} simulator calls exceeds the limit of ${MAX_DR_NVI_SAMPLES}; expected samplesPerPair <= ${maxN} for this game`,
    );
  }
}

/** `dr-nvi`: DR-NVI with a generative model (needs the model, samples from it only). */
export const drNviDefinition = defineLearner({
  name: 'dr-nvi',
  description: 'DR-NVI (Shi et al. 2024): N simulator draws per (h, s, j), robust equilibrium of the empirical game (needs the model as a generative simulator)',
  needsModel: true,
  params: drNviParams,
  create: (context, params) => createDrNvi(context, params),
});
