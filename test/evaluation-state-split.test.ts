/**
 * Two-thread evaluation by states (packages/evaluators/src/parallel-evaluation.ts): both threads run every agent's
 * recursions over their own states of each step, with a barrier per step. Any split of the states gives the one-thread
 * numbers bit for bit; the calling thread's guard still sees every kernel row either thread reads; a worker that fails
 * hands the evaluation back to one thread; the split follows the measured times.
 */
import { describe, expect, it } from 'vitest';
import { DrmgError, createProductPolicy, createRng, createSigmaWorkspace, randomGame, robustExpectationSteps } from '@drmg/core';
import type { JointPolicy, Policy, TabularGame } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import type { Evaluator, RobustEvaluation } from '@drmg/evaluators';
import { createParallelHelper, nextOverhead, splitFor } from '../packages/evaluators/src/parallel-evaluation.ts';
import type { ParallelHelper } from '../packages/evaluators/src/parallel-evaluation.ts';
import { createRecursions } from '../packages/evaluators/src/recursions.ts';

/** A random joint policy; with `zeros`, about 30% of the joint actions unplayed (row masks then differ by recursion). */
function randomJoint(game: TabularGame, seed: number, zeros = true): JointPolicy {
  const rng = createRng(seed);
  const { H, S, J } = game;
  const prob = new Float64Array(H * S * J);
  for (let r = 0; r < H * S; r++) {
    let sum = 0;
    for (let j = 0; j < J; j++) sum += prob[r * J + j] = zeros && rng() < 0.3 ? 0 : 0.05 + rng();
    if (sum === 0) prob[r * J] = sum = 1;
    for (let j = 0; j < J; j++) prob[r * J + j] /= sum;
  }
  return { kind: 'joint', H, S, J, prob };
}

/** The number of entries of a and b that are not the same double (Object.is: -0 and NaN count). */
function mismatches(a: Float64Array, b: Float64Array): number {
  let n = a.length === b.length ? 0 : Math.abs(a.length - b.length);
  for (let k = 0; k < Math.min(a.length, b.length); k++) if (!Object.is(a[k], b[k])) n++;
  return n;
}

function expectSame(a: RobustEvaluation, b: RobustEvaluation): void {
  for (const key of ['value', 'bestResponse', 'swapBestResponse', 'gap', 'ceGap'] as const) expect(mismatches(a[key], b[key]), key).toBe(0);
}

async function until(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(cond()).toBe(true);
}

/** Evaluates until the evaluator reports two threads (its worker starts in the background). */
async function twoThreads(ev: Evaluator, policy: Policy): Promise<void> {
  for (let k = 0; k < 400 && ev.threads !== 2; k++) {
    ev.evaluate(policy);
    if (ev.threads !== 2) await new Promise((r) => setTimeout(r, 50));
  }
  expect(ev.threads).toBe(2);
}

/** An odd number of states, three agents: S = 9, H = 4, A = [2, 3, 2] (J = 12), some kernel rows sparse. */
const oddGame = (divergence: 'tv' | 'kl', seed: number): TabularGame =>
  randomGame(seed, { S: 9, H: 4, A: [2, 3, 2], divergence, radius: 'state', maxRadius: 0.6, support: 6 });

describe('robustExpectationSteps over a range of states (s0, s1)', () => {
  it.each(['tv', 'kl'] as const)('computes exactly the states s0 <= s < s1, as the call over all states does, bit for bit (%s)', (divergence) => {
    const g = oddGame(divergence, 3);
    const { S, J, H } = g;
    const rng = createRng(4);
    const T = [0, 1, 2].map(() => new Float64Array((H + 1) * S).map(() => (rng() < 0.3 ? Math.floor(rng() * 4) : 3 * rng())));
    const needed = new Uint8Array(S * J).map(() => Math.floor(rng() * 8));
    for (const mask of [null, needed]) {
      for (let h = 0; h < H; h++) {
        const full = T.map(() => new Float64Array(S * J));
        robustExpectationSteps(g, T.map(() => createSigmaWorkspace(S)), h, 1, T, (h + 1) * S, full, mask);
        for (const [s0, s1] of [[0, S], [0, 4], [4, S], [3, 3], [S, S], [8, 9]]) {
          const part = T.map(() => new Float64Array(S * J).fill(7));
          robustExpectationSteps(g, T.map(() => createSigmaWorkspace(S)), h, 1, T, (h + 1) * S, part, mask, s0, s1);
          for (let q = 0; q < 3; q++) {
            expect(mismatches(part[q].subarray(s0 * J, s1 * J), full[q].subarray(s0 * J, s1 * J))).toBe(0);
            expect(part[q].subarray(0, s0 * J).every((x) => x === 7)).toBe(true);
            expect(part[q].subarray(s1 * J).every((x) => x === 7)).toBe(true);
          }
        }
      }
    }
  });

  it('refuses a range that is not 0 <= s0 <= s1 <= S in integers, naming it', () => {
    const g = oddGame('tv', 1);
    const T = [new Float64Array((g.H + 1) * g.S)];
    const call = (s0: number, s1: number) => () => robustExpectationSteps(g, [createSigmaWorkspace(g.S)], 0, 0, T, g.S, [new Float64Array(g.S * g.J)], null, s0, s1);
    expect(call(-1, 3)).toThrow('s0, s1: expected integers with 0 <= s0 <= s1 <= 9, got -1 and 3');
    expect(call(4, 3)).toThrow('s0, s1: expected integers with 0 <= s0 <= s1 <= 9, got 4 and 3');
    expect(call(0, 10)).toThrow('s0, s1: expected integers with 0 <= s0 <= s1 <= 9, got 0 and 10');
    expect(call(0.5, 3)).toThrow(DrmgError);
    expect(call(0, Number.NaN)).toThrow(DrmgError);
  });
});

