/**
 * Worst-kernel training for decentralised learners (after Gadot, Derman, Kumar, Elfatihy, Levy, Mannor, "Bring Your
 * Own (Non-Robust) Algorithm to Solve Robust MDPs by Estimating the Worst Kernel", ICML 2024: EWoK). A non-robust
 * agent that bootstraps from the value of the next state it is shown learns the robust value if the next state it is
 * shown is drawn from ITS OWN worst-case kernel. The wrapper does that for every agent of a team, at every transition
 * (h, s, j, sp) of the real episode:
 *   1. draws: x_1 = sp (the real next state) and x_2..x_n ~ P*_h(.|s, j) from the nominal simulator (n = `draws`);
 *   2. P_n = the empirical distribution of x_1..x_n;
 *   3. for agent i with radius rho = rho_i(h, s) > 0 (and h + 1 < H), with its current value estimate V_{i,h+1}:
 *        q_i = the worst case of sigma_{P_n, rho}[V_{i,h+1}]    (`worstCaseRow`, exact for P_n)
 *          KL: q_i(x) ∝ P_n(x) exp(-V(x) / eta*), eta* the maximiser of the dual (eq. 11) for P_n: sampling
 *              importance resampling of the draws with weights exp(-V / eta*);
 *          TV: P_n with min(rho, 1) of mass taken from its highest-value draws and put on argmin V over all states
 *              (support shift allowed, as in the game's TV sets);
 *        and agent i observes (h, s, its action, its reward, sp_i ~ q_i); with rho = 0 it observes the real sp.
 * For KL the finite-n law is biased toward the nominal: a low-value next state of nominal probability p is missing
 * from all n draws with probability (1 - p)^n, and then the adversary cannot reweight it (TV can, by support shift):
 * use n >> 1 / p_min (the default n = 32 leaves a p = 0.05 state out 19% of the time).
 * As n grows q_i tends to the exact worst kernel of P*_h(.|s, j) (tested on small rows against `worstCaseRow` of
 * P*, with the wrapper's frequencies checked against the exact finite-n law by a chi-square test).
 *
 * Choices the paper leaves open (EWoK is single-agent, KL-regularised, and continues the episode from the resampled
 * state), and what drmg chose:
 *  - Many agents: each agent has its own worst case, so the episode continues from the REAL next state sp; the
 *    resampled sp_i is what agent i bootstraps from (its `observe`). One set of draws serves every agent.
 *  - KL temperature: EWoK's fixed temperature is replaced by the exact dual maximiser for P_n and the game's radius,
 *    so the wrapper targets the game's constrained KL set; TV (not in EWoK) uses the exact TV worst case of P_n.
 *  - Value estimate: the agent's own `values()` (V[h*S + s], h = 0..H), read at every transition.
 *  - Simulator access: the draws need the nominal kernel as a generative simulator, so learners built on this wrapper
 *    declare `needsModel` (like `dr-nvi`); only samples are drawn from it. The draws come from the wrapper's own
 *    generator (seeded by `seed`), so the agents' action streams are those of the plain team.
 * Cost per transition: n - 1 simulator draws, and per agent with rho > 0 one load of V_{h+1} (O(S), a sort for TV)
 * and one sigma of a row with at most n entries: O(m (S log S + n)), independent of J.
 *
 * Layouts: the game's kernel rows r = (h*S + s)*J + j (CSR); V[h*S + s]; the draws' empirical row as a one-row CSR
 * kernel (next states increasing); q[sp] dense over S.
 */
import { createRng, createSigmaWorkspace, defineParams, inputError, loadValues, stateIndexArray, worstCaseRow, MAX_SEED, type ParamValues } from '@drmg/core';
import type { Divergence, Kernel, Rng, SigmaWorkspace } from '@drmg/core';
import type { Agent } from './agent.ts';
import type { Learner, LearnerContext } from './learner.ts';
import { teamLearner } from './team-learner.ts';

/** The most nominal draws per transition the wrapper makes. */
export const MAX_WORST_KERNEL_DRAWS = 10_000;

