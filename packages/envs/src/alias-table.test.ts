import { createTabularGame, randomGame, stateIndexArray } from '@drmg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAliasTable } from './alias-table.ts';
import { createTabularEnv } from './tabular-env.ts';

/** Probabilities implied by an alias table for row r: P(sp) = sum_k ([own_k = sp] T_k + [alias_k = sp](1 - T_k)) / n. */
function implied(table: Float64Array, rowStart: Int32Array, r: number, S: number): Float64Array {
  const out = new Float64Array(S);
  const a = rowStart[r];
  const n = rowStart[r + 1] - a;
  for (let k = a; k < a + n; k++) {
    out[table[3 * k + 1]] += table[3 * k] / n;
    out[table[3 * k + 2]] += (1 - table[3 * k]) / n;
  }
  return out;
}

describe('buildAliasTable', () => {
  it('reproduces every row of random sparse and dense kernels to 1e-12', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (seed, S, support) => {
        const game = randomGame(seed, { S, H: 2, A: [2, 3], support: Math.min(S, support) });
        const table = buildAliasTable(game.kernel);
        const { rowStart, next, prob } = game.kernel;
        for (let r = 0; r < rowStart.length - 1; r++) {
          const q = implied(table, rowStart, r, S);
          const p = new Float64Array(S);
          for (let k = rowStart[r]; k < rowStart[r + 1]; k++) p[next[k]] = prob[k];
          for (let s = 0; s < S; s++) expect(Math.abs(q[s] - p[s])).toBeLessThan(1e-12);
          for (let k = rowStart[r]; k < rowStart[r + 1]; k++) expect(table[3 * k]).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('a point-mass row always yields its state', () => {
    const table = buildAliasTable({ rowStart: Int32Array.from([0, 1]), next: stateIndexArray(5, [4]), prob: Float64Array.from([1]) });
    expect(Array.from(table)).toEqual([1, 4, 4]);
  });

  it('sampled frequencies match the kernel row within 4 standard errors', () => {
    // One state-row with p = (0.5, 0.3, 0.15, 0.05) over 4 states; H = 1, one agent, one action.
    const p = [0.5, 0.3, 0.15, 0.05];
    const game = createTabularGame({ S: 4, H: 1, A: [1], initial: [1, 0, 0, 0], reward: [0, 0, 0, 0], kernel: [...p, ...p, ...p, ...p], divergence: 'tv', radius: 0 });
    const env = createTabularEnv(game);
    const N = 40000;
    const counts = [0, 0, 0, 0];
    env.resetState(7);
    for (let n = 0; n < N; n++) {
      env.resetState();
      counts[env.stepIndex(0)]++;
    }
    for (let s = 0; s < 4; s++) {
      const se = Math.sqrt((p[s] * (1 - p[s])) / N);
      expect(Math.abs(counts[s] / N - p[s])).toBeLessThan(4 * se);
    }
  });
});
