/**
 * Properties of the CCE / CE / Nash solvers on arbitrary games (fast-check): every returned distribution is a
 * distribution (entries >= 0, summing to 1), certified (gap <= 1e-9, ceGap >= 0), and the same input gives the same
 * bits whether the solver is fresh or reused.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCceSolver, createCeSolver, createNormalFormGame, certify, solveNash } from '@drmg/equilibria';
import type { EquilibriumSelection } from '@drmg/equilibria';

/**
 * Shapes with J <= 64 and payoffs in [0, 20] drawn from a small integer grid (ties are common) or at resolution 1e-6
 * (the range of Q-values a learner produces).
 */
const gameArb = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
  .filter((A) => A.reduce((a, b) => a * b, 1) <= 64)
  .chain((A) => {
    const n = A.reduce((a, b) => a * b, 1) * A.length;
    const value = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 20_000_000 }).map((v) => v / 1e6));
    return fc.tuple(fc.constant(A), fc.array(value, { minLength: n, maxLength: n }));
  });
/**
 * Adversarial payoffs: any doubles in [0, 20], including subnormals and values like 1e-10 next to 19.9, whose
 * payoff differences span 10+ orders of magnitude (ill-conditioned LP bases).
 */
const adversarialArb = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
  .filter((A) => A.reduce((a, b) => a * b, 1) <= 64)
  .chain((A) => {
    const n = A.reduce((a, b) => a * b, 1) * A.length;
    const value = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 20, noNaN: true }));
    return fc.tuple(fc.constant(A), fc.array(value, { minLength: n, maxLength: n }));
  });
const selectionArb = fc.constantFrom<EquilibriumSelection>('welfare', 'max-min', 'none');

describe('CCE / CE properties', () => {
  it('distributions are valid and certified; the CE certificate is >= 0 (fast-check)', () => {
    fc.assert(
      fc.property(gameArb, selectionArb, ([A, u], selection) => {
        const U = Float64Array.from(u);
        for (const solver of [createCceSolver(A, { selection }), createCeSolver(A, { selection })]) {
          const r = solver.solve(U);
          expect(r.status).toBe('optimal');
          let sum = 0;
          for (const p of r.dist) {
            expect(p).toBeGreaterThanOrEqual(0);
            sum += p;
          }
          expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-12);
          expect(r.gap).toBeLessThanOrEqual(1e-9);
          expect(r.certificate.ceGap).toBeGreaterThanOrEqual(0);
          // The solver's certificate is the library certificate of its distribution.
          const c = certify(createNormalFormGame(A, u), r.dist);
          expect(c.cceGap).toBe(r.certificate.cceGap);
          expect(c.ceGap).toBe(r.certificate.ceGap);
          // A CE is a CCE.
          if (solver.kind === 'ce') expect(r.certificate.cceGap).toBeLessThanOrEqual(1e-9);
        }
      }),
      { numRuns: 400, seed: 11 },
    );
  });

  it('adversarial payoffs: the status never lies, and distributions stay valid (fast-check)', () => {
    // On ill-conditioned data the fast path may give up, but 'optimal' always means gap <= 1e-9 and anything else
    // reports a gap above the tolerance (or 'failed'); the distribution is a distribution either way.
    fc.assert(
      fc.property(adversarialArb, selectionArb, ([A, u], selection) => {
        const U = Float64Array.from(u);
        for (const solver of [createCceSolver(A, { selection }), createCeSolver(A, { selection })]) {
          const r = solver.solve(U);
          if (r.status === 'optimal') expect(r.gap).toBeLessThanOrEqual(1e-9);
          else if (r.status === 'inaccurate') expect(r.gap).toBeGreaterThan(1e-9);
          let sum = 0;
          for (const p of r.dist) {
            expect(p).toBeGreaterThanOrEqual(0);
            sum += p;
          }
          expect(Math.abs(sum - 1)).toBeLessThanOrEqual(1e-12);
          expect(r.certificate.ceGap).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300, seed: 15 },
    );
  });

  it('the CE welfare optimum is at most the CCE optimum (CE is a subset of CCE)', () => {
    fc.assert(
      fc.property(gameArb, ([A, u]) => {
        const U = Float64Array.from(u);
        const cce = createCceSolver(A).solve(U).welfare;
        const ce = createCeSolver(A).solve(U).welfare;
        expect(ce).toBeLessThanOrEqual(cce + 1e-9);
      }),
      { numRuns: 200, seed: 12 },
    );
  });

  it('is deterministic: fresh and reused solvers give identical bits', () => {
    fc.assert(
      fc.property(gameArb, gameArb, ([A, u], [, v]) => {
        const U = Float64Array.from(u);
        const reused = createCeSolver(A);
        const first = Float64Array.from(reused.solve(U).dist);
        // Solve something else in between (same shape when possible) and then the first game again.
        if (v.length === u.length) reused.solve(Float64Array.from(v));
        const again = Float64Array.from(reused.solve(U).dist);
        const fresh = Float64Array.from(createCeSolver(A).solve(U).dist);
        expect([...again]).toEqual([...first]);
        expect([...fresh]).toEqual([...first]);
      }),
      { numRuns: 150, seed: 13 },
    );
  });

  it('writes into the caller-provided buffer and rejects bad payoffs with the index', () => {
    const solver = createCceSolver([2, 2]);
    const out = new Float64Array(4);
    const r = solver.solve(Float64Array.from([3, 3, 0, 5, 5, 0, 1, 1]), out);
    expect(r.dist).toBe(out);
    expect([...out]).toEqual([0, 0, 0, 1]);
    expect(() => solver.solve(new Float64Array(7))).toThrow('payoff: expected 8 entries (J = 4 x m = 2), got 7');
    expect(() => solver.solve(Float64Array.from([0, 0, 0, NaN, 0, 0, 0, 0]))).toThrow('payoff[1][1]: expected a finite number, got NaN');
    expect(() => createCeSolver([2, 0])).toThrow('actions[1]: expected a positive integer, got 0');
  });
});

describe('Nash properties', () => {
  it('marginals are distributions, the joint is their product, epsilon bounds the gap (fast-check)', () => {
    fc.assert(
      fc.property(gameArb, ([A, u]) => {
        const game = createNormalFormGame(A, u);
        const ne = solveNash(game);
        for (const mi of ne.marginals) {
          let s = 0;
          for (const p of mi) {
            expect(p).toBeGreaterThanOrEqual(0);
            s += p;
          }
          expect(Math.abs(s - 1)).toBeLessThanOrEqual(1e-12);
        }
        for (let j = 0; j < game.J; j++) {
          let p = 1;
          for (let i = 0; i < game.m; i++) p *= ne.marginals[i][game.layout.actionOf[j * game.m + i]];
          expect(ne.dist[j]).toBe(p);
        }
        expect(ne.certificate.cceGap).toBeLessThanOrEqual(ne.epsilon);
        expect(ne.epsilon).toBeLessThanOrEqual(ne.approximate ? 1e-6 : 1e-9);
      }),
      { numRuns: 200, seed: 14 },
    );
  });
});
