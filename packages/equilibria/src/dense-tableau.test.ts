import { describe, expect, it } from 'vitest';
import { createDenseTableau, dualSimplex, primalSimplex, resetTableau } from './dense-tableau.ts';

/** Loads max c^T x s.t. G x <= h, x >= 0 with the slack basis (ids: x_k = k, slack r = n + r). */
function load(G: number[][], h: number[], c: number[]) {
  const M = G.length;
  const n = c.length;
  const tab = createDenseTableau(M, n);
  resetTableau(tab, M, n);
  const W = n + 1;
  for (let k = 0; k < n; k++) tab.nonbasic[k] = k;
  for (let r = 0; r < M; r++) {
    tab.basic[r] = n + r;
    for (let k = 0; k < n; k++) tab.t[r * W + k] = G[r][k];
    tab.t[r * W + n] = h[r];
  }
  for (let k = 0; k < n; k++) tab.t[M * W + k] = -c[k];
  return tab;
}

function solution(tab: ReturnType<typeof load>, n: number): number[] {
  const x = new Array<number>(n).fill(0);
  for (let r = 0; r < tab.rows; r++) if (tab.basic[r] < n) x[tab.basic[r]] = tab.t[r * tab.width + tab.cols];
  return x;
}

describe('dense simplex', () => {
  it("solves Beale's cycling example (Beale 1955) with either pricing rule", () => {
    // max 3/4 x1 - 20 x2 + 1/2 x3 - 6 x4  s.t. 1/4 x1 - 8 x2 - x3 + 9 x4 <= 0, 1/2 x1 - 12 x2 - 1/2 x3 + 3 x4 <= 0,
    // x3 <= 1. Textbook Dantzig pivoting cycles here; the optimum is 5/4 at x = (1, 0, 1, 0).
    for (const bland of [false, true]) {
      const tab = load([[0.25, -8, -1, 9], [0.5, -12, -0.5, 3], [0, 0, 1, 0]], [0, 0, 1], [0.75, -20, 0.5, -6]);
      expect(primalSimplex(tab, 1000, bland)).toBe('optimal');
      expect(tab.t[tab.rows * tab.width + tab.cols]).toBeCloseTo(1.25, 14);
      const x = solution(tab, 4);
      expect(x[0]).toBeCloseTo(1, 14);
      expect(x[2]).toBeCloseTo(1, 14);
    }
  });

  it('dual simplex from a dual-feasible, primal-infeasible basis', () => {
    // max -x1 - x2 s.t. x1 + 2 x2 >= 3, 2 x1 + x2 >= 3: optimum x = (1, 1), value -2 (both rows tight).
    const tab = load([[-1, -2], [-2, -1]], [-3, -3], [-1, -1]);
    expect(dualSimplex(tab, 100)).toBe('optimal');
    expect(tab.t[tab.rows * tab.width + tab.cols]).toBeCloseTo(-2, 14);
    expect(solution(tab, 2).map((v) => +v.toFixed(12))).toEqual([1, 1]);
  });

  it('reports infeasible and unbounded programs', () => {
    // x1 + x2 <= -1 with x >= 0 has no solution.
    expect(dualSimplex(load([[1, 1]], [-1], [-1, -1]), 100)).toBe('infeasible');
    // max x1 s.t. -x1 <= 1 is unbounded.
    expect(primalSimplex(load([[-1]], [1], [1]), 100)).toBe('unbounded');
  });
});
