/** Seeded randomness: one generator, handed down explicitly; drmg never calls Math.random. */
import seedrandom from 'seedrandom';
import { inputError } from './drmg-error.ts';
import { describeValue } from './input-checks.ts';

/** A seeded generator of uniform numbers in [0, 1). */
export interface Rng {
  /** Uniform in [0, 1). */
  (): number;
}

/**
 * A seeded generator (seedrandom's Alea: fast, 2^116 period); the same seed gives the same stream.
 * @throws DrmgError ('input', 'seed') when the seed is neither a finite number nor a string.
 * @example const rng = createRng(42); rng();
 */
export function createRng(seed: number | string): Rng {
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
    inputError('seed', `expected a finite number or a string, got ${describeValue(seed)}`);
  }
  const g = seedrandom.alea(String(seed));
  return () => g();
}

/** Samples an index from `prob[start .. start+n)` (a distribution) with one uniform draw. */
export function sampleIndex(rng: Rng, prob: ArrayLike<number>, start: number, n: number): number {
  let u = rng();
  for (let k = 0; k < n - 1; k++) {
    u -= prob[start + k];
    if (u < 0) return k;
  }
  return n - 1;
}
