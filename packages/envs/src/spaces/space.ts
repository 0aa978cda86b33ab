/** The space interface shared by observation and action spaces (Gymnasium's `gymnasium.spaces.Space`). */
import type { Rng } from '@drmg/core';

/** A set of values with a membership test and a seeded sampler; `kind` tells the concrete space. */
export interface Space<T> {
  /** Which space this is: `discrete`, `multi-discrete` or `dict`. */
  readonly kind: 'discrete' | 'multi-discrete' | 'dict';
  /** Whether `x` is an element of the space (exact type and range checks, never throws). */
  contains(x: unknown): x is T;
  /** A uniformly random element, drawn with the seeded generator `rng`. */
  sample(rng: Rng): T;
  /** A short description such as `Discrete(3)` for messages and `drmg env list`. */
  toString(): string;
}
