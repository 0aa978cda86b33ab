/**
 * Known values of the exact robust evaluation, derived by hand: the paper's "initial shock" game
 * (Appendix D.1, Example 1), the coordination example of formats.md, pure and mixed equilibria of
 * one-state games; and the inequalities that hold for every game (checked with fast-check).
 */
import { DrmgError, buildGame, createRng } from '@drmg/core';
import type { JointPolicy, Policy, ProductPolicy, TabularGame } from '@drmg/core';
import { createEvaluator, evaluatePolicy, evaluationToJson, initialGap } from '@drmg/evaluators';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { denseToTabular, randomDenseGame, randomDistribution } from './reference-evaluator.ts';

const GOOD = 0;
const BAD = 1;

/**
 * The initial-shock game with M actions per agent and secret a* = (M-1, M-1): reward 1 in good; in bad
 * reward 1 only under a*; good stays good; bad -> good under a*, else stays bad; agent i's TV radius
 * rho[i] at step 0 in good only.
 */
function initialShock(H: number, M: number, rho: readonly [number, number]): TabularGame {
  const star = (a: readonly number[]) => a[0] === M - 1 && a[1] === M - 1;
  return buildGame({
    name: 'initial-shock',
    states: 2,
    horizon: H,
    actions: [M, M],
    initial: GOOD,
    reward: (_h, s, a) => (s === GOOD || star(a) ? 1 : 0),
    transition: (_h, s, a) => (s === GOOD || star(a) ? [1, 0] : [0, 1]),
    divergence: 'tv',
    radius: (i, h, s) => (h === 0 && s === GOOD ? rho[i] : 0),
  });
}

/** d_n(q) = sum_{k=1..n} (1-q)^k: the expected reward lost from n steps left in bad (see below). */
function lost(n: number, q: number): number {
  let d = 0;
  for (let k = 1; k <= n; k++) d += (1 - q) ** k;
  return d;
}

/** A product policy whose agent i plays its secret action M-1 w.p. p[i] in bad, uniformly otherwise; any row in good. */
function shockProduct(game: TabularGame, p: readonly [number, number], rng: () => number): ProductPolicy {
  const M = game.A[0];
  const marginals = [0, 1].map((i) => {
    const t = new Float64Array(game.H * 2 * M);
    for (let h = 0; h < game.H; h++) {
      t.set(randomDistribution(rng, M), (h * 2 + GOOD) * M);
      for (let a = 0; a < M - 1; a++) t[(h * 2 + BAD) * M + a] = (1 - p[i]) / (M - 1);
      t[(h * 2 + BAD) * M + M - 1] = p[i];
    }
    return t;
  });
  return { kind: 'product', H: game.H, S: 2, A: [M, M], marginals };
}

