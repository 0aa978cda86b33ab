import { createRng, DrmgError } from '@drmg/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DictSpace } from './dict-space.ts';
import { Discrete } from './discrete.ts';
import { MultiDiscrete } from './multi-discrete.ts';

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
