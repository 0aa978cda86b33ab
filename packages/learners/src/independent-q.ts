/**
 * Decentralised independent optimistic Q-learning: every agent runs Q-learning with UCB-Hoeffding exploration
 * (Jin, Allen-Zhu, Bubeck, Jordan 2018, "Is Q-learning provably efficient?", NeurIPS, Algorithm 1) on its own
 * observation (h, s), its own action and its own reward, treating the other agents as part of the environment.
 * It is non-robust (the radii are ignored) and has no equilibrium guarantee in general-sum games: a baseline.
 *
 * Per agent, for a transition (h, s, a, r, sp) with t = N_h(s, a) after counting it:
 *   alpha_t = (H + 1) / (H + t),   b_t = c sqrt(H^3 iota / t),   iota = log(S A T / delta), T = K H,
 *   Q_h(s, a) <- (1 - alpha_t) Q_h(s, a) + alpha_t (r + V_{h+1}(sp) + b_t),
 *   V_h(s) = min{ H - h, max_a Q_h(s, a) },   V_H = 0,   Q initialised to H - h (the value range at step h).
 * Acting is greedy in Q_h(s, .), ties broken uniformly (so the first episodes explore uniformly); `policy()` is that
 * distribution. Q_h(s, .) changes only right after the agent acts at (h, s), so the policy is fixed within an episode.
 * Jin et al. leave c an unspecified absolute constant; with c = 1 the bonus exceeds H for thousands of visits. On the
 * evidence games (`examples/learning-evidence.ts`, K = 20,000) every c tried (0, 0.01, 0.05, 0.2, 1) left a linear
 * robust regret (slopes 0.55-1.05): independent learners need not find equilibria of general-sum games, and they
 * ignore the radii. The default c = 0.05 explores for a few thousand episodes at those sizes.
 *
 * Layouts: Q[(h*S + s)*A + a], N the same, V[h*S + s] for h = 0..H (row H zero).
 */
import { defineParams, resolveParams, schemaDefaults, type ParamValues } from '@drmg/core';
import type { Rng } from '@drmg/core';
import type { Agent, AgentContext, AgentObservation } from './agent.ts';
import { agentContext } from './agent-context.ts';
import { defineLearner } from './learner.ts';
import { teamLearner } from './team-learner.ts';

/** Independent Q-learning's parameters, declared once (`IndependentQConfig` is derived from them). */
export const independentQParams = defineParams({
  c: { type: 'number', default: 0.05, min: 0, doc: 'bonus constant c of b_t = c sqrt(H^3 iota / t)' },
  delta: { type: 'number', default: 0.1, min: 1e-300, max: 1, doc: 'failure probability in iota = log(S A K H / delta)' },
});

/** Independent Q-learning settings. */
export type IndependentQConfig = ParamValues<typeof independentQParams>;

/** Defaults: c = 0.05, delta = 0.1. */
export const defaultIndependentQConfig: IndependentQConfig = schemaDefaults(independentQParams);

/**
 * One agent's optimistic Q-learner (Jin et al. 2018, UCB-Hoeffding; see the file header).
 * @throws DrmgError ('input') when c < 0 or delta is not in (0, 1].
 */
export function createIndependentQAgent(context: AgentContext, config: Partial<IndependentQConfig> = {}): Agent & { values(): Float64Array } {
  const cfg = resolveParams('independent-q', independentQParams, config, { at: (key) => `learner independent-q: ${key}` });
  const { S, H, actions: nA } = context;
  const K = Math.max(1, context.episodes);
  const iota = Math.log((S * nA * K * H) / cfg.delta);
  const bonusLead = cfg.c * Math.sqrt(H * H * H * iota);
  const Q = new Float64Array(H * S * nA);
  const N = new Int32Array(H * S * nA);
  const V = new Float64Array((H + 1) * S);
  for (let h = 0; h < H; h++) {
    Q.fill(H - h, h * S * nA, (h + 1) * S * nA);
    V.fill(H - h, h * S, (h + 1) * S);
  }

  return {
    act(obs: AgentObservation, rng: Rng): number {
      const base = (obs.h * S + obs.s) * nA;
      let best = -Infinity;
      let ties = 0;
      for (let a = 0; a < nA; a++) {
        const q = Q[base + a];
        if (q > best) {
          best = q;
          ties = 1;
        } else if (q === best) ties++;
      }
      let pick = Math.floor(rng() * ties);
      for (let a = 0; a < nA; a++) {
        if (Q[base + a] === best) {
          if (pick === 0) return a;
          pick--;
        }
      }
      return nA - 1;
    },
    observe(obs: AgentObservation, action: number, reward: number, next: AgentObservation): void {
      const { h, s } = obs;
      const k = (h * S + s) * nA + action;
      const t = ++N[k];
      const alpha = (H + 1) / (H + t);
      const vNext = next.h < H ? V[next.h * S + next.s] : 0;
      Q[k] = (1 - alpha) * Q[k] + alpha * (reward + vNext + bonusLead / Math.sqrt(t));
      let best = -Infinity;
      const base = (h * S + s) * nA;
      for (let a = 0; a < nA; a++) if (Q[base + a] > best) best = Q[base + a];
      V[h * S + s] = best < H - h ? best : H - h;
    },
    endEpisode(): void {},
    /** V[h*S + s], h = 0..H (row H zero), a live view: what `robust-q`'s worst-kernel wrapper reads. */
    values: (): Float64Array => V,
    policy(): Float64Array {
      const pi = new Float64Array(H * S * nA);
      for (let hs = 0; hs < H * S; hs++) {
        const base = hs * nA;
        let best = -Infinity;
        let ties = 0;
        for (let a = 0; a < nA; a++) {
          const q = Q[base + a];
          if (q > best) {
            best = q;
            ties = 1;
          } else if (q === best) ties++;
        }
        for (let a = 0; a < nA; a++) pi[base + a] = Q[base + a] === best ? 1 / ties : 0;
      }
      return pi;
    },
  };
}

/** `independent-q`: one independent optimistic Q-learner per agent, run as a team (product policy). */
export const independentQDefinition = defineLearner({
  name: 'independent-q',
  description: 'decentralised independent optimistic Q-learning (Jin et al. 2018, UCB-Hoeffding), one learner per agent',
  params: independentQParams,
  create(context, params) {
    const agents = context.A.map((_, i) => createIndependentQAgent(agentContext(context, i), params));
    return teamLearner(agents, context, 'independent-q');
  },
});
