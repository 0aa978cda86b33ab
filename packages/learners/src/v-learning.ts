/**
 * V-learning (Jin, Liu, Wang, Yu 2021, "V-Learning -- A Simple, Efficient, Decentralized Algorithm for Multiagent RL",
 * arXiv:2110.14555, Algorithm 1 with the FTRL bandit of their Algorithm 3 / Sec. 4, the CCE version): every agent
 * learns alone from (h, s), its own action, its own reward and the next state, with one adversarial bandit per (h, s)
 * over its OWN actions. Its tables grow with S * A_i, never with J = A_1 x ... x A_m. The robust twin
 * (`robust-v-learning.ts`, Ma, Chen, Zou, Zhou 2023) is the same loop with a robust target; both share this file.
 *
 * Per agent, at the t-th visit of (h, s) (t = N_h(s) after counting it), having played a with probability
 * theta_t(a) and seen reward r and next state sp:
 *   alpha_t = (H + 1) / (H + t),   beta_t = c sqrt(H^3 A iota / t),   iota = log(H S A K / delta)       (Alg. 1)
 *   target  = V_{h+1}(sp)                                  (v-learning, Alg. 1 line 6)
 *           = sigma_{P_hat_h(.|s,a), rho(h,s)}[V_{h+1}]     (robust-v-learning; P_hat = the agent's own counts)
 *   V~_h(s) <- (1 - alpha_t) V~_h(s) + alpha_t (r + target + beta_t),   V_h(s) = min{ H - h, V~_h(s) }   (Alg. 1 l. 6-7)
 *   loss    l_t = (H - r - target) / H in [0, 1]                                                       (Alg. 1 l. 8)
 *   bandit (Alg. 3, FTRL with implicit exploration, weights w_t = alpha_t / prod_{i=2..t} (1 - alpha_i)):
 *     l^_t(b) = l_t 1{b = a} / (theta_t(a) + gamma_t),   eta_t = gamma_t = sqrt(H log A / (A t))
 *     theta_{t+1}(b) ∝ exp(-(eta_{t+1} / w_{t+1}) sum_{i<=t} w_i l^_i(b))
 * V_H = 0, V~ and V start at H - h (the value range at step h, 0-based), theta_1 uniform.
 *
 * Choices the paper leaves open, and what drmg chose:
 *  - Output policy. The paper's certified output (their Algorithm 2) is NOT Markov: it draws an earlier episode k
 *    uniformly, and at every step re-draws which earlier visit of the current (h, s) to replay with the weights
 *    alpha_t^i, so it depends on the history and (through the shared k) correlates the agents. drmg's evaluators score
 *    Markov policies exactly, so drmg reports (a) the EPISODE policies pi^k = prod_i theta_i^k, the Markov product
 *    policies the agents actually play (regret, `beginEpisode`), and (b) as `outputPolicy` (`output=average`, the
 *    default) the product over agents of the alpha-weighted average of each agent's played bandit distributions,
 *    avg_h(.|s) = sum_{i<=t} alpha_t^i theta_i (avg <- (1 - alpha_t) avg + alpha_t theta_t), the per-(h, s) marginal of
 *    the paper's output at its first step; `output=last` gives the current episode policy instead. Neither is the
 *    paper's certified object: their gaps are measured, not bounded.
 *  - Constants. c is an unspecified absolute constant (c = 1 gives a bonus far above H for a long time: it would
 *    explore uniformly); default c = 0.05 as in `independent-q`. The bandit's step size is the paper's times
 *    `etaScale` (default 1, the paper's). iota uses this agent's own S, A, H, K (an agent does not know m).
 *  - Numerics. The weighted sum is kept normalised, D_t = sum_{i<t} w_i l^_i / w_t, updated as
 *    D_{t+1} = (w_t / w_{t+1}) (D_t + l^_t) with w_t / w_{t+1} = alpha_t (1 - alpha_{t+1}) / alpha_{t+1}, so no weight
 *    (w_t grows like t^H) is ever formed; theta is exp(-eta (D - min D)), normalised.
 *  - Robust target (robust-v-learning only): see `robust-v-learning.ts`.
 *
 * Layouts (per agent, A its own action count): values V[h*S + s] and V~[h*S + s], h = 0..H (row H zero); visits
 * N[h*S + s]; bandit D[(h*S + s)*A + a], theta[(h*S + s)*A + a], average avg[(h*S + s)*A + a]; robust counts
 * C[((h*S + s)*A + a)*S + sp] and their totals n[(h*S + s)*A + a].
 * Evidence: docs/learners/v-learning.md and docs/learners/comparison.md.
 */
