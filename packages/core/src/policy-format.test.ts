import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createProductPolicy, productToJoint } from './policies.ts';
import { parsePolicy, policyToJson } from './policy-format.ts';
import { randomGame } from './random-game.ts';
import { createRng } from './rng.ts';
import type { JointPolicy } from './tabular-game.ts';

describe('drmg-policy/1', () => {
  it('round trip: parsePolicy(policyToJson(pi)) equals pi for random correlated policies (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 3 }), fc.integer(), (S, H, A, seed) => {
        const g = randomGame(seed, { S, H, A, support: 1 });
        const rng = createRng(seed);
        const raw = Array.from({ length: H * S * g.J }, () => (rng() < 0.3 ? 0 : rng()));
        for (let r = 0; r < H * S; r++) {
          raw[r * g.J] += 0.01;
          let t = 0;
          for (let j = 0; j < g.J; j++) t += raw[r * g.J + j];
          for (let j = 0; j < g.J; j++) raw[r * g.J + j] /= t;
        }
        const pi = parsePolicy({ format: 'drmg-policy/1', policy: policyToJson({ kind: 'joint', H, S, J: g.J, prob: Float64Array.from(raw) }, g).policy }, g);
        const back = parsePolicy(JSON.parse(JSON.stringify(policyToJson(pi, g))), g);
        expect(Array.from(back.prob)).toEqual(Array.from(pi.prob));
        for (let k = 0; k < raw.length; k++) expect(pi.prob[k]).toBeCloseTo(raw[k], 14);
      }),
      { numRuns: 150 },
    );
  });

  it('writes a product policy as the product of its marginals, nested [H][S][J]', () => {
    const g = randomGame(5, { S: 2, H: 1, A: [2, 2] });
    const p = createProductPolicy(g, (i, _h, s) => (i === 0 ? [0.5, 0.5] : s === 0 ? [1, 0] : [0.25, 0.75]));
    const doc = policyToJson(p, g);
    expect(doc).toEqual({ format: 'drmg-policy/1', policy: [[[0.5, 0, 0.5, 0], [0.125, 0.375, 0.125, 0.375]]] });
    const back: JointPolicy = parsePolicy(doc, g);
    expect(Array.from(back.prob)).toEqual(Array.from(productToJoint(p, g).prob));
  });

  it('ignores unknown fields and renormalises rows within 1e-9 to sum to exactly 1', () => {
    const g = randomGame(6, { S: 1, H: 1, A: [3] });
    const pi = parsePolicy({ format: 'drmg-policy/1', note: 'x', policy: [[[0.2, 0.3, 0.5 + 6e-10]]] }, g);
    expect(pi.prob[0] + pi.prob[1] + pi.prob[2]).toBe(1);
    expect(pi.prob[2]).toBeCloseTo(0.5, 9);
  });
});
