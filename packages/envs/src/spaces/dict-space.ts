/** DictSpace: objects whose fields lie in given sub-spaces (Gymnasium's `Dict`). */
import { inputError, type Rng } from '@drmg/core';
import type { Space } from './space.ts';
import { SpaceRng } from './space-rng.ts';

type ValueOfSpace<S> = S extends Space<infer T> ? T : never;

/** Objects `{ k: v }` with exactly the keys of `spaces` and v in `spaces[k]` (tabular observations use `{ state, step }`). */
export class DictSpace<const M extends Record<string, Space<unknown>>> implements Space<{ readonly [K in keyof M]: ValueOfSpace<M[K]> }> {
  readonly kind = 'dict' as const;
  /** The sub-space of every key. */
  readonly spaces: M;
  private readonly own = new SpaceRng();

  /**
   * @throws DrmgError when no sub-space is given.
   */
  constructor(spaces: M) {
    if (Object.keys(spaces).length === 0) inputError('DictSpace(spaces)', 'expected at least one sub-space');
    this.spaces = spaces;
  }

  /** True iff x is a plain object with exactly these keys, each value in its sub-space. */
  contains(x: unknown): x is { readonly [K in keyof M]: ValueOfSpace<M[K]> } {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(this.spaces).length) return false;
    for (const k of keys) {
      const sub = this.spaces[k];
      if (sub === undefined || !sub.contains((x as Record<string, unknown>)[k])) return false;
    }
    return true;
  }

  /**
   * Each field sampled from its sub-space, in key order, all with `rng`, or all with this space's own
   * generator without one (see `seed`; the sub-spaces' own generators are not used).
   * @throws DrmgError when `rng` is given but is not a generator function.
   */
  sample(rng?: Rng): { readonly [K in keyof M]: ValueOfSpace<M[K]> } {
    const draw = this.own.pick(rng, 'Dict');
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(this.spaces)) out[k] = this.spaces[k].sample(draw);
    return out as { readonly [K in keyof M]: ValueOfSpace<M[K]> };
  }

  /**
   * Seeds the generator `sample()` uses without an argument (default seed DEFAULT_SPACE_SEED = 0).
   * @throws DrmgError when `seed` is neither a finite number nor a string.
   */
  seed(seed: number | string): void {
    this.own.seed(seed, 'Dict');
  }

  toString(): string {
    return `Dict(${Object.entries(this.spaces)
      .map(([k, s]) => `${k}: ${s.toString()}`)
      .join(', ')})`;
  }
}