import { createSigmaWorkspace, defineParams, loadValues, resolveParams, robustExpectationRow, schemaDefaults, stateIndexArray, type ParamValues } from '@drmg/core';
import type { Kernel, Policy, ProductPolicy, Rng } from '@drmg/core';
import type { Agent, AgentContext, AgentObservation } from './agent.ts';
import { agentContext } from './agent-context.ts';
import { defineLearner, type Learner, type LearnerContext } from './learner.ts';
import { teamLearner } from './team-learner.ts';

/** V-learning's parameters (shared by `robust-v-learning`), declared once (`VLearningConfig` is derived from them). */
export const vLearningParams = defineParams({
  c: { type: 'number', default: 0.05, min: 0, doc: 'bonus constant c of beta_t = c sqrt(H^3 A iota / t)' },
  delta: { type: 'number', default: 0.1, min: 1e-300, max: 1, doc: 'failure probability in iota = log(H S A K / delta)' },
  etaScale: { type: 'number', default: 1, min: 1e-6, max: 1e6, doc: "multiplier on the bandit's step size eta_t = gamma_t = sqrt(H log A / (A t)) (1: the paper's)" },
  output: { type: 'enum', values: ['average', 'last'], default: 'average', doc: "output policy: average = alpha-weighted average of each agent's played bandit policies (product); last = the current episode policy" },
});

/** V-learning settings. */
export type VLearningConfig = ParamValues<typeof vLearningParams>;

/** Defaults: c = 0.05, delta = 0.1, etaScale = 1, output = average. */
export const defaultVLearningConfig: VLearningConfig = schemaDefaults(vLearningParams);

/** Which target a V-learning agent bootstraps from: the sampled next value, or the robust expectation of its own counts. */
export type VLearningTarget = 'nominal' | 'robust';

/** A V-learning agent: an Agent that also shows its value estimate and its averaged policy. */
export interface VLearningAgent extends Agent {
  /** The current value estimate V[h*S + s], h = 0..H (row H zero); a live view, not a copy. */
  values(): Float64Array;
  /** The alpha-weighted average of the played bandit policies, avg[(h*S + s)*A + a] (a copy). */
  averagePolicy(): Float64Array;
}

/**
 * One agent of V-learning (target `nominal`) or of robust V-learning (target `robust`), see the file header.
 * @throws DrmgError ('input') when a parameter is out of range (c < 0, delta not in (0, 1], etaScale not in [1e-6, 1e6]).
 * @example const agent = createVLearningAgent(agentContext(learnerContext(game, 1000), 0), { c: 0.1 });
 */