describe('initial shock (paper Example 1), closed form', () => {
  /*
   * Derivation. After step 0 there is no uncertainty and good is absorbing with reward 1, so
   * V_h(good) = H - h for h >= 1. Let q = pi_h(a* | bad) (the same at every h). From bad with n steps
   * left: b_n = q (1 + (n - 1)) + (1 - q) b_{n-1}, b_0 = 0. The loss d_n = n - b_n satisfies
   * d_n = (1 - q)(1 + d_{n-1}), d_0 = 0, so d_n = sum_{k=1..n} (1-q)^k, and V_0(bad) = H - d_H(q).
   * At step 0 in good the TV adversary of agent i moves rho_i of the mass onto the lowest-value state,
   * bad (V_1(bad) = H - 1 - d_{H-1} <= H - 1 = V_1(good), and bad is outside the nominal support):
   * V_{i,0}(good) = 1 + (1 - rho_i)(H - 1) + rho_i (H - 1 - d_{H-1}(q)) = H - rho_i d_{H-1}(q).
   * Best response of agent i: in bad, playing a*_i maximises both the reward and the escape chance
   * (1 + V(good) >= V(bad)), so the escape probability becomes p_{-i} = P(others play a*_{-i}):
   * B_{i,0}(good) = H - rho_i d_{H-1}(p_{-i}),  B_{i,0}(bad) = H - d_H(p_{-i}).
   * For a product policy q = p_0 p_1 and the swap best response equals the best response (the
   * recommendation carries no information about the others).
   */
  it('product policies: V, best response, swap best response, gaps', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 2, max: 3 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (H, M, p0, p1, r0, r1, seed) => {
          const game = initialShock(H, M, [r0, r1]);
          const ev = evaluatePolicy(game, shockProduct(game, [p0, p1], createRng(seed)));
          const q = p0 * p1;
          const rho = [r0, r1];
          const pOther = [p1, p0];
          for (let i = 0; i < 2; i++) {
            expect(ev.value[i * 2 + GOOD]).toBeCloseTo(H - rho[i] * lost(H - 1, q), 12);
            expect(ev.value[i * 2 + BAD]).toBeCloseTo(H - lost(H, q), 12);
            expect(ev.bestResponse[i * 2 + GOOD]).toBeCloseTo(H - rho[i] * lost(H - 1, pOther[i]), 12);
            expect(ev.bestResponse[i * 2 + BAD]).toBeCloseTo(H - lost(H, pOther[i]), 12);
            expect(ev.swapBestResponse[i * 2 + GOOD]).toBeCloseTo(ev.bestResponse[i * 2 + GOOD], 12);
            expect(ev.swapBestResponse[i * 2 + BAD]).toBeCloseTo(ev.bestResponse[i * 2 + BAD], 12);
          }
          const gapGood = Math.max(r0 * (lost(H - 1, q) - lost(H - 1, p1)), r1 * (lost(H - 1, q) - lost(H - 1, p0)));
          expect(ev.gap[GOOD]).toBeCloseTo(gapGood, 12);
          expect(ev.gap[BAD]).toBeCloseTo(Math.max(lost(H, q) - lost(H, p1), lost(H, q) - lost(H, p0)), 12);
          expect(initialGap(game, ev)).toBeCloseTo(gapGood, 12);
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  /*
   * Correlated policy, M = 2, a* = (1, 1): in bad pi(1,1) = q, pi(1,0) = pi(0,1) = c, pi(0,0) = 1 - q - 2c.
   * V uses the escape probability q. Each agent's others-marginal plays 1 w.p. q + c, so B uses q + c.
   * Swap of agent 0: recommended 1 -> keep 1 (escape w.p. q, no gain from 0); recommended 0 -> switch
   * to 1 (escape w.p. c instead of 0): the escape probability is q + c again, so C = B.
   */
  it('a correlated policy in bad: V with q, B and C with q + c', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (H, qRaw, cRaw, r0, r1) => {
          const q = qRaw;
          const c = (cRaw * (1 - q)) / 2;
          const game = initialShock(H, 2, [r0, r1]);
          const prob = new Float64Array(H * 2 * 4);
          for (let h = 0; h < H; h++) {
            prob.set([0.25, 0.25, 0.25, 0.25], (h * 2 + GOOD) * 4);
            prob.set([Math.max(0, 1 - q - 2 * c), c, c, q], (h * 2 + BAD) * 4);
          }
          const ev = evaluatePolicy(game, { kind: 'joint', H, S: 2, J: 4, prob });
          const rho = [r0, r1];
          for (let i = 0; i < 2; i++) {
            expect(ev.value[i * 2 + GOOD]).toBeCloseTo(H - rho[i] * lost(H - 1, q), 12);
            expect(ev.value[i * 2 + BAD]).toBeCloseTo(H - lost(H, q), 12);
            expect(ev.bestResponse[i * 2 + GOOD]).toBeCloseTo(H - rho[i] * lost(H - 1, q + c), 12);
            expect(ev.bestResponse[i * 2 + BAD]).toBeCloseTo(H - lost(H, q + c), 12);
            expect(ev.swapBestResponse[i * 2 + GOOD]).toBeCloseTo(H - rho[i] * lost(H - 1, q + c), 12);
            expect(ev.swapBestResponse[i * 2 + BAD]).toBeCloseTo(H - lost(H, q + c), 12);
          }
        },
      ),
      { numRuns: 100, seed: 12 },
    );
  });

  it('worked numbers: H = 3, rho = 0.2, uniform policy over 2 x 2 actions (q = 1/4)', () => {
    // d_2(1/4) = 3/4 + 9/16 = 21/16, so V(good) = 3 - 0.2 * 21/16 = 2.7375; d_3 = 21/16 + 27/64 = 111/64,
    // V(bad) = 3 - 111/64 = 1.265625. Best response: p_{-i} = 1/2, d_2 = 3/4, B(good) = 3 - 0.15 = 2.85.
    const game = initialShock(3, 2, [0.2, 0.2]);
    const uniform: JointPolicy = { kind: 'joint', H: 3, S: 2, J: 4, prob: new Float64Array(24).fill(0.25) };
    const ev = evaluatePolicy(game, uniform);
    expect(ev.value[GOOD]).toBeCloseTo(2.7375, 14);
    expect(ev.value[BAD]).toBeCloseTo(1.265625, 14);
    expect(ev.bestResponse[GOOD]).toBeCloseTo(2.85, 14);
    expect(ev.gap[GOOD]).toBeCloseTo(0.1125, 14);
    expect(ev.ceGap[GOOD]).toBeCloseTo(0.1125, 14);
  });
});

