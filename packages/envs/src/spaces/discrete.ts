/** Discrete(n): the integers 0..n-1 (Gymnasium's `Discrete` with start 0). */
import { inputError, type Rng } from '@drmg/core';
import type { Space } from './space.ts';
import { SpaceRng } from './space-rng.ts';

/** The space {0, 1, ..., n-1} of one agent's actions or of the state index. */
export class Discrete implements Space<number> {
  readonly kind = 'discrete' as const;
  /** Number of elements, n >= 1. */
  readonly n: number;
  private readonly own = new SpaceRng();

  /**
   * @throws DrmgError when n is not a positive integer.
   */
  constructor(n: number) {
    if (!Number.isSafeInteger(n) || n < 1) inputError('Discrete(n)', `expected a positive integer n, got ${n}`);
    this.n = n;
  }

  /** True iff x is an integer in [0, n). */
  contains(x: unknown): x is number {
    return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < this.n;
  }

  /**
   * floor(u * n) for one uniform draw u of `rng`, or of the space's own generator without one (see `seed`).
   * @throws DrmgError when `rng` is given but is not a generator function.
   */
  sample(rng?: Rng): number {
    const draw = this.own.pick(rng, this.toString());
    return Math.min(this.n - 1, Math.floor(draw() * this.n));
  }

  /**
   * Seeds the generator `sample()` uses without an argument (default seed DEFAULT_SPACE_SEED = 0).
   * @throws DrmgError when `seed` is neither a finite number nor a string.
   */
  seed(seed: number | string): void {
    this.own.seed(seed, this.toString());
  }

  toString(): string {
    return `Discrete(${this.n})`;
  }
}
