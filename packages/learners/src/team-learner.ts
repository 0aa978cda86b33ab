/**
 * `teamLearner`: runs a team of decentralised agents (one `Agent` per agent index) as a centralised `Learner`.
 * Each agent acts on its own observation (h, s) and learns from its own reward; the team's policy is the product
 * of the agents' Markov policies, pi_h(j | s) = prod_i pi_{i,h}(a_i(j) | s), handed out as a ProductPolicy.
 */
import { inputError } from '@drmg/core';
import type { Policy, ProductPolicy, Rng } from '@drmg/core';
import type { Agent } from './agent.ts';
import type { EpisodeReport, Learner, LearnerContext } from './learner.ts';

/**
 * The Learner of a team: act draws agent 0's action first, then agent 1's, ... (each from its own policy) and
 * encodes the joint action; observe hands each agent (its action, its reward, the next observation); the episode
 * policy and the output policy are the product of the agents' current policies (copied).
 * @throws DrmgError ('input') when the number of agents differs from context.m, or an agent returns an action or a
 *   policy of the wrong size.
 * @example const learner = teamLearner(context.A.map((_, i) => createIndependentQAgent(agentContext(context, i))), context);
 */
export function teamLearner(agents: readonly Agent[], context: LearnerContext, name = 'team'): Learner {
  const { m, A, H, S, layout } = context;
  if (agents.length !== m) inputError('agents', `expected ${m} agents (one per agent index), got ${agents.length}`);
  const actions = new Int32Array(m);

  function productPolicy(): ProductPolicy {
    const marginals = agents.map((agent, i) => {
      const p = agent.policy();
      if (p.length !== H * S * A[i]) inputError(`agents[${i}].policy()`, `expected H*S*A[${i}] = ${H * S * A[i]} entries, got ${p.length}`);
      return Float64Array.from(p);
    });
    return { kind: 'product', H, S, A: [...A], marginals };
  }

  return {
    name,
    beginEpisode(): Policy {
      return productPolicy();
    },
    act(h: number, s: number, rng: Rng): number {
      const perAgent = (rng as Rng & { agent?: (i: number) => Rng }).agent;
      const obs = { h, s };
      let j = 0;
      for (let i = 0; i < m; i++) {
        // Agent i's own stream when the training loop provides one (EpisodeRng.agent), else the shared one.
        const a = agents[i].act(obs, perAgent === undefined ? rng : perAgent.call(rng, i));
        if (!(Number.isInteger(a) && a >= 0 && a < A[i])) inputError(`agents[${i}].act(h=${h}, s=${s})`, `returned ${a}, expected an action in [0, ${A[i] - 1}]`);
        actions[i] = a;
        j = j * A[i] + a;
      }
      return j;
    },
    observe(h: number, s: number, j: number, rewards: ArrayLike<number>, sp: number): void {
      const obs = { h, s };
      const next = { h: h + 1, s: sp };
      for (let i = 0; i < m; i++) agents[i].observe(obs, layout.actionOf[j * m + i], rewards[i], next);
    },
    endEpisode(k: number): EpisodeReport {
      for (let i = 0; i < m; i++) agents[i].endEpisode(k);
      return {};
    },
    outputPolicy(): Policy {
      return productPolicy();
    },
  };
}