/** The wrapper's parameters, declared once (spread into the schema of a learner built on it, e.g. `robust-q`). */
export const worstKernelParams = defineParams({
  draws: {
    type: 'integer',
    default: 32,
    min: 1,
    max: MAX_WORST_KERNEL_DRAWS,
    doc: 'n, next states per transition (the real one and n - 1 nominal simulator draws) resampled toward each agent\'s worst case',
  },
  seed: { type: 'integer', default: 0, min: 0, max: MAX_SEED, doc: "seed of the wrapper's simulator draws and resampling" },
});

/** The wrapper's settings. */
export type WorstKernelConfig = ParamValues<typeof worstKernelParams>;

/** An agent whose value estimate the wrapper can read: V[h*S + s], h = 0..H (row H zero). */
export interface ValueAgent extends Agent {
  /** The agent's current value estimate V[h*S + s], h = 0..H (row H zero); may be a live view. */
  values(): Float64Array;
}

/** Reusable buffers of `resampleWorstCase` for one state-space size S. */
export interface WorstKernelScratch {
  readonly S: number;
  /** The sigma workspace the values are loaded into. */
  readonly ws: SigmaWorkspace;
  /** The worst-case distribution q[sp], written by each call. */
  readonly q: Float64Array;
  /** The draws' empirical distribution as a one-row CSR kernel. */
  readonly row: Kernel;
  readonly counts: Int32Array;
}

/**
 * Allocates the buffers of `resampleWorstCase` for S states.
 * @throws DrmgError ('input', 'S') when S is not a positive integer (see `createSigmaWorkspace`).
 */
export function createWorstKernelScratch(S: number): WorstKernelScratch {
  const ws = createSigmaWorkspace(S);
  return { S, ws, q: new Float64Array(S), row: { rowStart: new Int32Array(2), next: stateIndexArray(S, S), prob: new Float64Array(S) }, counts: new Int32Array(S) };
}

/**
 * Loads the draws x[0..n) as the empirical row P_n of `scratch` (distinct next states in increasing order, P_n(x) =
 * count / n); `resampleWorstCase` then reads it for any number of agents.
 * @throws DrmgError ('input') when n < 1 or a draw is not a state in [0, S - 1].
 */
export function loadDraws(scratch: WorstKernelScratch, x: ArrayLike<number>, n: number): void {
  const { S, counts } = scratch;
  if (!(Number.isInteger(n) && n >= 1 && n <= x.length)) inputError('draws', `expected n in [1, ${x.length}] draws, got ${n}`);
  for (let k = 0; k < n; k++) {
    const sp = x[k];
    if (!(Number.isInteger(sp) && sp >= 0 && sp < S)) inputError(`draws[${k}]`, `expected a state in [0, ${S - 1}], got ${sp}`);
  }
  for (let k = 0; k < n; k++) counts[x[k]]++;
  const next = scratch.row.next, prob = scratch.row.prob;
  let nnz = 0;
  // Scan the states only when that is cheaper than sorting the draws.
  if (S <= 4 * n) {
    for (let sp = 0; sp < S; sp++) {
      if (counts[sp] === 0) continue;
      next[nnz] = sp;
      prob[nnz++] = counts[sp] / n;
      counts[sp] = 0;
    }
  } else {
    for (let k = 0; k < n; k++) {
      const sp = x[k];
      if (counts[sp] === 0) continue;
      // Insertion into the sorted prefix (n is small).
      let p = nnz++;
      while (p > 0 && next[p - 1] > sp) {
        next[p] = next[p - 1];
        prob[p] = prob[p - 1];
        p--;
      }
      next[p] = sp;
      prob[p] = counts[sp] / n;
      counts[sp] = 0;
    }
  }
  (scratch.row.rowStart as Int32Array)[1] = nnz;
}

/**
 * One next state drawn from the worst case q of sigma_{P_n, rho}[V] (P_n loaded by `loadDraws`, V = V[vOffset ..
 * vOffset + S)), written to scratch.q; returns the drawn state.
 * @throws DrmgError ('input') when V is too short or not finite, or rho is negative (see `worstCaseRow`).
 * @example loadDraws(scratch, [3, 1, 3], 3); const sp = resampleWorstCase(scratch, 'kl', V, 2 * S, 0.2, rng);
 */
