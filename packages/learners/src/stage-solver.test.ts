/**
 * The stage-game solver adapter (the EQUILIBRIUM subroutine of eq. 7): its equilibria are certified by an
 * independent `certify`, constant games give the uniform distribution, and a failing LP is backed up.
 */
import { createCertificate, createCertifier } from '@drmg/equilibria';
import { createRng } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { createStageSolver } from './stage-solver.ts';

describe('createStageSolver: the EQUILIBRIUM subroutine of eq. 7', () => {
  it('one agent: the first best action', () => {
    for (const eq of ['nash', 'cce', 'ce'] as const) {
      const st = createStageSolver([4], eq);
      const out = new Float64Array(4);
      expect(st.solve(Float64Array.of(0.2, 0.9, 0.9, 0.1), out)).toBe(0);
      expect(Array.from(out)).toEqual([0, 1, 0, 0]);
    }
  });

  it('a constant stage game (all Q clipped at H - h) gives the uniform distribution', () => {
    for (const eq of ['nash', 'cce', 'ce'] as const) {
      const st = createStageSolver([2, 3], eq);
      const out = new Float64Array(6);
      st.solve(new Float64Array(12).fill(3), out);
      for (const p of out) expect(p).toBeCloseTo(1 / 6, 15);
      if (eq === 'nash') expect(Array.from(st.marginals![1])).toEqual([1 / 3, 1 / 3, 1 / 3]);
    }
  });

  it('returns certified equilibria on random stage games (gap checked by an independent certify)', () => {
    const rng = createRng(3);
    for (const A of [[2, 2], [3, 3], [2, 3, 2]]) {
      const J = A.reduce((a, b) => a * b, 1);
      const m = A.length;
      const certifier = createCertifier(A);
      const cert = createCertificate(m);
      for (const eq of ['nash', 'cce', 'ce'] as const) {
        const st = createStageSolver(A, eq);
        for (let t = 0; t < 30; t++) {
          const U = Float64Array.from({ length: J * m }, () => Math.floor(rng() * 5) / 2); // ties are common
          const out = new Float64Array(J);
          const gap = st.solve(U, out);
          certifier.certify(U, out, cert);
          const actual = eq === 'ce' ? cert.ceGap : cert.cceGap;
          expect(Math.abs(actual - gap)).toBeLessThanOrEqual(1e-9);
          expect(actual).toBeLessThanOrEqual(m >= 3 && eq === 'nash' ? 1e-6 : 1e-9);
          let sum = 0;
          for (const p of out) {
            expect(p).toBeGreaterThanOrEqual(0);
            sum += p;
          }
          expect(sum).toBeCloseTo(1, 12);
        }
      }
    }
  });

  it('backs up a CCE LP that reports failure (a 2x3 stage game met during MORNAVI training)', () => {
    // This payoff made an earlier createCceSolver([2, 3]) end 'failed' (uniform distribution, certificate 0.049) while the CE
    // LP and HiGHS solve it; the adapter must still return a certified CCE.
    const U = Float64Array.of(3, 2.742087426282663, 3, 2.574373611351639, 2.5134873928338655, 3, 2.8250298656333164, 2.874589241379904, 2.394883644299309, 3, 3, 2.725613007130498);
    const st = createStageSolver([2, 3], 'cce');
    const out = new Float64Array(6);
    const gap = st.solve(U, out);
    const cert = createCertifier([2, 3]).certify(U, out, createCertificate(2));
    expect(cert.cceGap).toBeLessThanOrEqual(1e-9);
    expect(gap).toBeLessThanOrEqual(1e-9);
  });

  it('rejects bad input', () => {
    expect(() => createStageSolver([2, 2], 'nope' as 'cce')).toThrow(/nash, cce, ce/);
    const st = createStageSolver([2, 2], 'cce');
    expect(() => st.solve(new Float64Array(3), new Float64Array(4))).toThrow(/expected 8 entries/);
    expect(() => st.solve(Float64Array.of(0, 0, 0, 0, 0, 0, 0, NaN), new Float64Array(4))).toThrow(/finite/);
    expect(() => st.solve(new Float64Array(8), new Float64Array(3))).toThrow(/room for 4/);
  });
});
