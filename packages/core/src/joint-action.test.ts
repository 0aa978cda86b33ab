import { describe, expect, it } from 'vitest';
import { decodeJointAction, encodeJointAction, jointActionLayout } from './joint-action.ts';

describe('jointActionLayout', () => {
  it('matches numpy ravel_multi_index order (agent 0 most significant)', () => {
    // numpy.ravel_multi_index((1, 2, 0), (2, 3, 2)) == 10
    const L = jointActionLayout([2, 3, 2]);
    expect(L.J).toBe(12);
    expect(encodeJointAction(L, [1, 2, 0])).toBe(10);
    expect(decodeJointAction(L, 10)).toEqual([1, 2, 0]);
    for (let j = 0; j < L.J; j++) expect(encodeJointAction(L, decodeJointAction(L, j))).toBe(j);
  });
  it('rejects bad action counts with the index', () => {
    expect(() => jointActionLayout([2, 0])).toThrow('actions[1]: expected a positive integer, got 0');
  });
});
