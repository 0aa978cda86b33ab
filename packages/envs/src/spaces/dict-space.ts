/** DictSpace: objects whose fields lie in given sub-spaces (Gymnasium's `Dict`). */
import { inputError, type Rng } from '@drmg/core';
import type { Space } from './space.ts';

type ValueOfSpace<S> = S extends Space<infer T> ? T : never;

/** Objects `{ k: v }` with exactly the keys of `spaces` and v in `spaces[k]` (tabular observations use `{ state, step }`). */
export class DictSpace<const M extends Record<string, Space<unknown>>> implements Space<{ readonly [K in keyof M]: ValueOfSpace<M[K]> }> {
  readonly kind = 'dict' as const;
  /** The sub-space of every key. */
  readonly spaces: M;

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

  /** Each field sampled from its sub-space, in key order. */
  sample(rng: Rng): { readonly [K in keyof M]: ValueOfSpace<M[K]> } {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(this.spaces)) out[k] = this.spaces[k].sample(rng);
    return out as { readonly [K in keyof M]: ValueOfSpace<M[K]> };
  }

  toString(): string {
    return `Dict(${Object.entries(this.spaces)
      .map(([k, s]) => `${k}: ${s.toString()}`)
      .join(', ')})`;
  }
}