describe('two threads splitting the states of every step', () => {
  /** Starts a helper for `game` and waits for its worker. */
  async function helperFor(game: TabularGame): Promise<ParallelHelper> {
    const helper = createParallelHelper(game, {});
    expect(helper).not.toBeNull();
    await until(() => helper!.ready());
    return helper!;
  }

  it.each(['tv', 'kl'] as const)('every split gives the one-thread tables bit for bit, and the guard mask covers both threads (%s, S = 9, m = 3)', async (divergence) => {
    const game = oddGame(divergence, 11);
    const { m, S, H } = game;
    const T = (H + 1) * S;
    const helper = await helperFor(game);
    try {
      const one = createRecursions(game);
      const two = createRecursions(game, helper.tables);
      const masks = (into: Uint8Array[]) => (h: number, mask: Uint8Array) => into.push(Uint8Array.from(mask), Uint8Array.of(h));
      for (const [doV, doB, doC] of [[true, true, true], [true, false, false], [true, true, false], [true, false, true], [false, true, true]]) {
        for (const policy of [randomJoint(game, 12), randomJoint(game, 13, false)]) {
          const wantMasks: Uint8Array[] = [];
          one.run(policy.prob, 0, m, doV, doB, doC, masks(wantMasks));
          for (let split = 0; split <= S; split++) {
            // Rows 0..H-1 of every table poisoned (row H stays 0): each entry must be written by one thread or the other.
            for (let k = 0; k < 3 * m; k++) helper.tables.fill(Number.NaN, k * T, k * T + H * S);
            expect(helper.start(policy.prob, split, doV, doB, doC)).toBe(true);
            const gotMasks: Uint8Array[] = [];
            let steps = 0;
            two.run(helper.pi, 0, m, doV, doB, doC, masks(gotMasks), {
              s0: 0,
              s1: split,
              step(h) {
                expect(h).toBe(H - 1 - steps++);
                expect(helper.step(h)).toBe(true);
              },
            });
            helper.finish();
            expect(steps).toBe(H);
            for (let i = 0; i < m; i++) {
              if (doV) expect(mismatches(two.tabV[i], one.tabV[i]), `V, agent ${i}, split ${split}`).toBe(0);
              if (doB) expect(mismatches(two.tabB[i], one.tabB[i]), `B, agent ${i}, split ${split}`).toBe(0);
              if (doC) expect(mismatches(two.tabC[i], one.tabC[i]), `C, agent ${i}, split ${split}`).toBe(0);
            }
            // The calling thread's guard is asked for the rows of all states, as one thread's is.
            expect(gotMasks).toEqual(wantMasks);
          }
        }
      }
    } finally {
      helper.close();
    }
  }, 60_000);

  it.each([
    ['tv', [2, 3, 2]],
    ['kl', [3, 2, 2]],
    ['tv', [3, 3]],
  ] as const)('createEvaluator with threads 2 gives the one-thread results bit for bit (%s, S = 9, A = %j), every option and policy kind', async (divergence, A) => {
    const game = randomGame(21, { S: 9, H: 5, A: [...A], divergence, radius: 'state', maxRadius: 0.6 });
    const one = createEvaluator(game, { threads: 1 });
    const two = createEvaluator(game, { threads: 2 });
    const joint = randomJoint(game, 22);
    await twoThreads(two, joint);
    const product = createProductPolicy(game, (i, h, s) => Array.from({ length: A[i] }, (_, a) => 1 + ((a + 2 * h + s) % 3)).map((x, _, xs) => x / xs.reduce((u, v) => u + v, 0)));
    // Several evaluations each: the split moves with the measured times, the numbers must not.
    for (let rep = 0; rep < 3; rep++) {
      for (const policy of [joint, randomJoint(game, 23, false), product]) {
        for (const options of [undefined, { swap: false }, { bestResponse: false }, { bestResponse: false, swap: false }]) {
          const b = two.evaluate(policy, options);
          expect(two.threads).toBe(2);
          expectSame(one.evaluate(policy, options), b);
        }
      }
    }
  }, 60_000);

  it("a kernel row changed in the worker's share of the states is an error of the two-thread evaluate; restored, two threads go on", async () => {
    const game = randomGame(31, { S: 9, H: 4, A: [2, 3, 2], divergence: 'tv', radius: 'state', maxRadius: 0.5 });
    const { S, J } = game;
    const policy = randomJoint(game, 32, false); // every row read
    const ev = createEvaluator(game, { threads: 2 });
    await twoThreads(ev, policy);
    const want = createEvaluator(game, { threads: 1 }).evaluate(policy);
    // The last state is always the worker's (the calling thread takes [0, split), split <= S - 1).
    for (const h of [0, game.H - 1]) {
      const r = (h * S + S - 1) * J + 5;
      const prob = game.kernel.prob as Float64Array;
      const e0 = game.kernel.rowStart[r];
      const saved = prob[e0];
      prob[e0] = saved + 0.25;
      let err: unknown = null;
      try {
        ev.evaluate(policy);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DrmgError);
      expect((err as DrmgError).path).toBe('game.kernel');
      expect((err as DrmgError).detail).toContain(`row ${r} `);
      prob[e0] = saved;
      // The abandoned job ends at the worker's next barrier; the next evaluation waits for it and runs on two threads.
      expectSame(want, ev.evaluate(policy));
      expect(ev.threads).toBe(2);
    }
    const reward = game.reward as Float64Array;
    const r3 = reward[3];
    reward[3] = Number.NaN;
    expect(() => ev.evaluate(policy)).toThrow('game.reward');
    reward[3] = r3;
    expectSame(want, ev.evaluate(policy));
  }, 60_000);

  it('a worker that fails mid-job wakes the calling thread at once, and is retired', async () => {
    const game = oddGame('tv', 41);
    const { m, S, H } = game;
    const helper = await helperFor(game);
    const results: boolean[] = [];
    try {
      // A radius the worker reads (its shared copy, state S - 1, step H - 2) that the calling thread does not.
      (helper.game.radius as Float64Array)[(0 * H + H - 2) * S + S - 1] = Number.NaN;
      const rec = createRecursions(game, helper.tables);
      expect(helper.start(randomJoint(game, 42).prob, 4, true, true, true)).toBe(true);
      rec.run(helper.pi, 0, m, true, true, true, null, {
        s0: 0,
        s1: 4,
        step(h) {
          const ok = helper.step(h);
          results.push(ok);
          if (!ok) throw new Error('worker lost');
        },
      });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe('worker lost');
      // The worker fails in step H - 2: the barrier of step H - 2 reports it, or already that of step H - 1 when the
      // worker's FAILED is set before the calling thread reads it there (either way the evaluation is redone).
      expect([[true, false], [false]]).toContainEqual(results);
      expect(helper.ready()).toBe(false);
    } finally {
      helper.close();
    }
  });
});

