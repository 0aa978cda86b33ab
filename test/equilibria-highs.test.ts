/**
 * Cross-check of the dense-simplex CCE / CE solvers against HiGHS (an independent LP solver) on 2,100 games of
 * every kind the issue measured: random, integer, identical-interest, zero-sum (and near-zero-sum, which defeats
 * the constant-sum shortcut), clipped (many payoff ties, like MORNAVI's min{Q, H}) and conflict games; 3x3, 5x5,
 * 10x10, 4x4x4 and 2x3x2. The optimal objective must agree to 1e-7 and both certificates must be <= 1e-9.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '@drmg/core';
import type { Rng } from '@drmg/core';
import { createCorrelatedSolver, createHighsCorrelatedSolver } from '@drmg/equilibria';
import type { EquilibriumSelection, HighsCorrelatedSolver } from '@drmg/equilibria';
import type { Highs } from 'highs';

const KINDS = ['random', 'integer', 'identical', 'zero-sum', 'near-zero-sum', 'clipped', 'conflict'] as const;
type Kind = (typeof KINDS)[number];
const SHAPES = [[3, 3], [5, 5], [10, 10], [4, 4, 4], [2, 3, 2]];

/** A random game of the given kind; payoffs U[j*m + i] in roughly [0, 10] (zero-sum kinds are centred). */
function randomGame(rng: Rng, A: number[], kind: Kind): Float64Array {
  const m = A.length;
  const J = A.reduce((a, b) => a * b, 1);
  const U = new Float64Array(J * m);
  for (let j = 0; j < J; j++) {
    let sum = 0;
    for (let i = 0; i < m; i++) {
      let v: number;
      if (kind === 'random') v = rng() * 10;
      else if (kind === 'integer') v = Math.floor(rng() * 4);
      else if (kind === 'identical') v = i === 0 ? Math.floor(rng() * 5) : U[j * m];
      else if (kind === 'zero-sum') v = i === m - 1 ? -sum : rng() * 10 - 5;
      else if (kind === 'near-zero-sum') v = i === m - 1 ? -sum + 1e-6 * rng() : rng() * 10 - 5;
      else if (kind === 'clipped') v = Math.min(10, Math.round(rng() * 14 * 4) / 4);
      else v = rng() * 10 - 0.7 * (sum + rng() * 5); // conflict: what others got hurts you
      U[j * m + i] = v;
      sum += v;
    }
  }
  return U;
}

function objective(sel: EquilibriumSelection, payoffs: Float64Array, welfare: number): number {
  return sel === 'max-min' ? Math.min(...payoffs) : welfare;
}

let highs: Highs;
const refs: HighsCorrelatedSolver[] = [];

beforeAll(async () => {
  // 'highs' ships CommonJS typings but resolves to its ES module at run time: take whichever default is callable.
  const mod = (await import('highs')) as unknown as { default: (() => Promise<Highs>) | { default: () => Promise<Highs> } };
  highs = await (typeof mod.default === 'function' ? mod.default() : mod.default.default());
});
afterAll(() => {
  for (const r of refs) r.dispose();
});

describe('dense simplex vs HiGHS', () => {
  it('welfare-maximising CCE and CE agree with HiGHS on 1,750 games (3,500 LPs)', () => {
    const rng = createRng('equilibria-highs');
    let games = 0;
    let worstGap = -Infinity;
    let worstDiff = 0;
    for (const A of SHAPES) {
      const solvers = (['cce', 'ce'] as const).map((kind) => {
        const ref = createHighsCorrelatedSolver(highs, A, kind);
        refs.push(ref);
        return { kind, fast: createCorrelatedSolver(A, kind), ref };
      });
      for (const kind of KINDS) {
        for (let g = 0; g < 50; g++) {
          const U = randomGame(rng, A, kind);
          games++;
          for (const { fast, ref } of solvers) {
            const f = fast.solve(U);
            expect(f.status).toBe('optimal');
            expect(f.gap).toBeLessThanOrEqual(1e-9);
            const fw = f.welfare;
            worstGap = Math.max(worstGap, f.gap);
            const h = ref.solve(U);
            expect(h.status).toBe('optimal');
            expect(h.gap).toBeLessThanOrEqual(1e-9);
            worstDiff = Math.max(worstDiff, Math.abs(fw - h.welfare));
            expect(Math.abs(fw - h.welfare)).toBeLessThanOrEqual(1e-7);
          }
        }
      }
    }
    expect(games).toBe(1750);
    expect(worstGap).toBeLessThanOrEqual(1e-9);
    expect(worstDiff).toBeLessThanOrEqual(1e-7);
  });

  it("max-min and 'none' selections: same optimum as HiGHS, certified (350 games)", () => {
    const rng = createRng('equilibria-highs-maxmin');
    for (const A of SHAPES) {
      for (const kind of ['cce', 'ce'] as const) {
        const fast = createCorrelatedSolver(A, kind, { selection: 'max-min' });
        const none = createCorrelatedSolver(A, kind, { selection: 'none' });
        const ref = createHighsCorrelatedSolver(highs, A, kind, { selection: 'max-min' });
        refs.push(ref);
        for (const gameKind of KINDS) {
          for (let g = 0; g < 5; g++) {
            const U = randomGame(rng, A, gameKind);
            const f = fast.solve(U);
            expect(f.status).toBe('optimal');
            const fo = objective('max-min', f.payoffs, f.welfare);
            const h = ref.solve(U);
            expect(h.status).toBe('optimal');
            expect(Math.abs(fo - objective('max-min', h.payoffs, h.welfare))).toBeLessThanOrEqual(1e-7);
            const z = none.solve(U);
            expect(z.status).toBe('optimal');
            expect(z.gap).toBeLessThanOrEqual(1e-9);
          }
        }
      }
    }
  });

  it('the HiGHS fallback path is wired: an impossible iteration limit hands the solve to HiGHS', () => {
    // maxIterations 0 stops every simplex stage before its first pivot, so games that need a pivot fail the fast
    // path: without a fallback the solver says so ('failed'), with one HiGHS answers.
    const rng = createRng(5);
    const alone = createCorrelatedSolver([3, 3, 2], 'ce', { maxIterations: 0 });
    const solver = createCorrelatedSolver([3, 3, 2], 'ce', { maxIterations: 0, fallback: highs });
    let failures = 0;
    for (let g = 0; g < 20; g++) {
      const U = randomGame(rng, [3, 3, 2], 'conflict');
      const s = alone.solve(U);
      if (s.status === 'optimal') {
        expect(s.pivots).toBe(0);
        continue;
      }
      failures++;
      expect(s.status).toBe('failed');
      expect(s.method).toBe('simplex');
      const r = solver.solve(U);
      expect(r.method).toBe('highs');
      expect(r.status).toBe('optimal');
      expect(r.gap).toBeLessThanOrEqual(1e-9);
    }
    expect(failures).toBeGreaterThan(0);
    solver.dispose();
  });
});
