/**
 * microgrid-v0: m households with batteries share one feeder; drawing power pays, overloading it risks a blackout.
 *
 * ## Description
 * A many-agent game (4 to 8 agents) whose joint action space is far too large for learners that plan over joint
 * actions (at the defaults J = 5^6 = 15,625), while its state space stays small: the state is the feeder's stress
 * level, shared by everyone. Each step every household chooses how much power to draw. The total load
 * u = sum_i a_i / (m (A - 1)) in [0, 1] drives the feeder: above the safe `capacity` c it climbs one stress level
 * with probability min(1, fault + (u - c) / (1 - c)), below it recovers one level with probability
 * recovery * (c - u) / c (from a stressed level), and a random `fault` pushes it up even when the load is safe.
 * Climbing from the top stress level is a blackout, which is absorbing: a failure state of every household.
 * A tragedy of the commons: each household gains from drawing more, all of them lose the feeder.
 *
 * The nominal kernel is a simulator calibrated on a mild season. A real feeder under stress may trip more readily
 * (heat, ageing transformers), by up to `rho`: with TV, every agent's radius is rho in the stressed levels (0 at the
 * normal level and in the blackout, since a TV adversary could otherwise push a healthy feeder into a blackout); with
 * KL it is rho everywhere (a KL adversary can only reweight what the simulator allows). Robust households therefore
 * keep the feeder out of its stressed levels: they draw less at the normal level than nominal ones.
 *
 * ## Actions
 * Discrete(A) per household: a = 0 (draw nothing) .. A - 1 (draw the most); the joint action is
 * j = ravel(a_0, ..., a_{m-1}) (agent 0 most significant).
 *
 * ## Observations
 * `{ state, step }` for every agent: state 0 = normal, 1 .. L - 1 = stress levels, L = blackout (S = L + 1).
 *
 * ## Starting state
 * Normal (state 0).
 *
 * ## Rewards
 * Household i gets a_i / (A - 1) at every step the feeder is up, 0 in the blackout.
 *
 * ## Episode end
 * Truncation after H steps. The blackout is absorbing with zero reward for every household (Assumption 1) but does
 * not end the episode.
 *
 * ## Arguments
 * `agents` m (4-8), `actions` A (2-5), `horizon` H, `levels` L (non-failure states), `capacity` c, `fault`,
 * `recovery`, `rho`, `divergence` (tv | kl). The reward table has H*(L+1)*J*m entries; at most 2^25 are allowed
 * (e.g. m = 8 with A = 4, or m = 7 with A = 5; m = 8 with A = 5 is refused).
 *
 * ## What evaluating a policy costs
 * Exact robust evaluation of a product policy (value, best response of every agent) reads every kernel row once per
 * agent and step: O(H * S * J * m * support) time and O(H*S*J*(m + support)) memory for the game itself (docs/learners/
 * comparison.md has the measured figures at the defaults).
 *
 * ## References
 * Failure states: the seed paper's Assumption 1. Common-pool congestion in the spirit of the multi-agent
 * "commons" games of the MARL literature.
 *
 * ## Version history
 * v0: initial version.
 */
import { buildGame, inputError, type TabularGame } from '@drmg/core';
import type { ParamSchema, ParamValues } from '@drmg/core';
import { defineEnv } from '../env-spec.ts';
import { createTabularEnv } from '../tabular-env.ts';

/** The most reward entries H*S*J*m a microgrid may have: 2^25. */
export const MAX_MICROGRID_ENTRIES = 2 ** 25;

