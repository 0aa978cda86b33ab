import { describe, expect, it } from 'vitest';
import { createProductPolicy, randomGame } from '@drmg/core';
import type { Policy, TabularGame } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import type { Evaluator, RobustEvaluation } from '@drmg/evaluators';
import { createParallelHelper } from '../packages/evaluators/src/parallel-evaluation.ts';
import { randomJointPolicy } from './random-joint-policy.ts';

/** Evaluates until the evaluator reports two threads (its worker starts in the background), at most ~20 s. */
async function twoThreads(ev: Evaluator, policy: Policy): Promise<void> {
  for (let k = 0; k < 400 && ev.threads !== 2; k++) {
    ev.evaluate(policy);
    if (ev.threads !== 2) await new Promise((r) => setTimeout(r, 50));
  }
  expect(ev.threads).toBe(2);
}

function expectSame(a: RobustEvaluation, b: RobustEvaluation): void {
  for (const key of ['value', 'bestResponse', 'swapBestResponse', 'gap', 'ceGap'] as const) expect(Array.from(b[key])).toEqual(Array.from(a[key]));
}

describe('two-thread evaluation (EvaluatorOptions.threads)', () => {
  it.each([
    ['tv', [3, 2]],
    ['kl', [2, 2]],
    ['tv', [2, 2, 2]],
  ] as const)('gives the one-thread results bit for bit (%s, A = %j), every option and policy kind', async (divergence, A) => {
    const game = randomGame(5, { S: 6, H: 4, A: [...A], divergence, radius: 'state', maxRadius: 0.6 });
    const one = createEvaluator(game, { threads: 1 });
    const two = createEvaluator(game, { threads: 2 });
    const joint = randomJointPolicy(game, 6);
    await twoThreads(two, joint);
    const product = createProductPolicy(game, (i, h, s) => Array.from({ length: A[i] }, (_, a) => 1 + ((a + h + s) % 3)).map((x, _, xs) => x / xs.reduce((u, v) => u + v, 0)));
    for (const policy of [joint, randomJointPolicy(game, 7), product]) {
      for (const options of [undefined, { swap: false }, { bestResponse: false }, { bestResponse: false, swap: false }]) {
        const b = two.evaluate(policy, options);
        expect(two.threads).toBe(2);
        expectSame(one.evaluate(policy, options), b);
      }
    }
  }, 30_000);

  it('stays on one thread for small games by default, and refuses a bad option', () => {
    const game = randomGame(1, { S: 4, H: 2, A: [2, 2] });
    const ev = createEvaluator(game);
    ev.evaluate(randomJointPolicy(game, 2));
    expect(ev.threads).toBe(1);
    expect(() => createEvaluator(game, { threads: 3 as 2 })).toThrow('options.threads: expected "auto", 1 or 2, got 3');
  });

  it('shares the kernel next states in the element type of the game (Uint16Array, or Int32Array as given)', () => {
    const game = randomGame(3, { S: 7, H: 2, A: [2, 2] });
    const wide: TabularGame = { ...game, kernel: { ...game.kernel, next: Int32Array.from(game.kernel.next) } };
    for (const [g, type] of [[game, Uint16Array], [wide, Int32Array]] as const) {
      expect(g.kernel.next).toBeInstanceOf(type);
      const helper = createParallelHelper(g, {});
      expect(helper).not.toBeNull();
      try {
        const next = helper!.game.kernel.next;
        expect(next).toBeInstanceOf(type);
        expect(next.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(Array.from(next)).toEqual(Array.from(game.kernel.next));
      } finally {
        helper!.close();
      }
    }
  });
});
