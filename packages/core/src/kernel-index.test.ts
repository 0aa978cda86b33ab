import { describe, expect, it } from 'vitest';
import { createTabularGame } from './create-tabular-game.ts';
import { checkGameIntact } from './game-seal.ts';
import { isStateIndexArray, stateIndexArray } from './kernel-index.ts';
import type { Kernel, TabularGame } from './tabular-game.ts';

/**
 * H = 1, one agent with one action (J = 1), S states; row s goes to s + 1 (0.75) and, for s + 2 < S, to s + 2
 * (0.25); the last row stays. Small whatever S: about 2 S kernel entries.
 */
function chainKernel(S: number): { rowStart: number[]; next: number[]; prob: number[] } {
  const rowStart = [0], next: number[] = [], prob: number[] = [];
  for (let s = 0; s < S; s++) {
    if (s + 1 >= S) {
      next.push(s);
      prob.push(1);
    } else if (s + 2 >= S) {
      next.push(s + 1);
      prob.push(1);
    } else {
      next.push(s + 1, s + 2);
      prob.push(0.75, 0.25);
    }
    rowStart.push(next.length);
  }
  return { rowStart, next, prob };
}

function chainGame(S: number, kernel: Kernel): TabularGame {
  const initial = new Float64Array(S);
  initial[0] = 1;
  return createTabularGame({ name: `chain-${S}`, S, H: 1, A: [1], initial, reward: new Float64Array(S), kernel, divergence: 'tv', radius: 0.1 });
}

function csr(S: number, as: 'int32' | 'uint16' | 'numbers'): Kernel {
  const { rowStart, next, prob } = chainKernel(S);
  const nx = as === 'int32' ? Int32Array.from(next) : as === 'uint16' ? Uint16Array.from(next) : next;
  // A plain number array is accepted at run time (a kernel parsed from somewhere), though the type asks for a typed array.
  return { rowStart: Int32Array.from(rowStart), next: nx as Kernel['next'], prob: Float64Array.from(prob) };
}

describe('stateIndexArray', () => {
  it('is a Uint16Array up to S = 65,536 states and an Int32Array above', () => {
    for (const S of [1, 2, 200, 65_535, 65_536]) {
      const a = stateIndexArray(S, 3);
      expect(a).toBeInstanceOf(Uint16Array);
      expect(Array.from(a)).toEqual([0, 0, 0]);
    }
    for (const S of [65_537, 100_000, 2 ** 24]) expect(stateIndexArray(S, 3)).toBeInstanceOf(Int32Array);
    expect(stateIndexArray(65_536, 0).length).toBe(0);
  });

  it('copies given values into that type, the largest state included', () => {
    const small = stateIndexArray(65_536, [0, 7, 65_535]);
    expect(small).toBeInstanceOf(Uint16Array);
    expect(Array.from(small)).toEqual([0, 7, 65_535]);
    const large = stateIndexArray(65_537, [0, 65_535, 65_536]);
    expect(large).toBeInstanceOf(Int32Array);
    expect(Array.from(large)).toEqual([0, 65_535, 65_536]);
  });

  it('refuses a number of states that is not a positive integer', () => {
    expect(() => stateIndexArray(0, 1)).toThrow('S: expected a positive integer number of states, got 0');
    expect(() => stateIndexArray(2.5, 1)).toThrow('S: expected a positive integer number of states, got 2.5');
    expect(() => stateIndexArray(NaN, 1)).toThrow('S: expected a positive integer number of states');
  });

  it('isStateIndexArray accepts exactly the two element types', () => {
    expect(isStateIndexArray(new Uint16Array(2))).toBe(true);
    expect(isStateIndexArray(new Int32Array(2))).toBe(true);
    for (const x of [[0, 1], new Float64Array(2), new Uint32Array(2), new Int16Array(2), new Uint8Array(2), null, undefined, 3, { length: 0 }]) {
      expect(isStateIndexArray(x)).toBe(false);
    }
  });
});

