import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DrmgError } from './drmg-error.ts';
import { checkFailureStates, createTabularGame } from './create-tabular-game.ts';
import type { TabularGameParts } from './create-tabular-game.ts';
import { normaliseSlice } from './input-checks.ts';
import { randomGame } from './random-game.ts';

/** S = 3, H = 2, A = [2] (J = 2): a dense kernel with zeros in it. */
function smallParts(): TabularGameParts {
  // Rows r = (h*S + s)*J + j, each of length S.
  const kernel = [
    [0, 1, 0], [0.5, 0, 0.5], // h 0, s 0
    [0, 0, 1], [0.25, 0.75, 0], // h 0, s 1
    [0, 0, 1], [0, 0, 1], // h 0, s 2
    [1, 0, 0], [0.2, 0.3, 0.5], // h 1, s 0
    [0, 1, 0], [0, 0.5, 0.5], // h 1, s 1
    [0, 0, 1], [0, 0, 1], // h 1, s 2
  ].flat();
  const reward = Array.from({ length: 2 * 3 * 2 }, (_, k) => (k % 5) / 4);
  for (let h = 0; h < 2; h++) for (let j = 0; j < 2; j++) reward[(h * 3 + 2) * 2 + j] = 0;
  return { name: 'small', S: 3, H: 2, A: [2], initial: [0.5, 0.5, 0], reward, kernel, divergence: 'tv', radius: 0.1 };
}

