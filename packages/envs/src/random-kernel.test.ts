import { randomGame, createTabularGame, DrmgError } from '@drmg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kernelSetReport, rowDivergence } from './kernel-set-report.ts';
import { randomKernel } from './random-kernel.ts';
import { kernelProblem } from './validate-kernel.ts';

describe('randomKernel', () => {
  it('lies inside every agent set (TV and KL, per-(h, s) radii, sparse rows) and is a valid kernel', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.constantFrom<'tv' | 'kl'>('tv', 'kl'),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 1.5, noNaN: true }),
        (seed, divergence, S, support, maxRadius) => {
          const game = randomGame(seed, { S, H: 2, A: [2, 2], divergence, support: Math.min(S, support), radius: 'state', maxRadius });
          const q = randomKernel(game, { seed });
          expect(kernelProblem(q, game.H, game.S, game.J)).toBeNull();
          const rep = kernelSetReport(game, q);
          expect(rep.inside).toBe(true);
          for (let i = 0; i < game.m; i++) expect(kernelSetReport(game, randomKernel(game, { seed, agent: i })).agents[i].inside).toBe(true);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('moves mass (TV: sometimes outside the nominal support; KL: never), and rho = 0 keeps the nominal kernel', () => {
    const tv = randomGame(4, { S: 6, H: 3, A: [2, 2], divergence: 'tv', support: 2, maxRadius: 0.5 });
    const qt = randomKernel(tv, { seed: 1 });
    let shifted = 0;
    let moved = 0;
    for (let r = 0; r < tv.H * tv.S * tv.J; r++) {
      if (rowDivergence('tv', qt, r, tv.kernel, r) > 1e-6) moved++;
      if (rowDivergence('kl', qt, r, tv.kernel, r) === Infinity) shifted++;
    }
    expect(moved).toBeGreaterThan(0);
    expect(shifted).toBeGreaterThan(0);
    const kl = randomGame(4, { S: 6, H: 3, A: [2, 2], divergence: 'kl', support: 3, maxRadius: 0.5 });
    const qk = randomKernel(kl, { seed: 1 });
    let klMoved = 0;
    for (let r = 0; r < kl.H * kl.S * kl.J; r++) {
      const d = rowDivergence('kl', qk, r, kl.kernel, r);
      expect(d).toBeLessThan(Infinity);
      if (d > 1e-6) klMoved++;
    }
    expect(klMoved).toBeGreaterThan(0);
    const zero = createTabularGame({ S: 2, H: 1, A: [2], initial: [1, 0], reward: [0, 0, 0, 0], kernel: [0.3, 0.7, 1, 0, 0.5, 0.5, 0, 1], divergence: 'tv', radius: 0 });
    const q0 = randomKernel(zero, { seed: 3 });
    expect(Array.from(q0.prob)).toEqual(Array.from(zero.kernel.prob));
    expect(Array.from(q0.next)).toEqual(Array.from(zero.kernel.next));
  });

  it('is deterministic per seed and differs across seeds', () => {
    const game = randomGame(9, { S: 4, H: 2, A: [2], divergence: 'kl', maxRadius: 0.8 });
    expect(Array.from(randomKernel(game, { seed: 5 }).prob)).toEqual(Array.from(randomKernel(game, { seed: 5 }).prob));
    expect(Array.from(randomKernel(game, { seed: 5 }).prob)).not.toEqual(Array.from(randomKernel(game, { seed: 6 }).prob));
  });

  it('rejects a bad agent index', () => {
    const game = randomGame(1, { S: 2, H: 1, A: [2, 2] });
    expect(() => randomKernel(game, { agent: 2 })).toThrow(DrmgError);
    expect(() => randomKernel(game, { agent: 2 })).toThrow('randomKernel(options.agent): expected an agent index in [0, 1], got 2');
  });
});