export function resampleWorstCase(scratch: WorstKernelScratch, divergence: Divergence, V: Float64Array, vOffset: number, rho: number, rng: Rng): number {
  const { S, ws, q } = scratch;
  loadValues(ws, V, vOffset);
  worstCaseRow(ws, divergence, scratch.row, 0, rho, q);
  let u = rng();
  let last = 0;
  for (let sp = 0; sp < S; sp++) {
    if (q[sp] <= 0) continue;
    last = sp;
    u -= q[sp];
    if (u < 0) return sp;
  }
  return last; // rounding: the last state with mass
}

/**
 * A team of value-estimating agents trained against their own estimated worst kernels (file header): acting and
 * policies are those of `teamLearner`; each transition is shown to agent i with a next state resampled toward its
 * worst case. Needs `context.model` as a generative simulator; `simulatorCalls()` counts its draws (n - 1 per
 * transition where some agent has rho > 0 and h + 1 < H, none elsewhere).
 * @throws DrmgError ('input') when the context carries no model, the team's size is wrong, or draws / seed are bad.
 * @example const learner = worstKernelTeam(context.A.map((_, i) => createIndependentQAgent(agentContext(context, i))), context, { draws: 16 });
 */
export function worstKernelTeam(agents: readonly ValueAgent[], context: LearnerContext, config: Partial<WorstKernelConfig> = {}, name = 'worst-kernel'): Learner {
  const draws = config.draws ?? 32;
  const seed = config.seed ?? 0;
  if (!(Number.isInteger(draws) && draws >= 1 && draws <= MAX_WORST_KERNEL_DRAWS)) inputError(`learner ${name}: draws`, `expected an integer in [1, ${MAX_WORST_KERNEL_DRAWS}], got ${draws}`);
  if (!(Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED)) inputError(`learner ${name}: seed`, `expected an integer in [0, ${MAX_SEED}], got ${seed}`);
  const model = context.model;
  if (model === undefined) inputError(`learner ${name}`, 'worst-kernel training draws extra next states from the nominal simulator: it needs the model in its context (needsModel)');
  const team = teamLearner(agents, context, name);
  const { m, H, S, J, layout, divergence, radius } = context;
  const { rowStart, next: kNext, prob: kProb } = model.kernel;
  const rng = createRng(seed);
  const scratch = createWorstKernelScratch(S);
  const x = new Int32Array(draws);
  let calls = 0; // nominal simulator draws so far (n - 1 per transition that drew)

  return {
    ...team,
    simulatorCalls(): number {
      return calls;
    },
    observe(h: number, s: number, j: number, rewards: ArrayLike<number>, sp: number): void {
      const obs = { h, s };
      const real = { h: h + 1, s: sp };
      let loaded = false;
      for (let i = 0; i < m; i++) {
        const rho = radius[(i * H + h) * S + s];
        let spi = sp;
        if (rho > 0 && h + 1 < H) {
          if (!loaded) {
            // Steps 1-2: the real next state and n - 1 nominal draws (inverse CDF over the row's stored entries).
            const r = (h * S + s) * J + j;
            const lo = rowStart[r], hi = rowStart[r + 1];
            x[0] = sp;
            for (let k = 1; k < draws; k++) {
              let u = rng();
              let e = lo;
              for (; e < hi - 1; e++) {
                u -= kProb[e];
                if (u < 0) break;
              }
              x[k] = kNext[e];
            }
            loadDraws(scratch, x, draws);
            calls += draws - 1;
            loaded = true;
          }
          // Step 3: agent i's worst case of P_n under its own V_{h+1}.
          spi = resampleWorstCase(scratch, divergence, agents[i].values(), (h + 1) * S, rho, rng);
        }
        agents[i].observe(obs, layout.actionOf[j * m + i], rewards[i], spi === sp ? real : { h: h + 1, s: spi });
      }
    },
  };
}
