/** The per-entry Chernoff bound of the certified confidence sets (bonus=valid): its equation and its coverage. */
import { createRng } from '@drmg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { klLowerBound } from './confidence-set.ts';

describe('klLowerBound: the Chernoff lower confidence bound of a Bernoulli mean', () => {
  it('solves n kl(pHat, L) = iota (closed form at pHat = 1: L = exp(-iota/n)) and never exceeds the root', () => {
    expect(klLowerBound(1, 100, 4.6)).toBeCloseTo(Math.exp(-0.046), 15);
    expect(klLowerBound(0, 10, 3)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }), fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0.01, max: 40, noNaN: true }), (pHat, n, iota) => {
        const L = klLowerBound(pHat, n, iota);
        expect(L).toBeGreaterThanOrEqual(0);
        expect(L).toBeLessThanOrEqual(pHat);
        const kl = (p: number): number => pHat * Math.log(pHat / p) + (1 - pHat) * Math.log((1 - pHat) / (1 - p));
        // At L the divergence is at least iota/n (L is at or below the root), and just above L it is below.
        if (L > 0) expect(n * kl(L)).toBeGreaterThanOrEqual(iota * (1 - 1e-9));
        const above = L + 1e-12 * Math.max(pHat, 1e-3) + 1e-300;
        if (above < pHat) expect(n * kl(above)).toBeLessThanOrEqual(iota * (1 + 1e-6) + 1e-12);
      }),
    );
  });

  it('covers the true mean with probability >= 1 - exp(-iota) (Monte Carlo, 20,000 draws of Binomial(n, p))', () => {
    const rng = createRng(7);
    for (const [p, n] of [[0.5, 20], [0.05, 200], [0.9, 50]] as const) {
      const iota = Math.log(20); // failure probability at most 5%
      let miss = 0;
      for (let t = 0; t < 20000; t++) {
        let c = 0;
        for (let u = 0; u < n; u++) if (rng() < p) c++;
        if (klLowerBound(c / n, n, iota) > p) miss++;
      }
      // Chernoff: P(miss) <= 0.05; 4 standard errors of slack over 20,000 draws.
      expect(miss / 20000).toBeLessThanOrEqual(0.05 + 4 * Math.sqrt(0.05 * 0.95 / 20000));
    }
  });
});
