/**
 * bridge-crossing-v0: two robots cross a river, over a slippery bridge or around by a path.
 *
 * ## Description
 * Two robots start on the near bank and are paid for every step they spend on the far bank.
 * The bridge is fast (bank -> bridge -> goal: on the far bank after 2 steps) but slippery: a
 * robot on the bridge falls into the water with probability `slip` during its step, and with
 * `slip + crowding` when both robots are on the bridge together. The path around is slow
 * (bank -> path1 -> path2 -> goal: 3 steps) and safe. Falling in is absorbing.
 *
 * The nominal kernel is what a simulator calibrated with `slip` would give; reality may be more
 * slippery, by up to `rho`: with TV, agent i's radius is rho in the states where robot i stands
 * on the bridge (0 elsewhere, since a TV adversary could otherwise push a robot on dry land into
 * the water); with KL it is rho everywhere (a KL adversary can only reweight outcomes the
 * simulator allows). With the defaults (H = 6, slip 0.1, crowding 0.25, TV rho 0.2) a lone
 * robot's nominal value is 4 * 0.9 = 3.6 over the bridge against 3 around, so the nominal
 * equilibria send one robot over the bridge; its robust value is 4 * 0.7 = 2.8 < 3, so the
 * robust equilibrium sends both around: robustness visibly changes the answer.
 *
 * ## Actions
 * Discrete(3) per robot: 0 wait, 1 bridge, 2 path. On the bank, 1 steps onto the bridge and 2
 * onto the path; once under way, 1 and 2 both mean "move on" and 0 stays put (on the bridge,
 * staying still risks the slip too).
 *
 * ## Observations
 * `{ state, step }`, state = 6 * p0 + p1 with robot positions p in 0 bank, 1 bridge, 2 path1,
 * 3 path2, 4 goal, 5 water (S = 36). `infos[agent].view` is the structured state
 * `{ robots: [{ position }, { position }] }` (immutable, produced with immer).
 *
 * ## Starting state
 * Both robots on the bank (state 0).
 *
 * ## Rewards
 * Robot i gets 1 at every step it starts on the far bank (goal), else 0.
 *
 * ## Episode end
 * Truncation after H steps. The water is absorbing with zero reward for the robot in it (robot
 * i's failure states, Assumption 1) but does not end the episode (the other robot plays on).
 *
 * ## Arguments
 * `horizon` H, `slip` (simulator's fall probability on the bridge), `crowding` (extra fall
 * probability with both on the bridge), `rho` (how much more slippery reality may be),
 * `divergence` (tv | kl).
 *
 * ## References
 * Failure states: the seed paper's Assumption 1; grid-world cliff in the spirit of Gymnasium's CliffWalking.
 *
 * ## Version history
 * v0: initial version.
 */
import { buildGame, type TabularGame } from '@drmg/core';
import { produce } from 'immer';
import { defineEnv } from '../env-spec.ts';
import type { ParamSchema, ParamValues } from '@drmg/core';
import { createTabularEnv, type RenderContext } from '../tabular-env.ts';

/** Where a robot is. */
export type BridgePosition = 'bank' | 'bridge' | 'path1' | 'path2' | 'goal' | 'water';

/** The structured state of bridge-crossing-v0. */
export interface BridgeState {
  readonly robots: readonly { readonly position: BridgePosition }[];
}

/** Positions in state-index order. */
export const bridgePositions: readonly BridgePosition[] = ['bank', 'bridge', 'path1', 'path2', 'goal', 'water'];
const P = bridgePositions.length;

const params = {
  horizon: { type: 'integer', default: 6, min: 3, max: 12, doc: 'horizon H' },
  slip: { type: 'number', default: 0.1, min: 0, max: 1, doc: "the simulator's probability of falling off the bridge in one step" },
  crowding: { type: 'number', default: 0.25, min: 0, max: 1, doc: 'extra fall probability when both robots are on the bridge' },
  rho: { type: 'number', default: 0.2, min: 0, max: 1, doc: 'how much more slippery reality may be (radius of every agent)' },
  divergence: { type: 'enum', values: ['tv', 'kl'], default: 'tv', doc: 'tv: radius on the bridge only; kl: radius everywhere' },
} as const satisfies ParamSchema;

const start: BridgeState = { robots: [{ position: 'bank' }, { position: 'bank' }] };

/** State index of a structured state: 6 * p0 + p1. */
export function bridgeStateIndex(state: BridgeState): number {
  return bridgePositions.indexOf(state.robots[0].position) * P + bridgePositions.indexOf(state.robots[1].position);
}

/** The structured view of every state, made with immer from the start state. */
export function bridgeStateViews(): BridgeState[] {
  return Array.from({ length: P * P }, (_, s) =>
    produce(start, (d) => {
      d.robots[0].position = bridgePositions[Math.floor(s / P)];
      d.robots[1].position = bridgePositions[s % P];
    }),
  );
}