export function createVLearningAgent(context: AgentContext, config: Partial<VLearningConfig> = {}, target: VLearningTarget = 'nominal'): VLearningAgent {
  const name = target === 'robust' ? 'robust-v-learning' : 'v-learning';
  const cfg = resolveParams(name, vLearningParams, config, { at: (key) => `learner ${name}: ${key}` });
  const { S, H, actions: nA, radius, divergence } = context;
  const K = Math.max(1, context.episodes);
  const iota = Math.log((H * S * nA * K) / cfg.delta);
  const bonusLead = cfg.c * Math.sqrt(H * H * H * nA * iota);
  const etaLead = nA > 1 ? cfg.etaScale * Math.sqrt((H * Math.log(nA)) / nA) : 0;
  const alpha = (t: number) => (H + 1) / (H + t);

  const V = new Float64Array((H + 1) * S);
  const Vt = new Float64Array((H + 1) * S);
  for (let h = 0; h < H; h++) {
    V.fill(H - h, h * S, (h + 1) * S);
    Vt.fill(H - h, h * S, (h + 1) * S);
  }
  const N = new Int32Array(H * S);
  const D = new Float64Array(H * S * nA);
  const theta = new Float64Array(H * S * nA).fill(1 / nA);
  const avg = new Float64Array(H * S * nA).fill(1 / nA);

  // Robust target: the agent's own next-state counts per (h, s, a) and one CSR row to hand to sigma.
  const robust = target === 'robust';
  const C = robust ? new Int32Array(H * S * nA * S) : null;
  const nSa = robust ? new Int32Array(H * S * nA) : null;
  const ws = robust ? createSigmaWorkspace(S) : null;
  const row: Kernel = { rowStart: new Int32Array(2), next: stateIndexArray(S, S), prob: new Float64Array(S) };

  /** sigma_{P_hat_h(.|s,a), rho_h(s)}[V_{h+1}] from the counts (sp already counted). */
  function robustTarget(h: number, s: number, a: number): number {
    if (h + 1 >= H) return 0;
    const sa = (h * S + s) * nA + a;
    const total = nSa![sa];
    const base = sa * S;
    let nnz = 0;
    for (let sp = 0; sp < S; sp++) {
      const c = C![base + sp];
      if (c === 0) continue;
      row.next[nnz] = sp;
      row.prob[nnz] = c / total;
      nnz++;
    }
    row.rowStart[1] = nnz;
    loadValues(ws!, V, (h + 1) * S);
    return robustExpectationRow(ws!, divergence, row, 0, radius[h * S + s]);
  }

  return {
    act(obs: AgentObservation, rng: Rng): number {
      const base = (obs.h * S + obs.s) * nA;
      let u = rng();
      for (let a = 0; a < nA - 1; a++) {
        u -= theta[base + a];
        if (u < 0) return a;
      }
      return nA - 1;
    },
    observe(obs: AgentObservation, action: number, reward: number, next: AgentObservation): void {
      const { h, s } = obs;
      const hs = h * S + s;
      const t = ++N[hs];
      const at = alpha(t);
      let tgt: number;
      if (robust) {
        const sa = hs * nA + action;
        nSa![sa]++;
        C![sa * S + next.s]++;
        tgt = robustTarget(h, s, action);
      } else {
        tgt = next.h < H ? V[next.h * S + next.s] : 0;
      }
      // Value update (Alg. 1 lines 6-7).
      Vt[hs] = (1 - at) * Vt[hs] + at * (reward + tgt + bonusLead / Math.sqrt(t));
      V[hs] = Vt[hs] < H - h ? Vt[hs] : H - h;
      // Average policy: avg <- (1 - alpha_t) avg + alpha_t theta_t (theta_t: the distribution just played).
      const base = hs * nA;
      for (let b = 0; b < nA; b++) avg[base + b] = (1 - at) * avg[base + b] + at * theta[base + b];
      if (nA === 1) return;
      // Bandit update (Alg. 3): importance-weighted loss with implicit exploration, normalised weighted sum.
      let loss = (H - reward - tgt) / H;
      loss = loss < 0 ? 0 : loss > 1 ? 1 : loss;
      const gamma = etaLead / Math.sqrt(t);
      D[base + action] += loss / (theta[base + action] + gamma);
      const a1 = alpha(t + 1);
      const ratio = (at * (1 - a1)) / a1; // w_t / w_{t+1}
      let dmin = Infinity;
      for (let b = 0; b < nA; b++) {
        D[base + b] *= ratio;
        if (D[base + b] < dmin) dmin = D[base + b];
      }
      const eta = etaLead / Math.sqrt(t + 1);
      let z = 0;
      for (let b = 0; b < nA; b++) z += theta[base + b] = Math.exp(-eta * (D[base + b] - dmin));
      for (let b = 0; b < nA; b++) theta[base + b] /= z;
    },
    endEpisode(): void {},
    policy(): Float64Array {
      return Float64Array.from(theta);
    },
    values(): Float64Array {
      return V;
    },
    averagePolicy(): Float64Array {
      return Float64Array.from(avg);
    },
  };
}

/**
 * A team of V-learning agents (one per agent index) as a Learner: episode policies are the product of the current
 * bandit policies; the output policy is the product of the averaged ones (`output=average`) or the current ones.
 * @throws DrmgError ('input') when a parameter is out of range.
 * @example const learner = createVLearning(learnerContext(game, 2000), {}, 'robust');
 */
export function createVLearning(context: LearnerContext, config: Partial<VLearningConfig> = {}, target: VLearningTarget = 'nominal'): Learner {
  const name = target === 'robust' ? 'robust-v-learning' : 'v-learning';
  const cfg = resolveParams(name, vLearningParams, config, { at: (key) => `learner ${name}: ${key}` });
  const agents = context.A.map((_, i) => createVLearningAgent(agentContext(context, i), cfg, target));
  const team = teamLearner(agents, context, name);
  if (cfg.output === 'last') return team;
  return {
    ...team,
    outputPolicy(): Policy {
      const { H, S, A } = context;
      return { kind: 'product', H, S, A: [...A], marginals: agents.map((agent) => agent.averagePolicy()) } satisfies ProductPolicy;
    },
  };
}

/** `v-learning`: decentralised V-learning (Jin, Liu, Wang, Yu 2021), one adversarial bandit per (h, s) and agent. */
export const vLearningDefinition = defineLearner({
  name: 'v-learning',
  description: "decentralised V-learning (Jin, Liu, Wang, Yu 2021): one FTRL bandit per (h, s) over each agent's own actions; non-robust",
  params: vLearningParams,
  create: (context, params) => createVLearning(context, params, 'nominal'),
});
