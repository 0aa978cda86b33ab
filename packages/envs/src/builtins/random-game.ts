/**
 * random-v0: a random tabular DRMG with Dirichlet kernels.
 *
 * ## Description
 * A seeded random game for experiments and tests: every kernel row P*_h(.|s, j) is a
 * Dirichlet(concentration) draw, on all S next states or on a random support of `support` states;
 * rewards are uniform in [0, 1]; the initial distribution is a Dirichlet(1) draw. With
 * `failure = true` an absorbing zero-reward failure state is appended (see `withFailureStates`),
 * reached nominally with probability `leak` from every (h, s, j), so Assumption 1 holds.
 *
 * ## Actions
 * Discrete(actions) per agent; joint index agent 0 most significant.
 *
 * ## Observations
 * `{ state, step }` with state in [0, S) (S = states, plus 1 with the failure state).
 *
 * ## Starting state
 * Drawn from the random initial distribution (never the failure state).
 *
 * ## Rewards
 * R_i(h, s, j) uniform in [0, 1], independent; 0 in the failure state.
 *
 * ## Episode end
 * Truncation after H steps.
 *
 * ## Arguments
 * `agents`, `actions`, `states`, `horizon`, `divergence` (tv | kl), `rho` (every agent, every
 * (h, s)), `concentration` (Dirichlet parameter: small = peaked rows), `support` (next states per
 * row, 0 = all), `failure`, `leak`, `seed` (the model's seed; `reset({ seed })` seeds episodes).
 * The dense size H*S*J*S is limited to 2^22 entries.
 *
 * ## References
 * Dirichlet sampling: G. Marsaglia and W. W. Tsang, A simple method for generating gamma variables (2000).
 *
 * ## Version history
 * v0: initial version.
 */
import { createRng, createTabularGame, inputError, stateIndexArray, type TabularGame } from '@drmg/core';
import { sampleDirichlet } from '../dirichlet.ts';
import { defineEnv } from '../env-spec.ts';
import type { ParamSchema, ParamValues } from '@drmg/core';
import { createTabularEnv } from '../tabular-env.ts';
import { withFailureStates } from '../with-failure-states.ts';

const maxEntries = 2 ** 22;

const params = {
  agents: { type: 'integer', default: 2, min: 1, max: 4, doc: 'number of agents m' },
  actions: { type: 'integer', default: 2, min: 1, max: 5, doc: 'actions per agent' },
  states: { type: 'integer', default: 5, min: 1, max: 200, doc: 'number of states S (before the failure state)' },
  horizon: { type: 'integer', default: 3, min: 1, max: 50, doc: 'horizon H' },
  divergence: { type: 'enum', values: ['tv', 'kl'], default: 'tv', doc: 'divergence of the uncertainty sets' },
  rho: { type: 'number', default: 0.2, min: 0, max: 10, doc: 'radius of every agent at every (h, s)' },
  concentration: { type: 'number', default: 1, min: 0.01, max: 100, doc: 'Dirichlet concentration of each kernel row' },
  support: { type: 'integer', default: 0, min: 0, max: (p) => p.states as number, rangeDoc: 'states', doc: 'next states per kernel row (0 = all S)' },
  failure: { type: 'boolean', default: false, doc: 'append an absorbing zero-reward failure state' },
  leak: { type: 'number', default: 0.05, min: 0, max: 1, doc: 'nominal probability of entering the failure state (with failure = true)' },
  seed: { type: 'integer', default: 0, min: 0, max: 2 ** 31 - 1, doc: 'seed of the random model' },
} as const satisfies ParamSchema;

/** The random game for the given parameters (same seed, same game). */
export function randomDirichletGame(p: ParamValues<typeof params>): TabularGame {
  const rng = createRng(`random-v0:${p.seed}`);
  const S = p.states;
  const H = p.horizon;
  const A = Array.from({ length: p.agents }, () => p.actions);
  const J = p.actions ** p.agents;
  const rows = H * S * J;
  const width = p.support === 0 ? S : p.support;
  const reward = new Float64Array(rows * p.agents);
  for (let k = 0; k < reward.length; k++) reward[k] = rng();
  const rowStart = new Int32Array(rows + 1);
  const next = stateIndexArray(S, rows * width);
  const prob = new Float64Array(rows * width);
  const perm = new Int32Array(S);
  const w = new Float64Array(width);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = nnz;
    // A random support of `width` states (partial Fisher-Yates), then sorted for CSR.
    for (let s = 0; s < S; s++) perm[s] = s;
    for (let k = 0; k < width; k++) {
      const pick = k + Math.min(S - k - 1, Math.floor(rng() * (S - k)));
      const t = perm[k];
      perm[k] = perm[pick];
      perm[pick] = t;
    }
    const support = perm.slice(0, width).sort();
    sampleDirichlet(rng, p.concentration, w, 0, width);
    for (let k = 0; k < width; k++) {
      if (w[k] > 0) {
        next[nnz] = support[k];
        prob[nnz++] = w[k];
      }
    }
  }
  rowStart[rows] = nnz;
  const initial = new Float64Array(S);
  sampleDirichlet(rng, 1, initial, 0, S);
  const game = createTabularGame({
    name: 'random',
    S,
    H,
    A,
    initial,
    reward,
    kernel: { rowStart, next: next.subarray(0, nnz), prob: prob.subarray(0, nnz) },
    divergence: p.divergence,
    radius: p.rho,
  });
  return p.failure ? withFailureStates(game, { leak: p.leak }) : game;
}

/** The registered spec of random-v0 (see the file header). */
export const randomV0 = defineEnv({
  id: 'random-v0',
  summary: 'a seeded random DRMG: Dirichlet kernel rows, optional sparse support and failure state',
  params,
  check: (p) => {
    const S = p.states + (p.failure ? 1 : 0);
    const entries = p.horizon * S * p.actions ** p.agents * S;
    if (entries > maxEntries) {
      inputError('random-v0.states', `H*S*J*S = ${entries} exceeds ${maxEntries} entries; use fewer states, agents or actions, or a shorter horizon`);
    }
  },
  create: (p, ctx) => createTabularEnv(randomDirichletGame(p), { id: ctx.id, renderMode: ctx.renderMode }),
});
