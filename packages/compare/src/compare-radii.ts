/**
 * `radiiAround`: the deployment radii of a compare run when none are given: from 0 to twice the environment's own
 * radius rho (its largest), in steps of rho / 4, so that the plots show the policies inside the uncertainty set
 * they were trained for and as far again beyond it. Capped at 1 (a radius in [0, 1]); an environment without
 * uncertainty (rho = 0) gets the fixed grid 0, 0.05, ..., 0.3.
 */
import type { TabularGame } from '@drmg/core';

/** The grid used when the environment's radius is 0. */
export const FALLBACK_RADII: readonly number[] = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3];

/** Rounds to 4 significant digits (radii print as 0.05, not 0.05000000000000001). */
function round4(x: number): number {
  return Number(x.toPrecision(4));
}

/**
 * The radii around `game`'s own radius (see the file header).
 * @example radiiAround(make('bridge-crossing-v0').model) // [0, 0.05, 0.1, ..., 0.4] (rho = 0.2)
 */
export function radiiAround(game: Pick<TabularGame, 'radius'>): number[] {
  let rho = 0;
  for (const r of game.radius) if (r > rho) rho = r;
  if (!(rho > 0) || !Number.isFinite(rho)) return [...FALLBACK_RADII];
  const out: number[] = [];
  for (let q = 0; q <= 8; q++) {
    const r = round4(Math.min(1, (q * rho) / 4));
    if (out.length === 0 || r > out[out.length - 1]) out.push(r);
  }
  return out;
}
