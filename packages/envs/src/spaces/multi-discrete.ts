/** MultiDiscrete(nvec): integer vectors x with 0 <= x[k] < nvec[k] (Gymnasium's `MultiDiscrete`). */
import { inputError, type Rng } from '@drmg/core';
import type { Space } from './space.ts';

/** The product of Discrete(nvec[k]) spaces; elements are plain number arrays (or Int32Arrays). */
export class MultiDiscrete implements Space<readonly number[]> {
  readonly kind = 'multi-discrete' as const;
  /** Sizes of the components, each a positive integer. */
  readonly nvec: readonly number[];

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

  /** Each component uniform in its range, drawn in order with `rng`. */
  sample(rng: Rng): number[] {
    return this.nvec.map((n) => Math.min(n - 1, Math.floor(rng() * n)));
  }

  toString(): string {
    return `MultiDiscrete([${this.nvec.join(', ')}])`;
  }
}
