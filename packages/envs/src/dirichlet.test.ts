import { createRng } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { sampleDirichlet, sampleGamma, sampleNormal } from './dirichlet.ts';

describe('seeded variates', () => {
  it('normal: mean 0, variance 1 (within 4 standard errors)', () => {
    const rng = createRng(1);
    const N = 20000;
    let s = 0;
    let s2 = 0;
    for (let n = 0; n < N; n++) {
      const x = sampleNormal(rng);
      s += x;
      s2 += x * x;
    }
    expect(Math.abs(s / N)).toBeLessThan(4 / Math.sqrt(N));
    expect(Math.abs(s2 / N - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
  });

  it('gamma(alpha): mean alpha and variance alpha, for alpha below and above 1', () => {
    for (const alpha of [0.3, 1, 4.5]) {
      const rng = createRng(`g${alpha}`);
      const N = 20000;
      let s = 0;
      let s2 = 0;
      let min = Infinity;
      for (let n = 0; n < N; n++) {
        const x = sampleGamma(rng, alpha);
        min = Math.min(min, x);
        s += x;
        s2 += x * x;
      }
      const mean = s / N;
      expect(min).toBeGreaterThanOrEqual(0);
      expect(Math.abs(mean - alpha)).toBeLessThan(4 * Math.sqrt(alpha / N));
      expect(Math.abs(s2 / N - mean * mean - alpha) / alpha).toBeLessThan(0.1);
    }
  });

  it('Dirichlet(alpha): sums to 1, each coordinate has mean 1/n', () => {
    const rng = createRng(7);
    const n = 4;
    const out = new Float64Array(n + 2);
    const mean = new Float64Array(n);
    const N = 5000;
    for (let k = 0; k < N; k++) {
      sampleDirichlet(rng, 0.5, out, 2, n);
      let sum = 0;
      for (let c = 0; c < n; c++) {
        sum += out[2 + c];
        mean[c] += out[2 + c] / N;
      }
      expect(sum).toBeCloseTo(1, 12);
    }
    // Var of a Dirichlet(0.5 x 4) coordinate: (1/4)(3/4)/(2 + 1) = 1/16.
    for (let c = 0; c < n; c++) expect(Math.abs(mean[c] - 0.25)).toBeLessThan(4 * Math.sqrt(1 / 16 / N));
  });
});
