/** Seeded Gamma and Dirichlet variates (Marsaglia-Tsang), for random kernels and games. */
import type { Rng } from '@drmg/core';

/** A standard normal variate by Box-Muller (two uniform draws). */
export function sampleNormal(rng: Rng): number {
  let u = rng();
  while (u <= 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/**
 * A Gamma(alpha, 1) variate: Marsaglia & Tsang (2000) for alpha >= 1, and
 * Gamma(alpha) = Gamma(alpha + 1) * U^(1/alpha) for alpha < 1.
 */
export function sampleGamma(rng: Rng, alpha: number): number {
  if (alpha < 1) {
    let u = rng();
    while (u <= 0) u = rng();
    return sampleGamma(rng, alpha + 1) * Math.pow(u, 1 / alpha);
  }
  const d = alpha - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng();
    if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Writes a Dirichlet(alpha, ..., alpha) sample of dimension n into out[offset .. offset+n):
 * normalised Gamma(alpha) variates; if every variate underflows to 0 (tiny alpha), one uniformly
 * chosen coordinate gets all the mass.
 */
export function sampleDirichlet(rng: Rng, alpha: number, out: Float64Array, offset: number, n: number): void {
  let sum = 0;
  for (let k = 0; k < n; k++) {
    const g = sampleGamma(rng, alpha);
    out[offset + k] = g;
    sum += g;
  }
  if (!(sum > 0)) {
    for (let k = 0; k < n; k++) out[offset + k] = 0;
    out[offset + Math.min(n - 1, Math.floor(rng() * n))] = 1;
    return;
  }
  for (let k = 0; k < n; k++) out[offset + k] /= sum;
}