/** A one-state game from payoff[j] = [r_0, r_1] (J = 4, 2 x 2 actions) with horizon H and a TV radius. */
function oneState(payoff: number[][], H = 1, A: number[] = [2, 2]): TabularGame {
  return buildGame({
    states: 1,
    horizon: H,
    actions: A,
    initial: 0,
    reward: (_h, _s, a, i) => payoff[a[0] * A[1] + a[1]][i],
    transition: () => [1],
    divergence: 'tv',
    radius: 0.3,
  });
}

function stationary(H: number, row: number[]): JointPolicy {
  const prob = new Float64Array(H * row.length);
  for (let h = 0; h < H; h++) prob.set(row, h * row.length);
  return { kind: 'joint', H, S: 1, J: row.length, prob };
}

describe('one-state games with known gaps', () => {
  it('coordination (formats.md): a fair coin over (0,0), (1,1) has gap -0.5 and ceGap 0', () => {
    // V_i = 1; against the uniform marginal any fixed action earns 1/2; a swap can only keep the
    // recommendation (which the other agent matches), so C_i = 1.
    const game = oneState([[1, 1], [0, 0], [0, 0], [1, 1]]);
    const ev = evaluatePolicy(game, stationary(1, [0.5, 0, 0, 0.5]));
    expect(Array.from(ev.value)).toEqual([1, 1]);
    expect(Array.from(ev.bestResponse)).toEqual([0.5, 0.5]);
    expect(Array.from(ev.swapBestResponse)).toEqual([1, 1]);
    expect(ev.gap[0]).toBe(-0.5);
    expect(ev.ceGap[0]).toBe(0);
  });

  it("prisoner's dilemma: (D, D) is a pure NE (gap 0); (C, C) has gap 1/3, per step over H = 4", () => {
    // Actions 0 = C, 1 = D; payoffs (C,C) = 2/3, (C,D) = (0, 1), (D,C) = (1, 0), (D,D) = 1/3.
    // One absorbing state: sigma of a constant is that constant, so values add up over the H steps.
    const game = oneState([[2 / 3, 2 / 3], [0, 1], [1, 0], [1 / 3, 1 / 3]], 4);
    const dd = evaluatePolicy(game, stationary(4, [0, 0, 0, 1]));
    expect(dd.value[0]).toBeCloseTo(4 / 3, 14);
    expect(dd.gap[0]).toBe(0);
    expect(dd.ceGap[0]).toBe(0);
    const cc = evaluatePolicy(game, stationary(4, [1, 0, 0, 0]));
    expect(cc.gap[0]).toBeCloseTo(4 / 3, 14);
    expect(cc.ceGap[0]).toBeCloseTo(4 / 3, 14);
  });

  it('matching pennies: uniform play is the NE (gaps 0); a pure profile has gap 1', () => {
    const game = oneState([[1, 0], [0, 1], [0, 1], [1, 0]]);
    const uniform: ProductPolicy = { kind: 'product', H: 1, S: 1, A: [2, 2], marginals: [Float64Array.of(0.5, 0.5), Float64Array.of(0.5, 0.5)] };
    const ev = evaluatePolicy(game, uniform);
    expect(Array.from(ev.value)).toEqual([0.5, 0.5]);
    expect(ev.gap[0]).toBe(0);
    expect(ev.ceGap[0]).toBe(0);
    expect(evaluatePolicy(game, stationary(1, [1, 0, 0, 0])).gap[0]).toBe(1);
  });

  it('chicken: the correlated equilibrium uniform over (D,C), (C,D), (C,C) has ceGap 0 and gap -1/21', () => {
    // Chicken (0 = dare D, 1 = chicken C), payoffs /7: (D,D) = 0, (D,C) = (7, 2), (C,D) = (2, 7), (C,C) = (6, 6).
    // Aumann's (1974) CE, uniform over (D,C), (C,D), (C,C), gives V_i = (7 + 2 + 6)/21 = 5/7. Told D, the
    // other plays C, and D (7) beats C (6); told C, the other plays D or C w.p. 1/2: C gives (2 + 6)/2 = 4,
    // D gives (0 + 7)/2 = 3.5. So no swap gains: ceGap = 0. Against the marginal (D 1/3, C 2/3) a fixed
    // action earns D: 2/3 * 7/7 = 14/21, C: (2 + 2*6)/21 = 14/21, so gap = 14/21 - 15/21 = -1/21.
    const game = oneState([[0, 0], [1, 2 / 7], [2 / 7, 1], [6 / 7, 6 / 7]]);
    const ev = evaluatePolicy(game, stationary(1, [0, 1 / 3, 1 / 3, 1 / 3]));
    expect(ev.value[0]).toBeCloseTo(5 / 7, 14);
    expect(ev.ceGap[0]).toBeCloseTo(0, 14);
    expect(ev.gap[0]).toBeCloseTo(-1 / 21, 14);
  });
});