describe('the split of the states (splitFor, nextOverhead)', () => {
  it('gives the calling thread half of what its overhead leaves, at least one state each', () => {
    expect(splitFor(0, 50)).toBe(25);
    expect(splitFor(10, 50)).toBe(20);
    expect(splitFor(11, 50)).toBe(20); // (50 - 11) / 2 = 19.5 rounds up
    expect(splitFor(200, 50)).toBe(1);
    expect(splitFor(-200, 50)).toBe(49);
    expect(splitFor(3, 1)).toBe(1);
    expect(splitFor(0, 2)).toBe(1);
  });

  it('converges to the split that balances the threads, and one slow job barely moves it', () => {
    const S = 50, c = 0.12, G = 1.0; // ms per state (all steps); the calling thread's overhead
    let overhead = 0.2 * S;
    for (let k = 0; k < 40; k++) {
      const split = splitFor(overhead, S);
      overhead = nextOverhead(overhead, G + c * split, c * (S - split), split, S);
    }
    expect(overhead).toBeCloseTo(G / c, 4);
    const split = splitFor(overhead, S);
    expect(split).toBe(21);
    // Both threads' times within one state's of each other.
    expect(Math.abs(G + c * split - c * (S - split))).toBeLessThanOrEqual(c);
    // The worker descheduled for 20 ms in one job: the overhead moves by at most 0.3 * S/8 states.
    const after = nextOverhead(overhead, G + c * split, c * (S - split) + 20, split, S);
    expect(Math.abs(after - overhead)).toBeLessThanOrEqual((0.3 * S) / 8 + 1e-12);
    // Nothing to learn from a job without a worker share, or without times.
    expect(nextOverhead(7, 3, 0, S, S)).toBe(7);
    expect(nextOverhead(7, 3, 0, 10, S)).toBe(7);
    expect(nextOverhead(7, Number.NaN, 2, 10, S)).toBe(7);
    expect(nextOverhead(-S, 0, 1e9, 1, S)).toBeGreaterThanOrEqual(-S);
  });
});
