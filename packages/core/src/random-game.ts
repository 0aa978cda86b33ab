/**
 * Seeded random games for tests, property checks, benchmarks and example data.
 * Layouts are those of `tabular-game.ts`.
 */
import { createTabularGame } from './create-tabular-game.ts';
import { createRng } from './rng.ts';
import { checkActionCounts, checkDenseSize, checkObject, checkPositiveInteger } from './input-checks.ts';
import type { Rng } from './rng.ts';
import type { Divergence, TabularGame } from './tabular-game.ts';

/** Options of randomGame. */
export interface RandomGameOptions {
  /** Number of states. */
  S: number;
  /** Horizon. */
  H: number;
  /** Actions per agent. */
  A: readonly number[];
  /** Divergence (default 'tv'). */
  divergence?: Divergence;
  /** Largest number of next states per kernel row (default S: dense rows); each row draws 1..support. */
  support?: number;
  /** How radii are drawn in [0, maxRadius): one per agent ('agent', the default) or one per (i, h, s) ('state'). */
  radius?: 'agent' | 'state';
  /** Upper end of the radius range (default 0.3). */
  maxRadius?: number;
  /** Name (default `random`). */
  name?: string;
}

/**
 * A random TabularGame drawn from `rng` (or a seed): rewards uniform in [0, 1] with some exact 0s and 1s,
 * each kernel row a random distribution on a random support of 1..`support` next states, radii uniform
 * in [0, maxRadius). The same seed gives the same game.
 * @throws DrmgError('input', ...) when the sizes are invalid.
 */
export function randomGame(rng: Rng | number | string, options: RandomGameOptions): TabularGame {
  const r = typeof rng === 'function' ? rng : createRng(rng);
  checkObject(options, 'options', 'options {S, H, A, ...}');
  const S = checkPositiveInteger(options.S, 'options.S');
  const H = checkPositiveInteger(options.H, 'options.H');
  const Jf = checkActionCounts(options.A, 'options.A');
  const A = options.A;
  checkDenseSize(H * S * Jf * A.length, 'H*S*J*m', 'options');
  checkDenseSize(H * S * Jf * S, 'H*S*J*S', 'options');
  const m = A.length;
  let J = 1;
  for (const a of A) J *= a;
  const rows = H * S * J;
  const reward = new Float64Array(rows * m);
  for (let k = 0; k < reward.length; k++) {
    const u = r();
    reward[k] = u < 0.1 ? 0 : u > 0.9 ? 1 : r();
  }
  const support = Math.max(1, Math.min(options.support ?? S, S));
  const kernel = new Float64Array(rows * S);
  const perm = new Int32Array(S);
  for (let row = 0; row < rows; row++) {
    const k = 1 + Math.floor(r() * support);
    for (let s = 0; s < S; s++) perm[s] = s;
    let total = 0;
    for (let t = 0; t < k; t++) {
      // Partial Fisher-Yates: the first k entries of perm are a uniform random k-subset.
      const u = t + Math.floor(r() * (S - t));
      const tmp = perm[t];
      perm[t] = perm[u];
      perm[u] = tmp;
      const w = 0.05 + r();
      kernel[row * S + perm[t]] = w;
      total += w;
    }
    for (let t = 0; t < k; t++) kernel[row * S + perm[t]] /= total;
  }
  const maxRadius = options.maxRadius ?? 0.3;
  const radius = new Float64Array(options.radius === 'state' ? m * H * S : m);
  for (let k = 0; k < radius.length; k++) radius[k] = r() * maxRadius;
  const initial = new Float64Array(S);
  let total = 0;
  for (let s = 0; s < S; s++) total += initial[s] = r();
  for (let s = 0; s < S; s++) initial[s] /= total;
  return createTabularGame({
    name: options.name ?? 'random',
    S,
    H,
    A,
    initial,
    reward,
    kernel,
    divergence: options.divergence ?? 'tv',
    radius,
  });
}
