/**
 * The evaluator's dense view of a TV kernel (`dense-tv-view.ts`): rows of S/4 to S entries on average, written out
 * dense once and read in place at every evaluation. Checked against the reference evaluator (plain recursions over
 * dense arrays, no shared code), against the same game whose kernel is so sparse that no view is made (rows taken one
 * by one), and one thread against two.
 */
import { describe, expect, it } from 'vitest';
import { createTabularGame, randomGame } from '@drmg/core';
import type { JointPolicy } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { denseTvView, wantsDenseTvView } from '../packages/evaluators/src/dense-tv-view.ts';
import { refEvaluate, tabularToDense } from './reference-evaluator.ts';
import { randomJointPolicy } from './random-joint-policy.ts';

describe('dense view of a TV kernel', () => {
  it('is made for TV games with rows of S/4 to S entries on average only (not KL, not dense, not sparser)', () => {
    const half = randomGame(3, { S: 16, H: 3, A: [2, 2], divergence: 'tv' });
    expect(wantsDenseTvView(half)).toBe(true);
    expect(wantsDenseTvView(randomGame(3, { S: 16, H: 3, A: [2, 2], divergence: 'kl' }))).toBe(false);
    expect(wantsDenseTvView(randomGame(3, { S: 64, H: 3, A: [2, 2], divergence: 'tv', support: 2 }))).toBe(false);
    // Supports of 1..12 of 64 states (6.5 on average, about S/10): left to the block and the rows one by one.
    expect(wantsDenseTvView(randomGame(3, { S: 64, H: 3, A: [2, 2], divergence: 'tv', support: 12 }))).toBe(false);
    const view = denseTvView(half);
    // Row r at [r*S, (r + 1)*S), its probabilities where the CSR row has them, 0 elsewhere.
    const { rowStart, next, prob } = half.kernel;
    for (let r = 0; r < half.H * half.S * half.J; r++) {
      expect(view.kernel.rowStart[r]).toBe(r * half.S);
      const want = new Array<number>(half.S).fill(0);
      for (let e = rowStart[r]; e < rowStart[r + 1]; e++) want[next[e]] = prob[e];
      expect(Array.from(view.kernel.prob.subarray(r * half.S, (r + 1) * half.S))).toEqual(want);
      expect(Array.from(view.kernel.next.subarray(r * half.S, (r + 1) * half.S))).toEqual(Array.from({ length: half.S }, (_, s) => s));
    }
  });

  it.each([
    [1, [3, 2]],
    [2, [2, 2, 2]],
  ] as const)('gives the reference evaluator\'s values to 1e-12 (seed %i, A = %j), on one thread and, bit for bit, on two', (seed, A) => {
    const game = randomGame(seed, { S: 9, H: 4, A: [...A], divergence: 'tv', radius: 'state', maxRadius: 0.7 });
    expect(wantsDenseTvView(game)).toBe(true);
    const dense = tabularToDense(game);
    const one = createEvaluator(game, { threads: 1 });
    const two = createEvaluator(game, { threads: 2 });
    for (let k = 0; k < 3; k++) {
      const policy = randomJointPolicy(game, 10 * seed + k);
      const pi: number[][][] = [];
      for (let h = 0; h < game.H; h++) {
        pi.push([]);
        for (let s = 0; s < game.S; s++) pi[h].push(Array.from(policy.prob.subarray((h * game.S + s) * game.J, (h * game.S + s + 1) * game.J)));
      }
      const ref = refEvaluate(dense, pi);
      const got = one.evaluate(policy);
      for (let i = 0; i < game.m; i++) {
        for (let s = 0; s < game.S; s++) {
          expect(Math.abs(got.value[i * game.S + s] - ref.value[i][s])).toBeLessThan(1e-12);
          expect(Math.abs(got.bestResponse[i * game.S + s] - ref.bestResponse[i][s])).toBeLessThan(1e-12);
          expect(Math.abs(got.swapBestResponse[i * game.S + s] - ref.swapBestResponse[i][s])).toBeLessThan(1e-12);
        }
      }
      const other = two.evaluate(policy);
      for (const key of ['value', 'bestResponse', 'swapBestResponse', 'gap', 'ceGap'] as const) expect(Array.from(other[key])).toEqual(Array.from(got[key]));
    }
  });

  it('agrees with the rows taken one by one: the same game with a state no row reaches, so sparse that no view is made', () => {
    const game = randomGame(4, { S: 10, H: 3, A: [2, 3], divergence: 'tv', radius: 'state', maxRadius: 0.5 });
    expect(wantsDenseTvView(game)).toBe(true);
    // 80 unreachable states (no row moves mass there, the initial distribution gives them none) make every row
    // sparse (at most 10 of 90 entries): the evaluator takes them one by one, and the first 10 states' numbers are the
    // same game's (TV's worst case may move mass onto an unreachable state only if its value is the lowest, and with
    // rewards of 1 there, no unreachable state is ever the lowest).
    const S2 = 90;
    const { H, S, J, m, A } = game;
    const kernel = new Float64Array(H * S2 * J * S2);
    for (let h = 0; h < H; h++) {
      for (let s = 0; s < S2; s++) {
        for (let j = 0; j < J; j++) {
          const base = ((h * S2 + s) * J + j) * S2;
          if (s < S) {
            const r = (h * S + s) * J + j;
            for (let e = game.kernel.rowStart[r]; e < game.kernel.rowStart[r + 1]; e++) kernel[base + game.kernel.next[e]] = game.kernel.prob[e];
          } else kernel[base + s] = 1;
        }
      }
    }
    const reward = new Float64Array(H * S2 * J * m).fill(1);
    for (let h = 0; h < H; h++) for (let s = 0; s < S; s++) for (let k = 0; k < J * m; k++) reward[(h * S2 + s) * J * m + k] = game.reward[(h * S + s) * J * m + k];
    const radius = new Float64Array(m * H * S2);
    for (let i = 0; i < m; i++) for (let h = 0; h < H; h++) for (let s = 0; s < S; s++) radius[(i * H + h) * S2 + s] = game.radius[(i * H + h) * S + s];
    const initial = new Float64Array(S2);
    initial.set(game.initial);
    const wide = createTabularGame({ S: S2, H, A: [...A], initial, reward, kernel, divergence: 'tv', radius });
    expect(wantsDenseTvView(wide)).toBe(false);
    const policy = randomJointPolicy(game, 41);
    const widePolicy: JointPolicy = { kind: 'joint', H, S: S2, J, prob: new Float64Array(H * S2 * J).fill(1 / J) };
    for (let h = 0; h < H; h++) widePolicy.prob.set(policy.prob.subarray(h * S * J, (h + 1) * S * J), h * S2 * J);
    const a = createEvaluator(game, { threads: 1 }).evaluate(policy);
    const b = createEvaluator(wide, { threads: 1 }).evaluate(widePolicy);
    for (let i = 0; i < m; i++) {
      for (let s = 0; s < S; s++) {
        expect(Math.abs(a.value[i * S + s] - b.value[i * S2 + s])).toBeLessThan(1e-12);
        expect(Math.abs(a.bestResponse[i * S + s] - b.bestResponse[i * S2 + s])).toBeLessThan(1e-12);
        expect(Math.abs(a.swapBestResponse[i * S + s] - b.swapBestResponse[i * S2 + s])).toBeLessThan(1e-12);
      }
    }
  });

  it('is made from checked rows: a kernel changed before the evaluator is made is an error, never a stale view', () => {
    const game = randomGame(8, { S: 8, H: 2, A: [2, 2], divergence: 'tv', maxRadius: 0.5 });
    expect(wantsDenseTvView(game)).toBe(true);
    const policy = randomJointPolicy(game, 3);
    const want = createEvaluator(game, { threads: 1 }).evaluate(policy);
    const prob = game.kernel.prob as Float64Array;
    const saved = prob[3];
    prob[3] = saved / 2;
    expect(() => createEvaluator(game, { threads: 1 })).toThrow(/game\.kernel: row \d+ .*was changed after the game was validated/);
    prob[3] = saved;
    // Made after the restore, it reads the restored rows; an evaluator made before a change refuses to evaluate during it.
    const ev = createEvaluator(game, { threads: 1 });
    expect(Array.from(ev.evaluate(policy).value)).toEqual(Array.from(want.value));
    prob[3] = saved / 2;
    expect(() => ev.evaluate(policy)).toThrow(/game\.kernel: row/);
    prob[3] = saved;
    expect(Array.from(ev.evaluate(policy).value)).toEqual(Array.from(want.value));
  });
});

