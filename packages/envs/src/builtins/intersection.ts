/**
 * intersection-v0: two autonomous cars at an unsignalled intersection; a crash is absorbing.
 *
 * ## Description
 * Car 0 (from the west) and car 1 (from the north) wait at their stop lines. Each step a car at
 * its line may wait, go straight through (one step inside the intersection, then through), or
 * take a detour (turn right and around the block: three more cells, then through, never meeting
 * the other car). If both cars are inside the intersection at once they crash. The road is
 * slippery: a car that waits at its line slides into the intersection with probability `slip`
 * (its brakes fail). Each car is paid for every step after it is through.
 *
 * The nominal kernel is the simulator's (`slip`); reality may differ by up to `rho`: with TV,
 * agent i's radius is rho in the states where car i is inside the intersection (0 elsewhere);
 * with KL it is rho everywhere (support-preserving: only a sliding car can cause a crash).
 * With the defaults (H = 8, slip 0.05, TV rho 0.2) the nominal equilibria have one car go and
 * the other wait then go (value 5 * 0.95 = 4.75 > 4 for the detour); robustly, waiting then
 * going is worth about 4.75 * 0.8 = 3.8 < 4, so the second car takes the detour instead.
 *
 * ## Actions
 * Discrete(3) per car: 0 wait, 1 go, 2 detour. Inside the intersection a car always moves on
 * (it cannot stop there); on the detour 0 stays put and 1 or 2 move on.
 *
 * ## Observations
 * `{ state, step }`: the 35 pairs (p0, p1) of positions 0 line, 1 inside, 2 detour1, 3 detour2,
 * 4 detour3, 5 through, except both inside, in lexicographic order, then state 35 = crash.
 * `infos[agent].view` is `{ cars: [{ position }, { position }], crashed }` (immutable, immer).
 *
 * ## Starting state
 * Both cars at their stop lines (state 0).
 *
 * ## Rewards
 * Car i gets 1 at every step it starts through the intersection, else 0 (0 after a crash).
 *
 * ## Episode end
 * Truncation after H steps. The crash state is absorbing with zero reward for both cars (their
 * failure state, Assumption 1) but does not terminate the episode.
 *
 * ## Arguments
 * `horizon` H, `slip` (the simulator's brake-failure probability at the line), `rho` (how
 * different reality may be), `divergence` (tv | kl).
 *
 * ## References
 * Failure states: the seed paper's Assumption 1. The stop-line dilemma is the game of chicken
 * (see chicken-v0) played in time.
 *
 * ## Version history
 * v0: initial version.
 */
import { buildGame, type TabularGame } from '@drmg/core';
import { produce } from 'immer';
import { defineEnv } from '../env-spec.ts';
import type { ParamSchema, ParamValues } from '@drmg/core';
import { createTabularEnv, type RenderContext } from '../tabular-env.ts';

/** Where a car is. */
export type CarPosition = 'line' | 'inside' | 'detour1' | 'detour2' | 'detour3' | 'through';

/** The structured state of intersection-v0. */
export interface IntersectionState {
  readonly cars: readonly { readonly position: CarPosition }[];
  readonly crashed: boolean;
}

/** Car positions in state-index order. */
export const carPositions: readonly CarPosition[] = ['line', 'inside', 'detour1', 'detour2', 'detour3', 'through'];
const P = carPositions.length;
/** Index of the crash state. */
export const crashState = P * P - 1;

const params = {
  horizon: { type: 'integer', default: 8, min: 4, max: 12, doc: 'horizon H' },
  slip: { type: 'number', default: 0.05, min: 0, max: 1, doc: "the simulator's probability that a car waiting at its line slides in" },
  rho: { type: 'number', default: 0.2, min: 0, max: 1, doc: 'how different reality may be (radius of every agent)' },
  divergence: { type: 'enum', values: ['tv', 'kl'], default: 'tv', doc: 'tv: radius inside the intersection only; kl: radius everywhere' },
} as const satisfies ParamSchema;

const start: IntersectionState = { cars: [{ position: 'line' }, { position: 'line' }], crashed: false };

/** State index of a structured state (see Observations). */
export function intersectionStateIndex(state: IntersectionState): number {
  if (state.crashed) return crashState;
  const p0 = carPositions.indexOf(state.cars[0].position);
  const p1 = carPositions.indexOf(state.cars[1].position);
  const flat = p0 * P + p1;
  // (inside, inside) = 1*P + 1 is skipped: it is the crash.
  return flat > P + 1 ? flat - 1 : flat;
}

/** The structured view of every state, made with immer from the start state. */
export function intersectionStateViews(): IntersectionState[] {
  const views: IntersectionState[] = [];
  for (let flat = 0; flat < P * P; flat++) {
    if (flat === P + 1) continue;
    views.push(
      produce(start, (d) => {
        d.cars[0].position = carPositions[Math.floor(flat / P)];
        d.cars[1].position = carPositions[flat % P];
      }),
    );
  }
  views.push(
    produce(start, (d) => {
      d.cars[0].position = 'inside';
      d.cars[1].position = 'inside';
      d.crashed = true;
    }),
  );
  return views;
}

