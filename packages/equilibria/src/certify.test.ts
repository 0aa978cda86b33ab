import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { certify, createCertifier, createCertificate } from './certify.ts';
import { bimatrixGame, createNormalFormGame } from './normal-form-game.ts';

/** Independent check: enumerate every strategy modification phi: A_i -> A_i (constant maps are the CCE deviations). */
function bruteForce(A: number[], U: Float64Array, dist: Float64Array): { dev: number[]; swap: number[] } {
  const m = A.length;
  const J = A.reduce((a, b) => a * b, 1);
  const strides = A.map((_, i) => A.slice(i + 1).reduce((a, b) => a * b, 1));
  const dev: number[] = [];
  const swap: number[] = [];
  for (let i = 0; i < m; i++) {
    const n = A[i];
    let bestSwap = -Infinity;
    let bestDev = -Infinity;
    const phi = new Array<number>(n).fill(0);
    for (let code = 0; code < n ** n; code++) {
      let c = code;
      for (let a = 0; a < n; a++) {
        phi[a] = c % n;
        c = Math.floor(c / n);
      }
      let gain = 0;
      for (let j = 0; j < J; j++) {
        const a = Math.floor(j / strides[i]) % n;
        const jj = j + (phi[a] - a) * strides[i];
        gain += dist[j] * (U[jj * m + i] - U[j * m + i]);
      }
      bestSwap = Math.max(bestSwap, gain);
      if (phi.every((b) => b === phi[0])) bestDev = Math.max(bestDev, gain);
    }
    dev.push(bestDev);
    swap.push(bestSwap);
  }
  return { dev, swap };
}

describe('certify', () => {
  it('matching pennies: uniform has zero gaps; (H, H) gives the mismatcher a gain of 2', () => {
    const mp = bimatrixGame([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]);
    const c = certify(mp, [0.25, 0.25, 0.25, 0.25]);
    expect(c.cceGap).toBe(0);
    expect(c.ceGap).toBe(0);
    // At (H, H) player 1 gets -1 and would get +1 by switching to T: gain 2; player 0 is already matched: 0.
    const p = certify(mp, [1, 0, 0, 0]);
    expect([...p.deviationGain]).toEqual([0, 2]);
    expect([...p.swapGain]).toEqual([0, 2]);
    expect(p.cceGap).toBe(2);
  });

  it('coordination by a fair coin has gap -0.5 (formats.md) and swap gap 0', () => {
    // 0/1 identical payoffs on the diagonal; deviating to a fixed action loses the coordinated half: 1/2 * (0 - 1).
    const g = bimatrixGame([[1, 0], [0, 1]], [[1, 0], [0, 1]]);
    const c = certify(g, [0.5, 0, 0, 0.5]);
    expect(c.deviationGain[0]).toBeCloseTo(-0.5, 15);
    expect(c.cceGap).toBeCloseTo(-0.5, 15);
    expect(c.ceGap).toBe(0);
  });

  it('agrees with brute force over all strategy modifications (fast-check, 1-3 players)', () => {
    const arb = fc
      .array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 })
      .chain((A) => {
        const J = A.reduce((a, b) => a * b, 1);
        return fc.tuple(
          fc.constant(A),
          fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: J * A.length, maxLength: J * A.length }),
          fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: J, maxLength: J }),
        );
      });
    fc.assert(
      fc.property(arb, ([A, u, w]) => {
        const s = w.reduce((a, b) => a + b, 0);
        const dist = Float64Array.from(w, (v) => (s > 0 ? v / s : 1 / w.length));
        const U = Float64Array.from(u);
        const c = createCertifier(A).certify(U, dist, createCertificate(A.length));
        const ref = bruteForce(A, U, dist);
        for (let i = 0; i < A.length; i++) {
          expect(c.deviationGain[i]).toBeCloseTo(ref.dev[i], 10);
          expect(c.swapGain[i]).toBeCloseTo(ref.swap[i], 10);
          // Keeping the recommendation is a swap; constant maps are swaps.
          expect(c.swapGain[i]).toBeGreaterThanOrEqual(0);
          expect(c.swapGain[i]).toBeGreaterThanOrEqual(c.deviationGain[i] - 1e-12);
        }
        expect(c.ceGap).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('rejects a non-distribution with the offending index', () => {
    const g = createNormalFormGame([2], [0, 1]);
    expect(() => certify(g, [0.5, -0.1])).toThrow('dist[1]: expected a probability >= 0, got -0.1');
    expect(() => certify(g, [0.5, 0.4])).toThrow('dist: sums to 0.9, expected 1');
    expect(() => certify(g, [1])).toThrow('dist: expected 2 probabilities, got 1');
  });
});
