import { createTabularGame, stateIndexArray, type Kernel } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { kernelSetReport, rowDivergence } from './kernel-set-report.ts';

const csr = (rows: [number, number][][]): Kernel => {
  const rowStart = [0];
  const next: number[] = [];
  const prob: number[] = [];
  for (const row of rows) {
    for (const [s, p] of row) {
      next.push(s);
      prob.push(p);
    }
    rowStart.push(next.length);
  }
  return { rowStart: Int32Array.from(rowStart), next: stateIndexArray(Math.max(0, ...next) + 1, next), prob: Float64Array.from(prob) };
};

describe('rowDivergence', () => {
  it('TV = 0.5 * sum |q - p| over the union of supports', () => {
    // p = (0.5, 0.5, 0), q = (0.2, 0.5, 0.3): 0.5 * (0.3 + 0 + 0.3) = 0.3.
    const p = csr([[[0, 0.5], [1, 0.5]]]);
    const q = csr([[[0, 0.2], [1, 0.5], [2, 0.3]]]);
    expect(rowDivergence('tv', q, 0, p, 0)).toBeCloseTo(0.3, 15);
    expect(rowDivergence('tv', p, 0, p, 0)).toBe(0);
  });
  it('KL(q || p) = sum q log(q / p), infinite when q leaves supp p', () => {
    // p = (0.5, 0.5), q = (0.25, 0.75): 0.25 log 0.5 + 0.75 log 1.5.
    const p = csr([[[0, 0.5], [1, 0.5]]]);
    const q = csr([[[0, 0.25], [1, 0.75]]]);
    expect(rowDivergence('kl', q, 0, p, 0)).toBeCloseTo(0.25 * Math.log(0.5) + 0.75 * Math.log(1.5), 14);
    expect(rowDivergence('kl', csr([[[2, 1]]]), 0, p, 0)).toBe(Infinity);
    // q on a subset of the support: KL(delta_0 || p) = log 2.
    expect(rowDivergence('kl', csr([[[0, 1]]]), 0, p, 0)).toBeCloseTo(Math.log(2), 15);
  });
});

describe('kernelSetReport', () => {
  // S = 3, H = 1, one agent... two agents with one action each: J = 1; per-(h, s) radii differ by agent.
  const game = createTabularGame({
    S: 3,
    H: 1,
    A: [1, 1],
    initial: [1, 0, 0],
    reward: new Float64Array(3 * 2),
    kernel: [0.5, 0.5, 0, 0, 1, 0, 0, 0, 1],
    divergence: 'tv',
    radius: [0.1, 0.4, 1, 0.35, 0.05, 0], // agent 0: (0.1, 0.4, 1); agent 1: (0.35, 0.05, 0)
  });
  it('finds the rows outside each agent set and the worst one', () => {
    // Q: row 0 moved 0.3 to state 2; row 1 moved 0.2 to state 0; row 2 unchanged.
    const q = csr([[[0, 0.2], [1, 0.5], [2, 0.3]], [[0, 0.2], [1, 0.8]], [[2, 1]]]);
    const rep = kernelSetReport(game, q);
    expect(rep.inside).toBe(false);
    expect(rep.maxDistance).toBeCloseTo(0.3, 12);
    // agent 0: row 0 has 0.3 > 0.1 (excess 0.2); row 1 has 0.2 <= 0.4.
    expect(rep.agents[0].rowsOutside).toBe(1);
    expect(rep.agents[0].worst).toMatchObject({ h: 0, s: 0, j: 0, radius: 0.1 });
    // agent 1: row 0 has 0.3 <= 0.35; row 1 has 0.2 > 0.05.
    expect(rep.agents[1].rowsOutside).toBe(1);
    expect(rep.agents[1].worst).toMatchObject({ s: 1, radius: 0.05 });
    expect(rep.agents[1].worst?.distance).toBeCloseTo(0.2, 12);
  });
  it('the nominal kernel is inside every set, and a TV radius >= 1 admits anything', () => {
    expect(kernelSetReport(game, game.kernel).inside).toBe(true);
    const q = csr([[[0, 0.5], [1, 0.5]], [[1, 1]], [[0, 1]]]); // row 2 moved entirely: TV 1
    const rep = kernelSetReport(game, q);
    expect(rep.agents[0].inside).toBe(true); // radius 1 at s = 2
    expect(rep.agents[1].inside).toBe(false);
  });
});
