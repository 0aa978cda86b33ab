import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTabularGame } from './create-tabular-game.ts';
import { DrmgError } from './drmg-error.ts';
import { buildGame } from './game-builder.ts';
import type { GameSpec } from './game-builder.ts';
import { encodeJointAction } from './joint-action.ts';
import { randomGame } from './random-game.ts';
import type { TabularGame } from './tabular-game.ts';

function expectSameGame(a: TabularGame, b: TabularGame): void {
  expect([a.S, a.H, a.m, a.J, a.divergence, a.name]).toEqual([b.S, b.H, b.m, b.J, b.divergence, b.name]);
  expect(Array.from(a.initial)).toEqual(Array.from(b.initial));
  expect(Array.from(a.reward)).toEqual(Array.from(b.reward));
  expect(Array.from(a.kernel.rowStart)).toEqual(Array.from(b.kernel.rowStart));
  expect(Array.from(a.kernel.next)).toEqual(Array.from(b.kernel.next));
  expect(Array.from(a.kernel.prob)).toEqual(Array.from(b.kernel.prob));
  expect(Array.from(a.radius)).toEqual(Array.from(b.radius));
}

/** A spec that reads its values back out of an existing game (dense rows, or sparse records). */
function specOf(g: TabularGame, sparse: boolean): GameSpec {
  const { S, J, m } = g;
  return {
    name: g.name,
    states: S,
    horizon: g.H,
    actions: g.A,
    initial: Array.from(g.initial),
    reward: (h, s, a, i) => g.reward[((h * S + s) * J + encodeJointAction(g.layout, a)) * m + i],
    transition: (h, s, a) => {
      const r = (h * S + s) * J + encodeJointAction(g.layout, a);
      const { rowStart, next, prob } = g.kernel;
      if (sparse) {
        const row: Record<number, number> = {};
        for (let k = rowStart[r + 1] - 1; k >= rowStart[r]; k--) row[next[k]] = prob[k];
        return row;
      }
      const row = new Array<number>(S).fill(0);
      for (let k = rowStart[r]; k < rowStart[r + 1]; k++) row[next[k]] = prob[k];
      return row;
    },
    divergence: g.divergence,
    radius: (i, h, s) => g.radius[(i * g.H + h) * S + s],
  };
}

describe('buildGame', () => {
  it('agrees with createTabularGame on random games, from dense and from sparse rows (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 5 }),
        fc.boolean(),
        fc.integer(),
        (S, H, A, support, sparse, seed) => {
          const g = randomGame(seed, { S, H, A, support, radius: 'state', divergence: sparse ? 'kl' : 'tv' });
          expectSameGame(buildGame(specOf(g, sparse)), g);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('builds the 2-state, 1-agent game by hand, with a start state and per-agent radius', () => {
    // Reward = action, stay in s with prob 0.75 under action 1, else move to the other state.
    const g = buildGame({
      states: 2,
      horizon: 2,
      actions: [2],
      initial: 1,
      reward: (_h, _s, a) => a[0],
      transition: (_h, s, a) => (a[0] === 1 ? { [s]: 0.75, [1 - s]: 0.25 } : { [1 - s]: 1 }),
      divergence: 'tv',
      radius: [0.2],
    });
    const dense = createTabularGame({
      S: 2,
      H: 2,
      A: [2],
      initial: [0, 1],
      reward: [0, 1, 0, 1, 0, 1, 0, 1],
      kernel: [0, 1, 0.75, 0.25, 1, 0, 0.25, 0.75, 0, 1, 0.75, 0.25, 1, 0, 0.25, 0.75],
      divergence: 'tv',
      radius: 0.2,
    });
    expectSameGame(g, dense);
  });

  it('hands each call a frozen action profile in the joint-action order', () => {
    const seen: string[] = [];
    buildGame({
      states: 1,
      horizon: 1,
      actions: [2, 3],
      initial: [1],
      reward: (_h, _s, a, i) => {
        if (i === 0) seen.push(a.join(''));
        expect(Object.isFrozen(a)).toBe(true);
        return 0;
      },
      transition: () => [1],
      divergence: 'kl',
      radius: 0,
    });
    expect(seen).toEqual(['00', '01', '02', '10', '11', '12']);
  });

  it('errors name the function call (h, s, a) that returned something bad', () => {
    const base: GameSpec = {
      states: 2,
      horizon: 2,
      actions: [2, 2],
      initial: [0.5, 0.5],
      reward: () => 0.5,
      transition: () => [0.5, 0.5],
      divergence: 'tv',
      radius: 0.1,
    };
    const cases: [Partial<GameSpec>, string][] = [
      [{ reward: (h, s, a, i) => (h === 1 && s === 0 && a[1] === 1 && i === 1 ? 1.5 : 0) }, 'reward(h=1, s=0, a=[0, 1], i=1): returned 1.5, expected a number in [0, 1]'],
      [{ reward: () => Number.NaN }, 'reward(h=0, s=0, a=[0, 0], i=0): returned NaN, expected a number in [0, 1]'],
      [{ transition: (h, s) => (h === 1 && s === 1 ? [0.5, 0.43] : [1, 0]) }, 'transition(h=1, s=1, a=[0, 0]): row sums to 0.93, expected 1'],
      [{ transition: () => [1.1, -0.1] }, 'transition(h=0, s=0, a=[0, 0])[1]: returned -0.1, expected a probability >= 0'],
      [{ transition: () => [1] }, 'transition(h=0, s=0, a=[0, 0]): returned 1 entries, expected 2 (S)'],
      [{ transition: () => ({ 2: 1 }) }, 'transition(h=0, s=0, a=[0, 0]): returned next state "2", expected a state in [0, 1]'],
      [{ transition: () => null as never }, 'transition(h=0, s=0, a=[0, 0]): returned null, expected an array of 2 probabilities'],
      [{ radius: (i, h, s) => (i === 1 && h === 0 && s === 1 ? -1 : 0) }, 'radius(i=1, h=0, s=1): returned -1, expected a finite number >= 0'],
      [{ radius: [0.1] }, 'radius: expected 2 entries (one per agent), got 1'],
      [{ initial: 2 }, 'initial: expected a state in [0, 1] or a distribution over states, got 2'],
      [{ divergence: 'chi2' as never }, 'divergence: expected "tv" or "kl", got "chi2"'],
      [{ states: 0 }, 'states: expected a positive integer, got 0'],
      [{ failureStates: [[1], [1]] }, 'failureStates[0]: agent 0, h 0, s 1, j 0: reward is 0.5, expected 0 in a failure state'],
    ];
    for (const [patch, message] of cases) {
      let caught: unknown;
      try {
        buildGame({ ...base, ...patch });
      } catch (e) {
        caught = e;
      }
      expect(caught, message).toBeInstanceOf(DrmgError);
      expect((caught as DrmgError).kind).toBe('input');
      expect((caught as DrmgError).message).toContain(message);
    }
  });
});