/** A random game of the reference generator (1-3 agents, sparse rows, per-(h, s) radii). */
function randomGameFromSeed(seed: number, divergence: 'tv' | 'kl'): TabularGame {
  const rng = createRng(seed);
  const m = 1 + Math.floor(rng() * 3);
  const A = Array.from({ length: m }, () => 1 + Math.floor(rng() * (m === 3 ? 2 : 3)));
  return denseToTabular(randomDenseGame(rng, { m, A, S: 1 + Math.floor(rng() * 4), H: 1 + Math.floor(rng() * 3), divergence }));
}

function randomJoint(game: TabularGame, rng: () => number): JointPolicy {
  const prob = new Float64Array(game.H * game.S * game.J);
  for (let r = 0; r < game.H * game.S; r++) prob.set(randomDistribution(rng, game.J, 1 + Math.floor(rng() * game.J)), r * game.J);
  return { kind: 'joint', H: game.H, S: game.S, J: game.J, prob };
}

function randomProduct(game: TabularGame, rng: () => number): ProductPolicy {
  const marginals = game.A.map((Ai) => {
    const t = new Float64Array(game.H * game.S * Ai);
    for (let r = 0; r < game.H * game.S; r++) t.set(randomDistribution(rng, Ai, 1 + Math.floor(rng() * Ai)), r * Ai);
    return t;
  });
  return { kind: 'product', H: game.H, S: game.S, A: [...game.A], marginals };
}

/** pi_h(j|s) = prod_i marginal_i(a_i(j)|s), written out as a joint policy. */
function expandProduct(game: TabularGame, b: ProductPolicy): JointPolicy {
  const prob = new Float64Array(game.H * game.S * game.J);
  for (let r = 0; r < game.H * game.S; r++) {
    for (let j = 0; j < game.J; j++) {
      let p = 1;
      for (let i = 0; i < game.m; i++) p *= b.marginals[i][r * game.A[i] + game.layout.actionOf[j * game.m + i]];
      prob[r * game.J + j] = p;
    }
  }
  return { kind: 'joint', H: game.H, S: game.S, J: game.J, prob };
}

