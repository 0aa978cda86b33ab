/** The empirical kernel of eq. 4: counts that grow with what was visited, equal to dense counts. */
import { createRng, randomGame } from '@drmg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEmpiricalKernel } from './empirical-kernel.ts';
import { learnerContext } from './learner-context.ts';
import { createMornavi } from './mornavi.ts';
import { runEpisode } from './run-episode.ts';

describe('empirical kernel (eq. 4): counts that grow with what was visited', () => {
  it('matches dense counts: sorted rows, N(s,j,sp)/N(s,j), sums to 1', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(3), fc.nat(2), fc.nat(3)), { maxLength: 300 }), (adds) => {
        const H = 3, S = 4, J = 3;
        const k = createEmpiricalKernel(H, S, J);
        const dense = new Int32Array(H * S * J * S);
        for (const [h, s, j, sp] of adds) {
          k.add(h, s, j, sp);
          dense[((h * S + s) * J + j) * S + sp]++;
        }
        for (let r = 0; r < H * S * J; r++) {
          let N = 0;
          for (let sp = 0; sp < S; sp++) N += dense[r * S + sp];
          expect(k.visits[r]).toBe(N);
          const a = k.start[r];
          let distinct = 0;
          let sum = 0;
          for (let sp = 0; sp < S; sp++) {
            if (dense[r * S + sp] === 0) continue;
            expect(k.next[a + distinct]).toBe(sp);
            expect(k.count[a + distinct]).toBe(dense[r * S + sp]);
            expect(k.prob[a + distinct]).toBe(dense[r * S + sp] / N);
            sum += k.prob[a + distinct];
            distinct++;
          }
          expect(k.len[r]).toBe(distinct);
          if (N > 0) expect(sum).toBeCloseTo(1, 12);
          const view = k.view(r);
          expect(view.rowStart[1] - view.rowStart[0]).toBe(distinct);
        }
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('stores O(distinct transitions), not H*S*J*S, in a long run at S = 50, H = 20, 5 x 5 actions', () => {
    const game = randomGame(2, { S: 50, H: 20, A: [5, 5], divergence: 'tv', support: 4 });
    const learner = createMornavi(learnerContext(game, 20));
    const rng = createRng(1);
    for (let k = 0; k < 20; k++) runEpisode(game, learner, k, rng);
    const { counts } = learner;
    let distinct = 0;
    for (let r = 0; r < counts.len.length; r++) distinct += counts.len[r];
    expect(distinct).toBeLessThanOrEqual(20 * 20);
    // A row's capacity doubles when it moves, so the pools hold at most ~4 entries per distinct transition.
    expect(counts.used).toBeLessThanOrEqual(4 * distinct);
    expect(counts.next.length).toBeLessThan(game.H * game.S * game.J * game.S / 100);
  });

  it('rejects out-of-range indices', () => {
    const k = createEmpiricalKernel(2, 3, 4);
    expect(() => k.add(2, 0, 0, 0)).toThrow(/step/);
    expect(() => k.add(0, 0, 4, 0)).toThrow(/joint action/);
    expect(() => k.add(0, 0, 0, -1)).toThrow(/next state/);
  });
});
