/** MultiDiscrete(nvec): integer vectors x with 0 <= x[k] < nvec[k] (Gymnasium's `MultiDiscrete`). */
import { inputError, type Rng } from '@drmg/core';
import type { Space } from './space.ts';
import { SpaceRng } from './space-rng.ts';

/** The product of Discrete(nvec[k]) spaces; elements are plain number arrays (or Int32Arrays). */
export class MultiDiscrete implements Space<readonly number[]> {
  readonly kind = 'multi-discrete' as const;
  /** Sizes of the components, each a positive integer. */
  readonly nvec: readonly number[];
  private readonly own = new SpaceRng();

  /**
   * @throws DrmgError when nvec is empty or holds a non-positive or non-integer size.
   */
  constructor(nvec: readonly number[]) {
    if (!Array.isArray(nvec) || nvec.length === 0) inputError('MultiDiscrete(nvec)', `expected a non-empty array of sizes, got ${JSON.stringify(nvec)}`);
    nvec.forEach((n, k) => {
      if (!Number.isSafeInteger(n) || n < 1) inputError(`MultiDiscrete(nvec)[${k}]`, `expected a positive integer, got ${n}`);
    });
    this.nvec = Object.freeze([...nvec]);
  }

  /** True iff x is an array (or Int32Array) of nvec.length integers with 0 <= x[k] < nvec[k]. */
  contains(x: unknown): x is readonly number[] {
    if (!(Array.isArray(x) || x instanceof Int32Array) || x.length !== this.nvec.length) return false;
    for (let k = 0; k < x.length; k++) {
      const v = x[k];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= this.nvec[k]) return false;
    }
    return true;
  }

  /**
   * Each component uniform in its range, drawn in order with `rng`, or with the space's own generator without one (see `seed`).
   * @throws DrmgError when `rng` is given but is not a generator function.
   */
  sample(rng?: Rng): number[] {
    const draw = this.own.pick(rng, this.toString());
    return this.nvec.map((n) => Math.min(n - 1, Math.floor(draw() * n)));
  }

  /**
   * Seeds the generator `sample()` uses without an argument (default seed DEFAULT_SPACE_SEED = 0).
   * @throws DrmgError when `seed` is neither a finite number nor a string.
   */
  seed(seed: number | string): void {
    this.own.seed(seed, this.toString());
  }

  toString(): string {
    return `MultiDiscrete([${this.nvec.join(', ')}])`;
  }
}