function withRadius(game: TabularGame, scale: number): TabularGame {
  return { ...game, radius: game.radius.map((r) => r * scale) };
}

describe('inequalities that hold for every game (fast-check)', () => {
  const EPS = 1e-12;
  for (const divergence of ['tv', 'kl'] as const) {
    it(`${divergence}: product policies have gap >= 0 and ceGap = gap (also when run as joint); every policy has ceGap >= 0, swap >= best`, () => {
      fc.assert(
        fc.property(fc.integer(), (seed) => {
          const game = randomGameFromSeed(seed, divergence);
          const rng = createRng(seed + 1);
          const evaluator = createEvaluator(game);
          const productPolicy = randomProduct(game, rng);
          const product = evaluator.evaluate(productPolicy);
          // The same distribution as a joint policy runs the swap pass itself (for 'product' it is skipped, C = B).
          const expanded = evaluator.evaluate(expandProduct(game, productPolicy));
          for (let s = 0; s < game.S; s++) {
            expect(product.gap[s]).toBeGreaterThanOrEqual(-EPS);
            expect(product.ceGap[s]).toBe(product.gap[s]);
            expect(Math.abs(expanded.ceGap[s] - expanded.gap[s])).toBeLessThan(1e-10);
            expect(Math.abs(expanded.gap[s] - product.gap[s])).toBeLessThan(1e-10);
          }
          for (const ev of [product, expanded, evaluator.evaluate(randomJoint(game, rng))]) {
            for (let s = 0; s < game.S; s++) expect(ev.ceGap[s]).toBeGreaterThanOrEqual(-EPS);
            for (let k = 0; k < game.m * game.S; k++) {
              const h0 = game.H;
              expect(ev.swapBestResponse[k]).toBeGreaterThanOrEqual(ev.bestResponse[k] - EPS);
              expect(ev.value[k]).toBeGreaterThanOrEqual(-EPS);
              expect(ev.bestResponse[k]).toBeLessThanOrEqual(h0 + EPS);
              expect(ev.swapBestResponse[k]).toBeLessThanOrEqual(h0 + EPS);
            }
          }
        }),
        { numRuns: 200, seed: 21 },
      );
    });

    it(`${divergence}: the robust value is non-increasing in the radius, and rho = 0 gives the nominal value`, () => {
      fc.assert(
        fc.property(fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), (seed, t) => {
          const game = randomGameFromSeed(seed, divergence);
          const policy = randomJoint(game, createRng(seed + 2));
          const full = evaluatePolicy(game, policy, { bestResponse: false, swap: false }).value;
          const part = evaluatePolicy(withRadius(game, t), policy, { bestResponse: false, swap: false }).value;
          const none = evaluatePolicy(withRadius(game, 0), policy, { bestResponse: false, swap: false }).value;
          // Nominal value by the plain expectation recursion on the CSR kernel.
          const { S, H, J, m } = game;
          for (let i = 0; i < m; i++) {
            let V = new Float64Array(S);
            for (let h = H - 1; h >= 0; h--) {
              const W = new Float64Array(S);
              for (let s = 0; s < S; s++) {
                for (let j = 0; j < J; j++) {
                  const r = (h * S + s) * J + j;
                  let cont = 0;
                  for (let k = game.kernel.rowStart[r]; k < game.kernel.rowStart[r + 1]; k++) cont += game.kernel.prob[k] * V[game.kernel.next[k]];
                  W[s] += policy.prob[r] * (game.reward[r * m + i] + cont);
                }
              }
              V = W;
            }
            for (let s = 0; s < S; s++) {
              expect(none[i * S + s]).toBeCloseTo(V[s], 12);
              expect(part[i * S + s]).toBeGreaterThanOrEqual(full[i * S + s] - EPS);
              expect(none[i * S + s]).toBeGreaterThanOrEqual(part[i * S + s] - EPS);
            }
          }
        }),
        { numRuns: 150, seed: 22 },
      );
    });
  }
});