const params = {
  agents: { type: 'integer', default: 6, min: 4, max: 8, doc: 'number of households m' },
  actions: { type: 'integer', default: 5, min: 2, max: 5, doc: 'draw levels per household A (J = A^m joint actions)' },
  horizon: { type: 'integer', default: 6, min: 2, max: 12, doc: 'horizon H' },
  levels: { type: 'integer', default: 3, min: 2, max: 6, doc: 'feeder states before the blackout L (normal + L - 1 stress levels; S = L + 1)' },
  capacity: { type: 'number', default: 0.5, min: 0.05, max: 0.95, doc: 'safe load c as a fraction of the largest total draw' },
  fault: { type: 'number', default: 0.05, min: 0, max: 1, doc: "the simulator's probability of a stress step at a safe load" },
  recovery: { type: 'number', default: 0.5, min: 0, max: 1, doc: 'probability scale of recovering one level at zero load' },
  rho: { type: 'number', default: 0.2, min: 0, max: 1, doc: 'how much more readily a real feeder trips (radius of every agent)' },
  divergence: { type: 'enum', values: ['tv', 'kl'], default: 'tv', doc: 'tv: radius in the stressed levels only; kl: radius everywhere' },
} as const satisfies ParamSchema;

/** The nominal next-level distribution of a feeder at level l (< L) under total load u (see the file header). */
function feederRow(l: number, u: number, p: ParamValues<typeof params>): Record<number, number> {
  const c = p.capacity;
  const up = Math.min(1, p.fault + Math.max(0, u - c) / (1 - c));
  const down = l > 0 ? Math.min(1 - up, (p.recovery * Math.max(0, c - u)) / c) : 0;
  const row: Record<number, number> = {};
  const add = (s: number, q: number) => {
    if (q > 0) row[s] = (row[s] ?? 0) + q;
  };
  add(l + 1, up); // l + 1 = L is the blackout
  if (l > 0) add(l - 1, down);
  add(l, 1 - up - down);
  return row;
}

/** The microgrid game for the given parameters (see the file header). */
export function microgridGame(p: ParamValues<typeof params>): TabularGame {
  const { agents: m, actions: nA, levels: L } = p;
  const S = L + 1;
  const blackout = L;
  const maxTotal = m * (nA - 1);
  const rows = new Map<number, Record<number, number>>(); // key s * (maxTotal + 1) + total load
  const transition = (s: number, a: readonly number[]): Record<number, number> => {
    if (s === blackout) return { [blackout]: 1 };
    let total = 0;
    for (const x of a) total += x;
    const key = s * (maxTotal + 1) + total;
    let row = rows.get(key);
    if (row === undefined) rows.set(key, (row = feederRow(s, total / maxTotal, p)));
    return row;
  };
  const levelName = (l: number) => (l === 0 ? 'normal' : l === blackout ? 'blackout' : `stress${l}`);
  return buildGame({
    name: 'microgrid',
    states: S,
    horizon: p.horizon,
    actions: Array.from({ length: m }, () => nA),
    initial: 0,
    reward: (_h, s, a, i) => (s === blackout ? 0 : a[i] / (nA - 1)),
    transition: (_h, s, a) => transition(s, a),
    divergence: p.divergence,
    radius: (_i, _h, s) => (p.divergence === 'kl' || (s > 0 && s < blackout) ? p.rho : 0),
    failureStates: Array.from({ length: m }, () => [blackout]),
    labels: {
      states: Array.from({ length: S }, (_, s) => levelName(s)),
      actions: Array.from({ length: m }, () => Array.from({ length: nA }, (_, a) => `draw${a}`)),
    },
  });
}

/** The registered spec of microgrid-v0 (see the file header). */
export const microgridV0 = defineEnv({
  id: 'microgrid-v0',
  summary: 'm = 4-8 households share a feeder: drawing power pays, overloading it risks an absorbing blackout (J = A^m)',
  params,
  check: (p) => {
    const entries = p.horizon * (p.levels + 1) * p.actions ** p.agents * p.agents;
    if (entries > MAX_MICROGRID_ENTRIES) {
      inputError(
        'microgrid-v0.agents',
        `H*S*J*m = ${p.horizon}*${p.levels + 1}*${p.actions}^${p.agents}*${p.agents} = ${entries} reward entries, expected at most 2^25 = ${MAX_MICROGRID_ENTRIES}: use fewer agents, actions, levels or steps`,
      );
    }
  },
  create: (p, ctx) => createTabularEnv(microgridGame(p), { id: ctx.id, renderMode: ctx.renderMode }),
});