describe('a game kernel stores next states as stateIndexArray(S)', () => {
  it('S = 65,536: a Uint16Array holding state 65,535', () => {
    const game = chainGame(65_536, csr(65_536, 'int32'));
    const { next, rowStart } = game.kernel;
    expect(next).toBeInstanceOf(Uint16Array);
    expect(next.length).toBe(2 * 65_536 - 2);
    expect(next.byteLength).toBe(2 * next.length);
    // Row 65,534 goes to 65,535 only; the last row stays at 65,535.
    expect(Array.from(next.subarray(rowStart[65_534], rowStart[65_536]))).toEqual([65_535, 65_535]);
    expect(Array.from(next.subarray(rowStart[0], rowStart[1]))).toEqual([1, 2]);
  });

  it('S = 65,537: an Int32Array holding state 65,536', () => {
    const game = chainGame(65_537, csr(65_537, 'numbers'));
    const { next, rowStart } = game.kernel;
    expect(next).toBeInstanceOf(Int32Array);
    expect(Array.from(next.subarray(rowStart[65_535], rowStart[65_537]))).toEqual([65_536, 65_536]);
    expect(Array.from(next.subarray(rowStart[65_534], rowStart[65_535]))).toEqual([65_535, 65_536]);
  });

  it('a dense kernel is stored as a Uint16Array too', () => {
    const game = createTabularGame({ S: 2, H: 1, A: [2], initial: [1, 0], reward: [0, 1, 0.5, 0], kernel: [0.5, 0.5, 0, 1, 1, 0, 0, 1], divergence: 'kl', radius: 0.2 });
    expect(game.kernel.next).toBeInstanceOf(Uint16Array);
    expect(Array.from(game.kernel.next)).toEqual([0, 1, 1, 0, 1]);
  });

  it('a CSR kernel with next as Int32Array, Uint16Array or plain numbers gives the identical kernel', () => {
    const S = 300;
    const [a, b, c] = (['int32', 'uint16', 'numbers'] as const).map((as) => chainGame(S, csr(S, as)).kernel);
    for (const k of [a, b, c]) {
      expect(k.next).toBeInstanceOf(Uint16Array);
      expect(k.rowStart).toBeInstanceOf(Int32Array);
      expect(k.prob).toBeInstanceOf(Float64Array);
    }
    expect(Array.from(a.next)).toEqual(chainKernel(S).next);
    expect(Array.from(b.next)).toEqual(Array.from(a.next));
    expect(Array.from(c.next)).toEqual(Array.from(a.next));
    expect(Array.from(b.rowStart)).toEqual(Array.from(a.rowStart));
    expect(Array.from(c.rowStart)).toEqual(Array.from(a.rowStart));
    expect(Array.from(b.prob)).toEqual(Array.from(a.prob));
    expect(Array.from(c.prob)).toEqual(Array.from(a.prob));
  });

  it('still checks the next states of a CSR kernel whatever their type', () => {
    const bad = csr(5, 'uint16');
    (bad.next as Uint16Array)[0] = 5; // row 0 is [5, 2]: out of range
    expect(() => chainGame(5, bad)).toThrow('kernel.next[0]: expected a state in [0, 4], got 5 (row transition[0][0][0])');
    const fractional = csr(5, 'numbers');
    (fractional.next as unknown as number[])[1] = 1.5;
    expect(() => chainGame(5, fractional)).toThrow('kernel.next[1]: expected a state in [0, 4], got 1.5 (row transition[0][0][0])');
  });
});

describe('the game seal with 16-bit next states', () => {
  it('catches a write into kernel.next, naming the row', () => {
    const game = chainGame(6, csr(6, 'int32'));
    expect(() => checkGameIntact(game)).not.toThrow();
    const next = game.kernel.next;
    expect(next).toBeInstanceOf(Uint16Array);
    const k = game.kernel.rowStart[3]; // row 3 = [4, 5]
    next[k] = 3;
    expect(() => checkGameIntact(game)).toThrow(/^game\.kernel: row 3 \(transition\[0\]\[3\]\[0\]: its prob or next entries\) was changed after the game was validated/);
    next[k] = 4;
    expect(() => checkGameIntact(game)).not.toThrow();
  });

  it('accepts a hand-assembled game whose next is an Int32Array of the same states, and refuses another element type', () => {
    const game = chainGame(6, csr(6, 'uint16'));
    const { rowStart, prob } = game.kernel;
    const wide = { ...game, kernel: { rowStart: Int32Array.from(rowStart), next: Int32Array.from(game.kernel.next), prob: Float64Array.from(prob) } };
    expect(() => checkGameIntact(wide)).not.toThrow();
    const float = { ...game, kernel: { rowStart, next: Float64Array.from(game.kernel.next) as unknown as Kernel['next'], prob: Float64Array.from(prob) } };
    expect(() => checkGameIntact(float)).toThrow(`game.kernel.next: expected a Uint16Array or an Int32Array (of next states) of rowStart[H*S*J] = ${prob.length} entries`);
  });
});