describe('API behaviour', () => {
  const game = randomGameFromSeed(5, 'kl');
  const rng = createRng(99);
  const a = randomJoint(game, rng);
  const b = randomProduct(game, rng);

  it('one evaluator reused across policies gives the same bytes as fresh evaluators', () => {
    const evaluator = createEvaluator(game);
    const first = evaluationToJson(evaluator.evaluate(a));
    evaluator.evaluate(b);
    evaluator.worstCaseKernel(b, 0);
    evaluator.valueTable(b, game.m - 1);
    evaluator.bestResponseTable(a, 0);
    expect(JSON.stringify(evaluationToJson(evaluator.evaluate(a)))).toBe(JSON.stringify(first));
    expect(JSON.stringify(evaluationToJson(createEvaluator(game).evaluate(b)))).toBe(JSON.stringify(evaluationToJson(evaluator.evaluate(b))));
  });

  it('a product policy and its expanded joint policy evaluate alike', () => {
    const x = evaluatePolicy(game, b);
    const y = evaluatePolicy(game, expandProduct(game, b));
    for (const key of ['value', 'bestResponse', 'swapBestResponse', 'gap', 'ceGap'] as const) {
      for (let k = 0; k < x[key].length; k++) expect(x[key][k]).toBeCloseTo(y[key][k], 13);
    }
  });

  it('skipped deviations are filled with the value; tables have row H = 0 and match evaluate at step 0', () => {
    const full = evaluatePolicy(game, a);
    const noBest = evaluatePolicy(game, a, { bestResponse: false });
    expect(Array.from(noBest.bestResponse)).toEqual(Array.from(noBest.value));
    expect(Array.from(noBest.gap)).toEqual(new Array(game.S).fill(0));
    expect(Array.from(noBest.swapBestResponse)).toEqual(Array.from(full.swapBestResponse));
    const noSwap = evaluatePolicy(game, a, { swap: false });
    expect(Array.from(noSwap.swapBestResponse)).toEqual(Array.from(noSwap.value));
    expect(Array.from(noSwap.bestResponse)).toEqual(Array.from(full.bestResponse));
    const evaluator = createEvaluator(game);
    for (let i = 0; i < game.m; i++) {
      const V = evaluator.valueTable(a, i);
      const B = evaluator.bestResponseTable(a, i);
      expect(V.length).toBe((game.H + 1) * game.S);
      expect(Array.from(V.subarray(game.H * game.S))).toEqual(new Array(game.S).fill(0));
      expect(Array.from(B.subarray(game.H * game.S))).toEqual(new Array(game.S).fill(0));
      expect(Array.from(V.subarray(0, game.S))).toEqual(Array.from(full.value.subarray(i * game.S, (i + 1) * game.S)));
      expect(Array.from(B.subarray(0, game.S))).toEqual(Array.from(full.bestResponse.subarray(i * game.S, (i + 1) * game.S)));
    }
  });

  it('evaluationToJson writes drmg-evaluation/1 with number[m][S] tables; initialGap = sum_s mu(s) gap(s)', () => {
    const ev = evaluatePolicy(game, a);
    const json = JSON.parse(JSON.stringify(evaluationToJson(ev)));
    expect(json.format).toBe('drmg-evaluation/1');
    expect(Object.keys(json).sort()).toEqual(['bestResponse', 'ceGap', 'format', 'gap', 'swapBestResponse', 'value']);
    for (const key of ['value', 'bestResponse', 'swapBestResponse']) {
      expect(json[key].length).toBe(game.m);
      for (let i = 0; i < game.m; i++) expect(json[key][i]).toEqual(Array.from(ev[key as 'value'].subarray(i * game.S, (i + 1) * game.S)));
    }
    expect(json.gap).toEqual(Array.from(ev.gap));
    expect(json.ceGap).toEqual(Array.from(ev.ceGap));
    let g = 0;
    let c = 0;
    for (let s = 0; s < game.S; s++) {
      g += game.initial[s] * ev.gap[s];
      c += game.initial[s] * ev.ceGap[s];
    }
    expect(initialGap(game, ev)).toBeCloseTo(g, 14);
    expect(initialGap(game, ev, 'ceGap')).toBeCloseTo(c, 14);
  });
});

