/**
 * initial-shock-v0: the paper's Example 1, the "Initial Shock" game (Appendix D.1).
 *
 * ## Description
 * N agents with M actions each play H steps in two states, good and bad. Nominally the game never
 * leaves good, so an online learner never sees bad; but at step 0 in good an adversary may push
 * the system to bad with probability rho (a TV ball of radius rho, support shift), and bad is a
 * trap that only the secret joint action a* escapes. Any online algorithm therefore suffers
 * regret Omega(rho K min{H, M^N}) (the paper's Theorem 3): linear in the number of episodes K.
 *
 * ## Actions
 * Agent i: Discrete(M); the joint action is j = ravel(a_0, ..., a_{N-1}) (agent 0 most significant).
 *
 * ## Observations
 * `{ state, step }` for every agent: state 0 = good, 1 = bad; step 0..H.
 *
 * ## Starting state
 * good (initial distribution [1, 0]).
 *
 * ## Rewards
 * Every agent gets 1 in good (any joint action), and in bad 1 only under a*, else 0.
 *
 * ## Episode end
 * Truncation after H steps; no termination.
 *
 * ## Arguments
 * `agents` N, `actions` M, `horizon` H, `rho` (TV radius at step 0 in good, 0 elsewhere, every
 * agent), `secret` (a* as a joint index, default J - 1: every agent plays its last action).
 * Nominal kernel: good -> good; bad -> good under a*, bad otherwise.
 *
 * ## References
 * Online learning in distributionally robust Markov games (the seed paper), Example 1 and Theorem 3.
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
  actions: { type: 'integer', default: 2, min: 1, max: 4, doc: 'actions per agent M (J = M^N joint actions)' },
  horizon: { type: 'integer', default: 3, min: 1, max: 20, doc: 'horizon H' },
  rho: { type: 'number', default: 0.2, min: 0, max: 1, doc: 'TV radius at step 0 in the good state (0 elsewhere)' },
  secret: {
    type: 'integer',
    default: (p) => (p.actions as number) ** (p.agents as number) - 1,
    min: 0,
    max: (p) => (p.actions as number) ** (p.agents as number) - 1,
    rangeDoc: 'J - 1',
    doc: 'the secret escape joint action a* as a joint index (default J - 1: every agent plays its last action)',
  },
} as const satisfies ParamSchema;

/** The Example 1 game for the given parameters (states 0 = good, 1 = bad). */
export function initialShockGame(p: ParamValues<typeof params>): TabularGame {
  const A = Array.from({ length: p.agents }, () => p.actions);
  const joint = (a: readonly number[]) => a.reduce((j, ai) => j * p.actions + ai, 0);
  return buildGame({
    name: 'initial-shock',
    states: 2,
    horizon: p.horizon,
    actions: A,
    initial: 0,
    reward: (_h, s, a) => (s === 0 || joint(a) === p.secret ? 1 : 0),
    transition: (_h, s, a) => (s === 0 || joint(a) === p.secret ? [1, 0] : [0, 1]),
    divergence: 'tv',
    radius: (_i, h, s) => (h === 0 && s === 0 ? p.rho : 0),
    labels: { states: ['good', 'bad'] },
  });
}

/** The registered spec of initial-shock-v0 (see the file header). */
export const initialShockV0 = defineEnv({
  id: 'initial-shock-v0',
  summary: "the paper's Example 1: a TV shock at step 0 into a trap only the secret joint action escapes",
  params,
  create: (p, ctx) => createTabularEnv(initialShockGame(p), { id: ctx.id, renderMode: ctx.renderMode }),
});
