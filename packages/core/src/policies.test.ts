import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DrmgError } from './drmg-error.ts';
import { checkJointPolicy, createProductPolicy, deterministicPolicy, productToJoint, uniformPolicy } from './policies.ts';
import { randomGame } from './random-game.ts';
import { createRng } from './rng.ts';

function rowSums(prob: Float64Array, J: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < prob.length / J; r++) {
    let sum = 0;
    for (let j = 0; j < J; j++) sum += prob[r * J + j];
    out.push(sum);
  }
  return out;
}

describe('policies', () => {
  it('productToJoint multiplies the marginals in the joint-action order (hand example)', () => {
    const g = randomGame(1, { S: 1, H: 1, A: [2, 3] });
    const p = createProductPolicy(g, (i) => (i === 0 ? [0.25, 0.75] : [0.5, 0.25, 0.25]));
    // j = a0*3 + a1: pi(j) = m0[a0] * m1[a1].
    const joint = productToJoint(p, g);
    expect(Array.from(joint.prob)).toEqual([0.125, 0.0625, 0.0625, 0.375, 0.1875, 0.1875]);
    expect([joint.kind, joint.H, joint.S, joint.J]).toEqual(['joint', 1, 1, 6]);
  });

  it('productToJoint: rows sum to exactly 1 and the joint marginals recover the input marginals (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }),
        fc.integer(),
        (S, H, A, seed) => {
          const g = randomGame(seed, { S, H, A, support: 1 });
          const rng = createRng(seed);
          const p = createProductPolicy(g, (i) => {
            const w = Array.from({ length: A[i] }, () => (rng() < 0.3 ? 0 : rng()));
            w[0] += 0.01;
            const t = w.reduce((x, y) => x + y, 0);
            return w.map((x) => x / t);
          });
          const out = new Float64Array(H * S * g.J);
          const joint = productToJoint(p, g, out);
          expect(joint.prob).toBe(out);
          expect(rowSums(joint.prob, g.J)).toEqual(new Array(H * S).fill(1));
          // Independent method: sum the joint over the other agents' actions.
          for (let hs = 0; hs < H * S; hs++) {
            for (let i = 0; i < g.m; i++) {
              const marg = new Array<number>(A[i]).fill(0);
              for (let j = 0; j < g.J; j++) marg[g.layout.actionOf[j * g.m + i]] += joint.prob[hs * g.J + j];
              for (let a = 0; a < A[i]; a++) expect(marg[a]).toBeCloseTo(p.marginals[i][hs * A[i] + a], 12);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('uniformPolicy rows are 1/J (to rounding) and sum to exactly 1', () => {
    for (const A of [[2, 2], [3], [2, 5], [3, 3, 3]]) {
      const g = randomGame(2, { S: 2, H: 2, A });
      const pi = uniformPolicy(g);
      expect(rowSums(pi.prob, g.J)).toEqual([1, 1, 1, 1]);
      for (const x of pi.prob) expect(Math.abs(x - 1 / g.J)).toBeLessThan(1e-15);
    }
  });

  it('deterministicPolicy is one-hot at the chosen joint action, and names a bad return value', () => {
    const g = randomGame(3, { S: 2, H: 2, A: [2, 2] });
    const pi = deterministicPolicy(g, (h, s) => h * 2 + s);
    // Rows (h, s) = (0,0),(0,1),(1,0),(1,1) pick j = 0, 1, 2, 3.
    expect(Array.from(pi.prob)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(() => deterministicPolicy(g, (h) => (h === 1 ? 4 : 0))).toThrow('jointAction(h=1, s=0): returned 4, expected a joint action in [0, 3]');
  });

  it('createProductPolicy and checkJointPolicy reject rows that are not distributions, naming the call or index', () => {
    const g = randomGame(4, { S: 2, H: 1, A: [2, 3] });
    const cases: [() => unknown, string][] = [
      [() => createProductPolicy(g, (i, _h, s) => (i === 1 && s === 1 ? [0.5, 0.5] : i === 0 ? [1, 0] : [1, 0, 0])), 'marginal(i=1, h=0, s=1): returned 2 entries, expected 3 (A[1])'],
      [() => createProductPolicy(g, (i) => (i === 0 ? [0.7, 0.2] : [1, 0, 0])), 'marginal(i=0, h=0, s=0): row sums to 0.9, expected 1'],
      [() => createProductPolicy(g, (i) => (i === 0 ? [1.5, -0.5] : [1, 0, 0])), 'marginal(i=0, h=0, s=0)[1]: returned -0.5, expected a probability >= 0'],
      [() => checkJointPolicy([1, 0, 0, 0, 0, 0, 0.5, 0.5, 0, 0, 0, 0.1], g), 'policy[0][1]: row sums to 1.1, expected 1'],
      [() => checkJointPolicy([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, Number.NaN], g), 'policy[0][1][5]: expected a finite number, got NaN'],
      [() => checkJointPolicy([1, 0, 0], g), 'policy: expected H*S*J = 12 entries, got 3'],
      [() => productToJoint({ kind: 'product', H: 1, S: 2, A: [2, 2], marginals: [new Float64Array(4), new Float64Array(4)] }, g), 'policy.A[1]: expected 3 actions'],
    ];
    for (const [f, message] of cases) {
      let caught: unknown;
      try {
        f();
      } catch (e) {
        caught = e;
      }
      expect(caught, message).toBeInstanceOf(DrmgError);
      expect((caught as DrmgError).message).toContain(message);
    }
  });
});
