import { buildGame, DrmgError, randomGame, uniformPolicy } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { describe, expect, it } from 'vitest';
import { checkFailureStateAssumption } from './check-failure-state-assumption.ts';
import { withFailureStates } from './with-failure-states.ts';

// One state with reward 1 for the single agent, H steps, TV radius rho.
const oneState = (H: number, rho: number) =>
  buildGame({ states: 1, horizon: H, actions: [1], initial: 0, reward: () => 1, transition: () => [1], divergence: 'tv', radius: rho });

describe('withFailureStates', () => {
  it('nominal value with leak l: V = sum_{h<H} (1 - l)^h (survive h leaks, then collect 1)', () => {
    const H = 4;
    const leak = 0.1;
    const g = withFailureStates(oneState(H, 0), { leak });
    expect(g.S).toBe(2);
    expect(g.failureStates).toEqual([[1]]);
    expect(g.labels?.states).toEqual(['0', 'failure']);
    const v = createEvaluator(g).evaluate(uniformPolicy(g)).value[0];
    let want = 0;
    for (let h = 0; h < H; h++) want += (1 - leak) ** h;
    expect(v).toBeCloseTo(want, 12);
  });

  it('TV robust value: the adversary adds rho to the leak at every step: V = sum_{h<H} (1 - l - rho)^h', () => {
    // The failure state has the lowest value (0), so the worst case moves rho more mass there.
    const H = 3;
    const g = withFailureStates(oneState(H, 0.2), { leak: 0.1 });
    const v = createEvaluator(g).evaluate(uniformPolicy(g)).value[0];
    expect(v).toBeCloseTo(1 + 0.7 + 0.49, 12);
  });

  it('keeps rewards, kernels, radii and claimed failure states of the original states', () => {
    const game = randomGame(3, { S: 4, H: 2, A: [2, 2], radius: 'state' });
    const g = withFailureStates(game, { leak: (h, s, j) => (h + s + j) / 20 });
    const { S, J, m } = game;
    for (let h = 0; h < 2; h++) {
      for (let s = 0; s < S; s++) {
        for (let j = 0; j < J; j++) {
          const r = (h * S + s) * J + j;
          const r2 = (h * (S + 1) + s) * J + j;
          for (let i = 0; i < m; i++) {
            expect(g.reward[r2 * m + i]).toBe(game.reward[r * m + i]);
            expect(g.radius[(i * 2 + h) * (S + 1) + s]).toBe(game.radius[(i * 2 + h) * S + s]);
          }
          const leak = (h + s + j) / 20;
          let toF = 0;
          for (let k = g.kernel.rowStart[r2]; k < g.kernel.rowStart[r2 + 1]; k++) if (g.kernel.next[k] === S) toF = g.kernel.prob[k];
          expect(toF).toBeCloseTo(leak, 14);
        }
      }
    }
    expect(checkFailureStateAssumption(g).holds).toBe(true);
  });

  it('rejects a leak that is not a probability, naming h, s, j', () => {
    expect(() => withFailureStates(oneState(2, 0), { leak: (h) => (h === 1 ? 1.5 : 0) })).toThrow(DrmgError);
    expect(() => withFailureStates(oneState(2, 0), { leak: (h) => (h === 1 ? 1.5 : 0) })).toThrow('withFailureStates(leak)(h=1, s=0, j=0): expected a probability in [0, 1], got 1.5');
  });
});
