import { createRng, DrmgError } from '@drmg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DictSpace } from './dict-space.ts';
import { Discrete } from './discrete.ts';
import { MultiDiscrete } from './multi-discrete.ts';
import { DEFAULT_SPACE_SEED } from './space-rng.ts';

describe('Discrete', () => {
  it('contains exactly the integers 0..n-1', () => {
    const d = new Discrete(3);
    expect([0, 1, 2].every((x) => d.contains(x))).toBe(true);
    expect([-1, 3, 1.5, NaN, '1', null, undefined].some((x) => d.contains(x))).toBe(false);
    expect(d.toString()).toBe('Discrete(3)');
  });
  it('samples inside the space, every element, deterministically per seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer(), (n, seed) => {
        const d = new Discrete(n);
        const a = createRng(seed);
        const b = createRng(seed);
        for (let k = 0; k < 20; k++) {
          const x = d.sample(a);
          expect(d.contains(x)).toBe(true);
          expect(d.sample(b)).toBe(x);
        }
      }),
    );
    const d = new Discrete(4);
    const rng = createRng(1);
    const seen = new Set(Array.from({ length: 200 }, () => d.sample(rng)));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]);
  });
  it('rejects a non-positive size with a DrmgError', () => {
    expect(() => new Discrete(0)).toThrow(DrmgError);
    expect(() => new Discrete(2.5)).toThrow(/positive integer/);
  });
});

describe('MultiDiscrete', () => {
  it('contains integer vectors within nvec, arrays or Int32Arrays', () => {
    const md = new MultiDiscrete([2, 3]);
    expect(md.contains([1, 2])).toBe(true);
    expect(md.contains(Int32Array.from([0, 0]))).toBe(true);
    expect(md.contains([2, 0])).toBe(false);
    expect(md.contains([0])).toBe(false);
    expect(md.contains([0, 0.5])).toBe(false);
    expect(md.contains('01')).toBe(false);
    const rng = createRng(3);
    for (let k = 0; k < 50; k++) expect(md.contains(md.sample(rng))).toBe(true);
    expect(md.toString()).toBe('MultiDiscrete([2, 3])');
  });
  it('rejects bad sizes naming the component', () => {
    expect(() => new MultiDiscrete([])).toThrow(DrmgError);
    expect(() => new MultiDiscrete([2, 0])).toThrow(/MultiDiscrete\(nvec\)\[1\]/);
  });
});

describe('DictSpace', () => {
  it('contains objects with exactly its keys, each in its sub-space', () => {
    const space = new DictSpace({ state: new Discrete(3), step: new Discrete(5) });
    expect(space.contains({ state: 2, step: 4 })).toBe(true);
    expect(space.contains({ state: 3, step: 0 })).toBe(false);
    expect(space.contains({ state: 0 })).toBe(false);
    expect(space.contains({ state: 0, step: 0, extra: 1 })).toBe(false);
    expect(space.contains([0, 0])).toBe(false);
    expect(space.contains(null)).toBe(false);
    const rng = createRng(5);
    for (let k = 0; k < 50; k++) expect(space.contains(space.sample(rng))).toBe(true);
    expect(space.toString()).toBe('Dict(state: Discrete(3), step: Discrete(5))');
  });
});

describe('sample() without a generator', () => {
  it("uses the space's own generator, seeded with DEFAULT_SPACE_SEED (0) until seed(n) says otherwise", () => {
    expect(DEFAULT_SPACE_SEED).toBe(0);
    const spaces = () => [new Discrete(7), new MultiDiscrete([3, 4, 5]), new DictSpace({ state: new Discrete(5), step: new Discrete(3) })] as const;
    const a = spaces();
    const b = spaces();
    for (let n = 0; n < 10; n++) {
      a.forEach((space, q) => {
        const x = space.sample();
        expect(space.contains(x)).toBe(true);
        expect(b[q].sample()).toEqual(x);
      });
    }
    // The default stream is createRng(DEFAULT_SPACE_SEED)'s, as if the caller had passed it.
    const d = new Discrete(7);
    const rng = createRng(DEFAULT_SPACE_SEED);
    expect(Array.from({ length: 20 }, () => d.sample())).toEqual(Array.from({ length: 20 }, () => new Discrete(7).sample(rng)));
  });

  it('seed(n) reseeds it (the same n replays the same samples), and a given generator leaves it alone', () => {
    const d = new MultiDiscrete([2, 9]);
    d.seed(42);
    const first = Array.from({ length: 8 }, () => d.sample());
    d.seed('42');
    d.sample(createRng(5)); // the caller's generator: the space's own stream does not move
    expect(Array.from({ length: 8 }, () => d.sample())).toEqual(first);
    const dict = new DictSpace({ a: new Discrete(4), b: new Discrete(4) });
    dict.seed(3);
    const x = dict.sample();
    dict.seed(3);
    expect(dict.sample()).toEqual(x);
    d.seed(43);
    expect(Array.from({ length: 8 }, () => d.sample())).not.toEqual(first);
  });

  it('says what is wrong with a generator that is not one, and with a bad seed', () => {
    const d = new Discrete(3);
    expect(() => d.sample(5 as never)).toThrow(DrmgError);
    expect(() => d.sample(5 as never)).toThrow(/^Discrete\(3\)\.sample\(rng\): expected a generator \(\) => number in \[0, 1\) such as createRng\(seed\) from @drmg\/core, or no argument \(the space's own generator: space\.seed\(n\), default seed 0\), got number$/);
    expect(() => new DictSpace({ a: d }).sample(null as never)).toThrow(/^Dict\.sample\(rng\): .* got null$/);
    expect(() => new MultiDiscrete([2]).seed(Number.NaN)).toThrow('MultiDiscrete([2]).seed(seed): expected a finite number or a string, got NaN');
  });
});
