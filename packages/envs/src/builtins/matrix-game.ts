/**
 * The shared builder of the classic two-player matrix games as one-state games: S = 1, the
 * payoff bimatrix repeated for `horizon` steps, rewards scaled into [0, 1] by one affine map
 * r = (u - umin) / (umax - umin) over every payoff of both players (this keeps best responses,
 * equilibria and constant-sum structure; each game's file lists its original and scaled payoffs).
 * With one state every kernel is the point mass on it, so no uncertainty set changes anything:
 * robust and nominal values coincide (the radius is 0).
 */
import { buildGame, type TabularGame } from '@drmg/core';
import { defineEnv, type EnvSpec } from '../env-spec.ts';
import type { ParamSchema } from '@drmg/core';
import { createTabularEnv } from '../tabular-env.ts';

/** A bimatrix game: payoff[a0][a1] = [u0, u1] in the game's own units. */
export interface MatrixGameDef {
  readonly id: string;
  readonly name: string;
  readonly summary: string;
  /** actionNames[i][a]: agent i's action names. */
  readonly actionNames: readonly [readonly string[], readonly string[]];
  readonly payoff: readonly (readonly (readonly [number, number])[])[];
}

const params = {
  horizon: { type: 'integer', default: 1, min: 1, max: 20, doc: 'number of repetitions H of the stage game' },
} as const satisfies ParamSchema;

/** The one-state game of `def` repeated `horizon` times, payoffs scaled into [0, 1] by (u - umin) / (umax - umin). */
export function matrixGame(def: MatrixGameDef, horizon: number): TabularGame {
  const all = def.payoff.flatMap((row) => row.flatMap((u) => [...u]));
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const scale = (u: number) => (hi === lo ? 0 : (u - lo) / (hi - lo));
  return buildGame({
    name: def.name,
    states: 1,
    horizon,
    actions: [def.actionNames[0].length, def.actionNames[1].length],
    initial: 0,
    reward: (_h, _s, a, i) => scale(def.payoff[a[0]][a[1]][i]),
    transition: () => [1],
    divergence: 'tv',
    radius: 0,
    labels: { states: ['stage'], actions: [[...def.actionNames[0]], [...def.actionNames[1]]] },
  });
}

/** A registrable spec (parameter `horizon`) for the matrix game `def`. */
export function matrixGameSpec(def: MatrixGameDef): EnvSpec<typeof params> {
  return defineEnv({
    id: def.id,
    summary: def.summary,
    params,
    create: (p, ctx) => createTabularEnv(matrixGame(def, p.horizon), { id: ctx.id, renderMode: ctx.renderMode }),
  });
}