describe('bad input -> DrmgError("input") naming the field', () => {
  const game = oneState([[1, 0], [0, 1], [0, 1], [1, 0]], 2);
  const ok = stationary(2, [0.25, 0.25, 0.25, 0.25]);

  function expectInputError(f: () => unknown, path: string, text: string): void {
    let caught: unknown;
    try {
      f();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DrmgError);
    const err = caught as DrmgError;
    expect(err.kind).toBe('input');
    expect(err.path).toBe(path);
    expect(err.message).toContain(text);
  }

  it('policies whose H, S, J or actions differ from the game', () => {
    expectInputError(() => evaluatePolicy(game, stationary(3, [0.25, 0.25, 0.25, 0.25])), 'policy.H', 'expected 2');
    expectInputError(() => evaluatePolicy(game, { ...ok, S: 2 }), 'policy.S', 'expected 1');
    expectInputError(() => evaluatePolicy(game, stationary(2, [0.5, 0.5])), 'policy.J', 'expected 4');
    expectInputError(() => evaluatePolicy(game, { ...ok, prob: new Float64Array(4).fill(0.25) }), 'policy.prob', 'expected a Float64Array of H*S*J = 8');
    const product: ProductPolicy = { kind: 'product', H: 2, S: 1, A: [2, 3], marginals: [new Float64Array(4).fill(0.5), new Float64Array(6).fill(1 / 3)] };
    expectInputError(() => evaluatePolicy(game, product), 'policy.A[1]', 'expected 2');
    expectInputError(() => evaluatePolicy(game, { ...product, A: [2] }), 'policy.A', 'expected 2 action counts');
    expectInputError(() => evaluatePolicy(game, { ...product, A: [2, 2], marginals: [new Float64Array(4).fill(0.5), new Float64Array(2).fill(0.5)] }), 'policy.marginals[1]', 'H*S*A[1] = 4');
    expectInputError(() => evaluatePolicy(game, { kind: 'mixed' } as unknown as Policy), 'policy.kind', 'expected "joint" or "product"');
  });

  it('rows that are not distributions', () => {
    const prob = new Float64Array(8).fill(0.25);
    prob[5] = 0.3;
    expectInputError(() => evaluatePolicy(game, { ...ok, prob }), 'policy[1][0]', 'row sums to 1.05, expected 1');
    const neg = new Float64Array(8).fill(0.25);
    neg[0] = -0.25;
    neg[1] = 0.75;
    expectInputError(() => evaluatePolicy(game, { ...ok, prob: neg }), 'policy[0][0][0]', 'expected a probability >= 0, got -0.25');
    const nan = new Float64Array(8).fill(0.25);
    nan[2] = NaN;
    expectInputError(() => evaluatePolicy(game, { ...ok, prob: nan }), 'policy[0][0][2]', 'got NaN');
    const product: ProductPolicy = { kind: 'product', H: 2, S: 1, A: [2, 2], marginals: [Float64Array.of(0.5, 0.5, 0.5, 0.6), new Float64Array(4).fill(0.5)] };
    expectInputError(() => evaluatePolicy(game, product), 'policy.marginals[0][1][0]', 'row sums to 1.1');
  });

  it('agent index out of range', () => {
    const evaluator = createEvaluator(game);
    for (const i of [-1, 2, 0.5, NaN]) {
      expectInputError(() => evaluator.valueTable(ok, i), 'agent', 'expected an integer in [0, 1]');
      expectInputError(() => evaluator.bestResponseTable(ok, i), 'agent', 'expected an integer in [0, 1]');
      expectInputError(() => evaluator.worstCaseKernel(ok, i), 'agent', 'expected an integer in [0, 1]');
    }
  });

  it('initialGap with an evaluation of another game', () => {
    const other = evaluatePolicy(initialShock(2, 2, [0.1, 0.1]), { kind: 'joint', H: 2, S: 2, J: 4, prob: new Float64Array(16).fill(0.25) });
    expectInputError(() => initialGap(game, other), 'evaluation.S', 'expected 1');
  });
});