describe('createTabularGame', () => {
  it('stores the dense kernel as CSR without zeros, next states strictly increasing', () => {
    const g = createTabularGame(smallParts());
    expect(g.J).toBe(2);
    expect(g.m).toBe(1);
    // Nonzeros per row of the kernel above: 1,2, 1,2, 1,1, 1,3, 1,2, 1,1 -> 17 in all.
    expect(Array.from(g.kernel.rowStart)).toEqual([0, 1, 3, 4, 6, 7, 8, 9, 12, 13, 15, 16, 17]);
    expect(Array.from(g.kernel.next)).toEqual([1, 0, 2, 2, 0, 1, 2, 2, 0, 0, 1, 2, 1, 1, 2, 2, 2]);
    expect(Array.from(g.kernel.prob)).toEqual([1, 0.5, 0.5, 1, 0.25, 0.75, 1, 1, 1, 0.2, 0.3, 0.5, 1, 0.5, 0.5, 1, 1]);
    for (let k = 0; k < g.kernel.prob.length; k++) expect(g.kernel.prob[k]).toBeGreaterThan(0);
  });

  it('expands the radius: one number, one per agent, or per (i, h, s)', () => {
    const base = { ...smallParts(), A: [1, 2] };
    base.reward = new Array(2 * 3 * 2 * 2).fill(0);
    const g1 = createTabularGame({ ...base, radius: 0.3 });
    expect(Array.from(g1.radius)).toEqual(new Array(12).fill(0.3));
    const g2 = createTabularGame({ ...base, radius: [0.1, 0.4] });
    expect(Array.from(g2.radius)).toEqual([...new Array(6).fill(0.1), ...new Array(6).fill(0.4)]);
    const per = Array.from({ length: 12 }, (_, k) => k / 10);
    const g3 = createTabularGame({ ...base, radius: per });
    // rho[(i*H + h)*S + s]: agent 1, step 1, state 2 is entry (1*2 + 1)*3 + 2 = 11.
    expect(g3.radius[11]).toBe(1.1);
    expect(Array.from(g3.radius)).toEqual(per);
  });

  it('copies its input: later writes to the caller arrays do not change the game', () => {
    const parts = smallParts();
    const reward = Float64Array.from(parts.reward as number[]);
    const g = createTabularGame({ ...parts, reward });
    reward[0] = 0.987;
    expect(g.reward[0]).toBe(0);
  });

  it('accepts a CSR kernel and agrees with the dense one; zeros in CSR are dropped too', () => {
    const dense = createTabularGame(smallParts());
    const { rowStart, next, prob } = dense.kernel;
    // Insert an explicit zero entry for next state 2 in row 0 (next 1 -> [1, 2]).
    const rs = Int32Array.from(rowStart, (x, r) => (r === 0 ? x : x + 1));
    const nx = Int32Array.from([1, 2, ...Array.from(next).slice(1)]);
    const pr = Float64Array.from([1, 0, ...Array.from(prob).slice(1)]);
    const csr = createTabularGame({ ...smallParts(), kernel: { rowStart: rs, next: nx, prob: pr } });
    expect(Array.from(csr.kernel.rowStart)).toEqual(Array.from(rowStart));
    expect(Array.from(csr.kernel.next)).toEqual(Array.from(next));
    expect(Array.from(csr.kernel.prob)).toEqual(Array.from(prob));
  });

  it('rejects CSR next states that are not strictly increasing', () => {
    const g = createTabularGame(smallParts());
    const next = Int32Array.from(g.kernel.next);
    next[1] = 2;
    next[2] = 0; // row 1 is now [2, 0]
    expect(() => createTabularGame({ ...smallParts(), kernel: { ...g.kernel, next } })).toThrow(
      'kernel.next[2]: next states must be strictly increasing within a row, got 0 after 2 (row transition[0][0][1])',
    );
  });

  it('renormalises rows within 1e-9 of 1 so that they sum to exactly 1', () => {
    const parts = smallParts();
    const kernel = (parts.kernel as number[]).slice();
    kernel[3] = 0.5 + 4e-10; // row 1 = [0.5 + 4e-10, 0, 0.5]
    const g = createTabularGame({ ...parts, kernel, initial: [0.5, 0.5 - 6e-10, 0] });
    const { rowStart, prob } = g.kernel;
    for (let r = 0; r + 1 < rowStart.length; r++) {
      let sum = 0;
      for (let k = rowStart[r]; k < rowStart[r + 1]; k++) sum += prob[k];
      expect(sum).toBe(1);
    }
    expect(g.initial[0] + g.initial[1] + g.initial[2]).toBe(1);
    expect(prob[1]).toBeCloseTo(0.5 + 2e-10, 15);
  });

  it('normaliseSlice: left-to-right sum is exactly 1 and a second pass changes nothing (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 1e-6, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 }), (ws) => {
        const p = Float64Array.from(ws);
        let total = 0;
        for (const w of ws) total += w;
        for (let k = 0; k < p.length; k++) p[k] /= total;
        normaliseSlice(p, 0, p.length);
        let sum = 0;
        for (let k = 0; k < p.length; k++) sum += p[k];
        expect(sum).toBe(1);
        const again = Float64Array.from(p);
        normaliseSlice(again, 0, again.length);
        expect(Array.from(again)).toEqual(Array.from(p));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps failure states that hold and rejects a claim that does not, naming agent, h, s, j', () => {
    const parts = smallParts();
    // State 2 is absorbing with reward 0 for the single agent.
    const g = createTabularGame({ ...parts, failureStates: [[2]] });
    expect(g.failureStates).toEqual([[2]]);
    expect(checkFailureStates(g, [[2]])).toBeNull();
    // State 1 is not absorbing: at h 0, j 1 it moves to state 0 with probability 0.25.
    expect(checkFailureStates(g, [[1]])).toMatch(/^agent 0, h 0, s 1, j 0: reward is 0\.5, expected 0/);
    const zeroReward = createTabularGame({ ...parts, reward: new Array(12).fill(0) });
    // At h 0, s 1, j 0 the row is [0, 0, 1]: no mass stays in {1}.
    expect(checkFailureStates(zeroReward, [[1]])).toBe(
      'agent 0, h 0, s 1, j 0: the nominal kernel keeps 0 of its mass inside the failure set {1}, expected at least 1 - 1e-9 (failure states must be absorbing)',
    );
    // {1, 2} is closed at h 0 only when j = 0 ([0, 0, 1]); j = 1 leaks 0.25 to state 0.
    expect(checkFailureStates(zeroReward, [[1, 2]])).toMatch(/^agent 0, h 0, s 1, j 1: the nominal kernel keeps 0\.75/);
    expect(() => createTabularGame({ ...parts, reward: new Array(12).fill(0), failureStates: [[2, 1]] })).toThrow(
      'failureStates[0]: agent 0, h 0, s 1, j 1: the nominal kernel keeps 0.75',
    );
  });

  it('every bad input throws an input DrmgError with a path', () => {
    const bad: [Partial<TabularGameParts>, string][] = [
      [{ S: 0 }, 'states: expected a positive integer, got 0'],
      [{ H: 1.5 }, 'horizon: expected a positive integer, got 1.5'],
      [{ A: [2, -1] }, 'actions[1]: expected a positive integer, got -1'],
      [{ initial: [0.5, 0.4, 0] }, 'initial: sums to 0.9, expected 1'],
      [{ divergence: 'chi2' as never }, 'uncertainty.divergence: expected "tv" or "kl", got "chi2"'],
      [{ radius: -0.1 }, 'uncertainty.radius: expected a radius >= 0, got -0.1'],
      [{ radius: [0.1, 0.2] }, 'uncertainty.radius: expected one number, 1 numbers (one per agent) or 6 numbers (m*H*S), got 2'],
      [{ reward: new Array(11).fill(0) }, 'reward: expected H*S*J*m = 12 entries, got 11'],
      [{ kernel: new Array(35).fill(0) }, 'transition: expected H*S*J*S = 36 entries, got 35'],
      [{ S: 2 ** 14, H: 2 ** 14 }, 'reward: too large: H*S*J*m = 536870912 entries exceeds the limit of 2^27'],
      [{ S: 2 ** 14 }, 'transition: too large: H*S*J*S = 1073741824 entries exceeds the limit of 2^27'],
      [{ labels: { states: ['a', 'b'] } }, 'labels.states: expected 3 entries (S), got 2'],
      [{ failureStates: [[3]] }, 'failureStates[0][0]: expected a state in [0, 2], got 3'],
    ];
    for (const [patch, message] of bad) {
      let caught: unknown;
      try {
        createTabularGame({ ...smallParts(), ...patch });
      } catch (e) {
        caught = e;
      }
      expect(caught, message).toBeInstanceOf(DrmgError);
      expect((caught as DrmgError).kind).toBe('input');
      expect((caught as DrmgError).message).toContain(message);
    }
  });

  it('random games are deterministic per seed and satisfy the layout invariants', () => {
    const a = randomGame(7, { S: 4, H: 3, A: [2, 3], support: 2, radius: 'state' });
    const b = randomGame(7, { S: 4, H: 3, A: [2, 3], support: 2, radius: 'state' });
    expect(Array.from(a.kernel.prob)).toEqual(Array.from(b.kernel.prob));
    expect(Array.from(a.reward)).toEqual(Array.from(b.reward));
    const { rowStart, next } = a.kernel;
    expect(rowStart.length).toBe(3 * 4 * 6 + 1);
    for (let r = 0; r + 1 < rowStart.length; r++) {
      const n = rowStart[r + 1] - rowStart[r];
      expect(n >= 1 && n <= 2).toBe(true);
      for (let k = rowStart[r] + 1; k < rowStart[r + 1]; k++) expect(next[k]).toBeGreaterThan(next[k - 1]);
    }
  });
});
