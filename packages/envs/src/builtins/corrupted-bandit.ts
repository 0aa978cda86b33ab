/**
 * corrupted-bandit-v0: the paper's Example 2, the "Robust Corrupted Bandit" (Appendix D.2).
 *
 * ## Description
 * A one-shot game whose joint actions are the arms of a bandit with Bernoulli rewards of mean
 * 1/2 + epsilon for the secret arm theta and 1/2 for every other arm, and a KL uncertainty set of
 * radius rho around each arm's reward distribution (no support shift). Any learner suffers regret
 * Omega(sqrt(K prod A_i)) (the paper's Theorem 4).
 *
 * drmg's rewards are deterministic, so the Bernoulli reward is modelled as a transition:
 * H = 2 and three states, 0 = start, 1 = pay, 2 = no-pay. At step 0 (in start) every reward is 0
 * and arm j moves to pay with probability mu_j (1/2 + epsilon if j = theta, else 1/2) and to
 * no-pay otherwise; at step 1 every agent receives 1 in pay and 0 in no-pay, whatever it plays,
 * and the state stays put. The return of an episode is therefore exactly one Bernoulli(mu_j)
 * draw, and the KL ball of radius rho around the step-0 row (pay, no-pay) is the paper's KL ball
 * around the reward distribution: the robust value of arm j is min { q : KL(Ber(q) || Ber(mu_j)) <= rho }.
 *
 * ## Actions
 * Agent i: Discrete(M); joint action j = ravel(a) (agent 0 most significant) is the arm.
 *
 * ## Observations
 * `{ state, step }`: state 0 start, 1 pay, 2 no-pay; step 0..2.
 *
 * ## Starting state
 * start.
 *
 * ## Rewards
 * 0 at step 0; at step 1, 1 in pay and 0 in no-pay, for every agent (a common-payoff game).
 *
 * ## Episode end
 * Truncation after H = 2 steps.
 *
 * ## Arguments
 * `agents` N, `actions` M, `epsilon` (the secret arm's advantage), `rho` (KL radius at step 0;
 * 0 at step 1, where the kernel does not matter), `secret` theta as a joint index (default J - 1).
 *
 * ## References
 * Online learning in distributionally robust Markov games (the seed paper), Example 2 and Theorem 4.
 *
 * ## Version history
 * v0: initial version.
 */
import { buildGame, type TabularGame } from '@drmg/core';
import { defineEnv } from '../env-spec.ts';
import type { ParamSchema, ParamValues } from '@drmg/core';
import { createTabularEnv } from '../tabular-env.ts';

const params = {
  agents: { type: 'integer', default: 2, min: 1, max: 4, doc: 'number of agents N' },
  actions: { type: 'integer', default: 2, min: 1, max: 5, doc: 'actions per agent M (J = M^N arms)' },
  epsilon: { type: 'number', default: 0.1, min: 0, max: 0.5, doc: 'the secret arm pays with probability 1/2 + epsilon, the others 1/2' },
  rho: { type: 'number', default: 0.1, min: 0, max: 10, doc: 'KL radius around each arm reward distribution (step 0)' },
  secret: {
    type: 'integer',
    default: (p) => (p.actions as number) ** (p.agents as number) - 1,
    min: 0,
    max: (p) => (p.actions as number) ** (p.agents as number) - 1,
    rangeDoc: 'J - 1',
    doc: 'the secret best arm theta as a joint index (default J - 1)',
  },
} as const satisfies ParamSchema;

/** The Example 2 game (states 0 = start, 1 = pay, 2 = no-pay; H = 2). */
export function corruptedBanditGame(p: ParamValues<typeof params>): TabularGame {
  const A = Array.from({ length: p.agents }, () => p.actions);
  const joint = (a: readonly number[]) => a.reduce((j, ai) => j * p.actions + ai, 0);
  return buildGame({
    name: 'corrupted-bandit',
    states: 3,
    horizon: 2,
    actions: A,
    initial: 0,
    reward: (h, s) => (h === 1 && s === 1 ? 1 : 0),
    transition: (h, s, a): Record<number, number> => {
      if (h === 1 || s !== 0) return { [s]: 1 };
      const mu = joint(a) === p.secret ? 0.5 + p.epsilon : 0.5;
      return mu >= 1 ? { 1: 1 } : { 1: mu, 2: 1 - mu };
    },
    divergence: 'kl',
    radius: (_i, h, s) => (h === 0 && s === 0 ? p.rho : 0),
    labels: { states: ['start', 'pay', 'no-pay'] },
  });
}

/** The registered spec of corrupted-bandit-v0 (see the file header). */
export const corruptedBanditV0 = defineEnv({
  id: 'corrupted-bandit-v0',
  summary: "the paper's Example 2: Bernoulli arms under KL uncertainty, rewards as transitions into pay / no-pay",
  params,
  create: (p, ctx) => createTabularEnv(corruptedBanditGame(p), { id: ctx.id, renderMode: ctx.renderMode }),
});