function carOutcomes(pos: CarPosition, action: number, slip: number): [CarPosition, number][] {
  switch (pos) {
    case 'line':
      if (action === 1) return [['inside', 1]];
      if (action === 2) return [['detour1', 1]];
      return slip >= 1 ? [['inside', 1]] : slip <= 0 ? [['line', 1]] : [['line', 1 - slip], ['inside', slip]];
    case 'inside':
      return [['through', 1]];
    case 'detour1':
      return [[action === 0 ? 'detour1' : 'detour2', 1]];
    case 'detour2':
      return [[action === 0 ? 'detour2' : 'detour3', 1]];
    case 'detour3':
      return [[action === 0 ? 'detour3' : 'through', 1]];
    default:
      return [['through', 1]];
  }
}

/** The intersection game for the given parameters (see the file header). */
export function intersectionGame(p: ParamValues<typeof params>): TabularGame {
  const views = intersectionStateViews();
  const S = views.length;
  const cache = new Map<number, Record<number, number>>();
  const transition = (s: number, a: readonly number[]): Record<number, number> => {
    const key = s * 9 + a[0] * 3 + a[1];
    const hit = cache.get(key);
    if (hit) return hit;
    const view = views[s];
    const row: Record<number, number> = {};
    if (view.crashed) row[s] = 1;
    else {
      for (const [o0, q0] of carOutcomes(view.cars[0].position, a[0], p.slip)) {
        for (const [o1, q1] of carOutcomes(view.cars[1].position, a[1], p.slip)) {
          const nextState = produce(view, (d) => {
            d.cars[0].position = o0;
            d.cars[1].position = o1;
            d.crashed = o0 === 'inside' && o1 === 'inside';
          });
          const sp = intersectionStateIndex(nextState);
          row[sp] = (row[sp] ?? 0) + q0 * q1;
        }
      }
    }
    cache.set(key, row);
    return row;
  };
  const inside = (i: number, s: number) => !views[s].crashed && views[s].cars[i].position === 'inside';
  return buildGame({
    name: 'intersection',
    states: S,
    horizon: p.horizon,
    actions: [3, 3],
    initial: 0,
    reward: (_h, s, _a, i) => (!views[s].crashed && views[s].cars[i].position === 'through' ? 1 : 0),
    transition: (_h, s, a) => transition(s, a),
    divergence: p.divergence,
    radius: (i, _h, s) => (p.divergence === 'kl' || inside(i, s) ? p.rho : 0),
    failureStates: [[crashState], [crashState]],
    labels: {
      states: views.map((v) => (v.crashed ? 'crash' : `${v.cars[0].position}/${v.cars[1].position}`)),
      actions: [
        ['wait', 'go', 'detour'],
        ['wait', 'go', 'detour'],
      ],
    },
  });
}

/** A picture of the crossing: car 1 at the north line, car 0 at the west line, the box, the exits and the detours. */
export function renderIntersection(ctx: RenderContext): string {
  const view = ctx.view as IntersectionState;
  const paint = (code: number, t: string) => (ctx.ansi ? `\x1b[${code}m${t}\x1b[0m` : t);
  const car = (i: number) => paint(view.crashed ? 31 : i === 0 ? 33 : 36, String(i));
  const at = (i: number, pos: CarPosition) => view.cars[i].position === pos;
  const cell = (cars: number[]) => `[${cars.length === 0 ? ' .' : cars.length === 1 ? ` ${car(cars[0])}` : `${car(0)}${car(1)}`}]`;
  const box = view.crashed ? `[${paint(31, 'XX')}]` : cell([0, 1].filter((i) => at(i, 'inside')));
  const detour = (i: number) => (['detour1', 'detour2', 'detour3'] as const).map((d) => cell(at(i, d) ? [i] : [])).join('');
  return (
    `intersection step ${ctx.h}/${ctx.model.H}${view.crashed ? '  CRASH' : ''}` +
    (ctx.lastActions ? `  last actions (${ctx.lastActions.map((a) => ['wait', 'go', 'detour'][a]).join(', ')})` : '') +
    '\n' +
    `         ${cell(at(1, 'line') ? [1] : [])}\n` +
    `    ${cell(at(0, 'line') ? [0] : [])} ${box} ${cell(at(0, 'through') ? [0] : [])}\n` +
    `         ${cell(at(1, 'through') ? [1] : [])}\n` +
    `  detour 0 ${detour(0)}  detour 1 ${detour(1)}\n`
  );
}

/** The registered spec of intersection-v0 (see the file header). */
export const intersectionV0 = defineEnv({
  id: 'intersection-v0',
  summary: 'two cars at an unsignalled crossing: go, wait (brakes may slip) or detour; a crash is absorbing',
  params,
  create: (p, ctx) =>
    createTabularEnv(intersectionGame(p), { id: ctx.id, renderMode: ctx.renderMode, stateViews: intersectionStateViews(), renderState: renderIntersection }),
});
