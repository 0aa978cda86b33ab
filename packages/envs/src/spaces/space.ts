/** The space interface shared by observation and action spaces (Gymnasium's `gymnasium.spaces.Space`). */
import type { Rng } from '@drmg/core';

/** A set of values with a membership test and a seeded sampler; `kind` tells the concrete space. */
export interface Space<T> {
  /** Which space this is: `discrete`, `multi-discrete` or `dict`. */
  readonly kind: 'discrete' | 'multi-discrete' | 'dict';
  /** Whether `x` is an element of the space (exact type and range checks, never throws). */
  contains(x: unknown): x is T;
  /**
   * A uniformly random element, drawn with the seeded generator `rng`; without one, with the space's
   * own generator (seeded by `seed(n)`, else with DEFAULT_SPACE_SEED = 0 on first use).
   * @throws DrmgError when `rng` is given but is not a generator function.
   */
  sample(rng?: Rng): T;
  /**
   * Seeds the space's own generator (the one `sample()` uses without an argument), as Gymnasium's `space.seed`.
   * @throws DrmgError when `seed` is neither a finite number nor a string.
   */
  seed(seed: number | string): void;
  /** A short description such as `Discrete(3)` for messages and `drmg env list`. */
  toString(): string;
}