function robotOutcomes(pos: BridgePosition, action: number, fall: number): [BridgePosition, number][] {
  switch (pos) {
    case 'bank':
      return [[action === 0 ? 'bank' : action === 1 ? 'bridge' : 'path1', 1]];
    case 'bridge': {
      const stay: BridgePosition = action === 0 ? 'bridge' : 'goal';
      return fall >= 1 ? [['water', 1]] : fall <= 0 ? [[stay, 1]] : [[stay, 1 - fall], ['water', fall]];
    }
    case 'path1':
      return [[action === 0 ? 'path1' : 'path2', 1]];
    case 'path2':
      return [[action === 0 ? 'path2' : 'goal', 1]];
    default:
      return [[pos, 1]];
  }
}

/** The bridge-crossing game for the given parameters (see the file header). */
export function bridgeCrossingGame(p: ParamValues<typeof params>): TabularGame {
  const views = bridgeStateViews();
  const cache = new Map<number, Record<number, number>>();
  const transition = (s: number, a: readonly number[]): Record<number, number> => {
    const key = s * 9 + a[0] * 3 + a[1];
    const hit = cache.get(key);
    if (hit) return hit;
    const view = views[s];
    const both = view.robots[0].position === 'bridge' && view.robots[1].position === 'bridge';
    const fall = Math.min(1, p.slip + (both ? p.crowding : 0));
    const row: Record<number, number> = {};
    for (const [o0, q0] of robotOutcomes(view.robots[0].position, a[0], fall)) {
      for (const [o1, q1] of robotOutcomes(view.robots[1].position, a[1], fall)) {
        const nextState = produce(view, (d) => {
          d.robots[0].position = o0;
          d.robots[1].position = o1;
        });
        const sp = bridgeStateIndex(nextState);
        row[sp] = (row[sp] ?? 0) + q0 * q1;
      }
    }
    cache.set(key, row);
    return row;
  };
  const onBridge = (i: number, s: number) => views[s].robots[i].position === 'bridge';
  return buildGame({
    name: 'bridge-crossing',
    states: P * P,
    horizon: p.horizon,
    actions: [3, 3],
    initial: 0,
    reward: (_h, s, _a, i) => (views[s].robots[i].position === 'goal' ? 1 : 0),
    transition: (_h, s, a) => transition(s, a),
    divergence: p.divergence,
    radius: (i, _h, s) => (p.divergence === 'kl' || onBridge(i, s) ? p.rho : 0),
    failureStates: [0, 1].map((i) => views.map((_, s) => s).filter((s) => views[s].robots[i].position === 'water')),
    labels: {
      states: views.map((v) => `${v.robots[0].position}/${v.robots[1].position}`),
      actions: [
        ['wait', 'bridge', 'path'],
        ['wait', 'bridge', 'path'],
      ],
    },
  });
}

/** A picture of the river: the path above, the bridge over the water, the robots as 0 and 1. */
export function renderBridge(ctx: RenderContext): string {
  const view = ctx.view as BridgeState;
  const paint = (code: number, t: string) => (ctx.ansi ? `\x1b[${code}m${t}\x1b[0m` : t);
  const robot = (i: number) => paint(view.robots[i].position === 'water' ? 31 : i === 0 ? 33 : 36, String(i));
  const cell = (pos: BridgePosition) => {
    const here = [0, 1].filter((i) => view.robots[i].position === pos);
    return `[${here.length === 0 ? ' .' : here.length === 1 ? ` ${robot(here[0])}` : `${robot(0)}${robot(1)}`}]`;
  };
  const water = paint(34, '~~~');
  return (
    `bridge-crossing step ${ctx.h}/${ctx.model.H}` +
    (ctx.lastActions ? `  last actions (${ctx.lastActions.map((a) => ['wait', 'bridge', 'path'][a]).join(', ')})` : '') +
    '\n' +
    `           path ${cell('path1')}${cell('path2')}\n` +
    `  bank ${cell('bank')}${water}${cell('bridge')}${water}${cell('goal')} goal\n` +
    `  water ${water}${cell('water')}${water}\n`
  );
}

/** The registered spec of bridge-crossing-v0 (see the file header). */
export const bridgeCrossingV0 = defineEnv({
  id: 'bridge-crossing-v0',
  summary: 'two robots: a fast slippery bridge or a slow safe path; falling in is absorbing',
  params,
  create: (p, ctx) =>
    createTabularEnv(bridgeCrossingGame(p), { id: ctx.id, renderMode: ctx.renderMode, stateViews: bridgeStateViews(), renderState: renderBridge }),
});
