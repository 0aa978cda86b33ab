import fc from 'fast-check';
import type { Highs } from 'highs';
import { describe, expect, it } from 'vitest';
import { DrmgError } from './drmg-error.ts';
import { jointActionLayout } from './joint-action.ts';
import {
  createSigmaWorkspace,
  klDualObjective,
  loadValues,
  robustExpectationRow,
  robustExpectationStep,
  robustExpectationSteps,
  sigmaKl,
  sigmaTv,
  sigmaTvDual,
  worstCaseRow,
} from './robust-expectation.ts';
import { createRng } from './rng.ts';
import { createTabularGame } from './create-tabular-game.ts';
import type { Rng } from './rng.ts';
import type { Divergence, Kernel, TabularGame } from './tabular-game.ts';

// ---------------------------------------------------------------------------------------------
// Helpers: random rows, one-row kernels and independent references.

/** A random distribution on S states with a random support (ties and zeros on purpose). */
function randomDist(rng: Rng, S: number, support = 1 + Math.floor(rng() * S)): Float64Array {
  const p = new Float64Array(S);
  const perm = Array.from({ length: S }, (_, k) => k);
  for (let k = S - 1; k > 0; k--) {
    const t = Math.floor(rng() * (k + 1));
    [perm[k], perm[t]] = [perm[t], perm[k]];
  }
  let sum = 0;
  for (let k = 0; k < support; k++) {
    const x = rng() < 0.1 ? 1e-3 * rng() + 1e-12 : -Math.log(1 - rng()) + 1e-12;
    p[perm[k]] = x;
    sum += x;
  }
  for (let s = 0; s < S; s++) p[s] /= sum;
  return p;
}

/** Random values, sometimes on a coarse grid (ties), sometimes with a large offset. */
function randomValues(rng: Rng, S: number): Float64Array {
  const V = new Float64Array(S);
  const mode = rng();
  const offset = rng() < 0.2 ? 100 * (rng() - 0.5) : 0;
  for (let s = 0; s < S; s++) V[s] = offset + (mode < 0.3 ? Math.floor(4 * rng()) : 10 * rng());
  return V;
}

/** The CSR kernel with one row holding p's positive entries. */
function rowKernel(p: ArrayLike<number>): Kernel {
  const next: number[] = [];
  const prob: number[] = [];
  for (let s = 0; s < p.length; s++) {
    if (p[s] > 0) {
      next.push(s);
      prob.push(p[s]);
    }
  }
  return { rowStart: Int32Array.of(0, next.length), next: Int32Array.from(next), prob: Float64Array.from(prob) };
}

function expectation(q: ArrayLike<number>, V: ArrayLike<number>): number {
  let e = 0;
  for (let s = 0; s < q.length; s++) e += q[s] * V[s];
  return e;
}

function minOverSupport(p: ArrayLike<number>, V: ArrayLike<number>): number {
  let m = Infinity;
  for (let s = 0; s < p.length; s++) if (p[s] > 0 && V[s] < m) m = V[s];
  return m;
}

/**
 * Independent KL reference: golden-section maximisation of the dual objective of eq. 11 over
 * u = log(eta) (the objective is concave in eta, hence unimodal in u), on a range wide enough for
 * both the eta -> 0 limit (the objective then tends to min V over the support) and tiny radii.
 * Not for rho = 0, where the supremum is the eta -> infinity limit E_p[V] and the objective's
 * log E_p[exp(-V/eta)] cancels catastrophically.
 */
function klDualMax(p: ArrayLike<number>, V: ArrayLike<number>, rho: number): number {
  if (!(rho > 0)) throw new Error('klDualMax needs rho > 0');
  let lo = Infinity, hi = -Infinity;
  for (let s = 0; s < p.length; s++) {
    if (p[s] > 0) {
      lo = Math.min(lo, V[s]);
      hi = Math.max(hi, V[s]);
    }
  }
  const scale = Math.max(hi - lo, 1e-300);
  let a = Math.log(scale * 1e-16), b = Math.log(scale * 1e12);
  const f = (u: number) => klDualObjective(p, V, rho, Math.exp(u));
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a), x2 = a + g * (b - a);
  let f1 = f(x1), f2 = f(x2);
  for (let it = 0; it < 200; it++) {
    if (f1 < f2) {
      a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = f(x2);
    } else {
      b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = f(x1);
    }
  }
  return Math.max(f1, f2, f(Math.log(scale * 1e-16)));
}

function klDivergence(q: ArrayLike<number>, p: ArrayLike<number>): number {
  let kl = 0;
  for (let s = 0; s < q.length; s++) {
    if (q[s] > 0) {
      if (!(p[s] > 0)) return Infinity;
      kl += q[s] * Math.log(q[s] / p[s]);
    }
  }
  return kl;
}

function tvDistance(q: ArrayLike<number>, p: ArrayLike<number>): number {
  let d = 0;
  for (let s = 0; s < q.length; s++) d += Math.abs(q[s] - p[s]);
  return 0.5 * d;
}

const scaleOf = (V: ArrayLike<number>) => {
  let m = 1;
  for (let s = 0; s < V.length; s++) m = Math.max(m, Math.abs(V[s]));
  return m;
};

// ---------------------------------------------------------------------------------------------

describe('TV robust expectation, hand-worked cases', () => {
  it('moves rho of mass from the top of the support onto the global minimum (support shift)', () => {
    // p = (0.5, 0.5, 0), V = (1, 3, 0): state 2 is outside the support but is argmin V.
    // rho = 0.2: take 0.2 from V = 3 -> 0.5*1 + 0.3*3 + 0.2*0 = 1.4.
    expect(sigmaTv([0.5, 0.5, 0], [1, 3, 0], 0.2)).toBeCloseTo(1.4, 15);
    // rho = 0.5 empties V = 3: 0.5*1 + 0.5*0 = 0.5; rho = 0.7 also takes 0.2 from V = 1: 0.3*1 = 0.3.
    expect(sigmaTv([0.5, 0.5, 0], [1, 3, 0], 0.5)).toBeCloseTo(0.5, 15);
    expect(sigmaTv([0.5, 0.5, 0], [1, 3, 0], 0.7)).toBeCloseTo(0.3, 15);
    // rho >= 1 admits every distribution: min V = 0.
    expect(sigmaTv([0.5, 0.5, 0], [1, 3, 0], 1)).toBe(0);
    expect(sigmaTv([0.5, 0.5, 0], [1, 3, 0], 7)).toBe(0);
    for (const rho of [0.2, 0.5, 0.7, 1, 7]) {
      expect(sigmaTvDual([0.5, 0.5, 0], [1, 3, 0], rho)).toBeCloseTo(sigmaTv([0.5, 0.5, 0], [1, 3, 0], rho), 15);
    }
  });

  it('gives the worst case of Example 1 (initial shock): the bad state with probability rho', () => {
    // good -> good nominally (V(good) = 2 after the step, V(bad) = 0): sigma = (1 - rho) * 2.
    for (const rho of [0, 0.05, 0.3, 0.99]) expect(sigmaTv([1, 0], [2, 0], rho)).toBeCloseTo((1 - rho) * 2, 14);
    const ws = createSigmaWorkspace(2);
    loadValues(ws, Float64Array.of(2, 0));
    const out = new Float64Array(2);
    expect(worstCaseRow(ws, 'tv', rowKernel([1, 0]), 0, 0.3, out)).toBeCloseTo(1.4, 15);
    expect(Array.from(out)).toEqual([0.7, 0.3]);
  });

  it('constant V on the support still drops to a lower state outside it', () => {
    // V = 5 on supp p = {0, 1}, V(2) = 1: sigma = 5 - rho*(5 - 1).
    expect(sigmaTv([0.4, 0.6, 0], [5, 5, 1], 0.25)).toBeCloseTo(4, 14);
    expect(sigmaKl([0.4, 0.6, 0], [5, 5, 1], 0.25)).toBe(5);
  });
});

describe('KL robust expectation, closed forms', () => {
  it('two-point distribution: sigma is the binary-KL inverse', () => {
    // p = (1-a, a) on V = (c, c+d). The worst q stays on {0, 1}; with x = q(1),
    //   KL(q || p) = x log(x/a) + (1-x) log((1-x)/(1-a)) =: kl(x),  E_q[V] = c + d x,
    // and kl decreases on [0, a], so sigma = c + d x* with kl(x*) = rho, x* < a, as long as
    // rho < kl(0) = -log(1-a); beyond that sigma = c (the eta -> 0 limit).
    // Choosing x first and rho = kl(x) makes sigma = c + d x exact: a = 0.7, x = 0.3 gives
    // rho = 0.3 log(3/7) + 0.7 log(7/3) = 0.4 log(7/3).
    expect(sigmaKl([0.3, 0.7], [0, 1], 0.4 * Math.log(7 / 3))).toBeCloseTo(0.3, 13);
    expect(sigmaKl([0.3, 0.7], [10, 12], 0.4 * Math.log(7 / 3))).toBeCloseTo(10.6, 12);
    for (const [a, x] of [[0.5, 0.1], [0.9, 0.5], [0.2, 0.19999], [0.01, 1e-4], [0.999, 0.3]]) {
      const rho = x * Math.log(x / a) + (1 - x) * Math.log((1 - x) / (1 - a));
      expect(Math.abs(sigmaKl([1 - a, a], [-2, 3], rho) - (-2 + 5 * x))).toBeLessThan(1e-11);
    }
  });

  it('handles the eta -> 0 limit exactly: P*(argmin) >= exp(-rho) gives min V over the support', () => {
    // p = (0.3, 0.7) on V = (0, 1): the limit radius is -log 0.3 = 1.2039728...
    const Finf = -Math.log(0.3);
    expect(sigmaKl([0.3, 0.7], [0, 1], Finf)).toBe(0);
    expect(sigmaKl([0.3, 0.7], [0, 1], 1.3)).toBe(0);
    expect(sigmaKl([0.3, 0.7], [0, 1], Infinity)).toBe(0);
    // Just below the limit the value is positive and small (x* solves the binary KL equation).
    const below = sigmaKl([0.3, 0.7], [0, 1], Finf - 1e-3);
    expect(below).toBeGreaterThan(0);
    expect(below).toBeLessThan(1e-2);
    expect(Math.abs(below - klDualMax([0.3, 0.7], [0, 1], Finf - 1e-3))).toBeLessThan(1e-12);
    // Ties: the argmin set {0, 2} has mass 0.5, so rho >= log 2 gives min V = -1 and the worst case
    // is p conditioned on it, (0.2, 0, 0.3, 0) / 0.5.
    const p = [0.2, 0.4, 0.3, 0.1], V = [-1, 4, -1, 2];
    expect(sigmaKl(p, V, Math.log(2))).toBe(-1);
    expect(sigmaKl(p, V, Math.log(2) - 1e-6)).toBeGreaterThan(-1);
    const ws = createSigmaWorkspace(4);
    loadValues(ws, Float64Array.from(V));
    const out = new Float64Array(4);
    expect(worstCaseRow(ws, 'kl', rowKernel(p), 0, 0.8, out)).toBe(-1);
    expect(Array.from(out)).toEqual([0.4, 0, 0.6, 0]);
  });

  it('constant V on the support gives that constant; a one-point support gives its value', () => {
    expect(sigmaKl([0.2, 0.8, 0], [3, 3, -5], 0.7)).toBe(3);
    expect(sigmaKl([0, 1, 0], [9, 3, -5], 2)).toBe(3);
    expect(sigmaTv([0, 1, 0], [9, 3, -5], 0.25)).toBeCloseTo(3 - 0.25 * 8, 14);
  });

  it('rho = 0 gives exactly the nominal expectation (both divergences)', () => {
    const rng = createRng('rho0');
    for (let k = 0; k < 200; k++) {
      const S = 1 + Math.floor(rng() * 9);
      const p = randomDist(rng, S), V = randomValues(rng, S);
      const K = rowKernel(p);
      let nominal = 0;
      for (let e = 0; e < K.next.length; e++) nominal += K.prob[e] * V[K.next[e]];
      expect(sigmaTv(p, V, 0)).toBe(nominal);
      expect(sigmaKl(p, V, 0)).toBe(nominal);
    }
  });

  it('tiny and huge radii, near ties and large offsets agree with the dual', () => {
    const cases: [number[], number[], number][] = [
      [[0.25, 0.25, 0.5], [0, 1, 2], 1e-12],
      [[0.25, 0.25, 0.5], [0, 1, 2], 1e-7],
      [[0.25, 0.25, 0.5], [0, 1, 2], -Math.log(0.25) * (1 - 1e-9)],
      [[0.25, 0.25, 0.5], [0, 1e-9, 2], 1.2],
      [[0.5, 0.5], [1e6, 1e6 + 1], 0.1],
      [[0.999, 0.001], [0, 100], 1e-3],
      [[0.001, 0.999], [0, 100], 5],
      [[0.1, 0.2, 0.3, 0.4], [3, 2, 1, 0], 50],
    ];
    for (const [p, V, rho] of cases) {
      const sigma = sigmaKl(p, V, rho);
      expect(Math.abs(sigma - klDualMax(p, V, rho))).toBeLessThan(1e-9 * scaleOf(V));
    }
  });
});

describe('primal vs dual on thousands of random rows', () => {
  it('TV: the greedy primal equals the breakpoint dual sup_eta {E[min(V, eta)] - rho (eta - min V)^+}', () => {
    const rng = createRng('tv-dual');
    for (let k = 0; k < 4000; k++) {
      const S = 1 + Math.floor(rng() * 12);
      const p = randomDist(rng, S), V = randomValues(rng, S);
      const rho = rng() < 0.1 ? 1 + rng() : 1.05 * rng();
      expect(Math.abs(sigmaTv(p, V, rho) - sigmaTvDual(p, V, rho))).toBeLessThan(1e-9 * scaleOf(V));
    }
  });

  it('TV: dense, sparse-selection and scatter row paths all agree with the dual (S = 300)', () => {
    const rng = createRng('tv-paths');
    const S = 300;
    const ws = createSigmaWorkspace(S);
    for (let k = 0; k < 150; k++) {
      const V = randomValues(rng, S);
      loadValues(ws, V);
      // 3 entries (selection), 120 entries (scatter-walk), all S entries (dense).
      for (const support of [3, 120, S]) {
        const p = randomDist(rng, S, support);
        const rho = 0.6 * rng();
        const sigma = robustExpectationRow(ws, 'tv', rowKernel(p), 0, rho);
        expect(Math.abs(sigma - sigmaTvDual(p, V, rho))).toBeLessThan(1e-9 * scaleOf(V));
      }
    }
  });

  it('KL: the solver equals a golden-section maximisation of the eq. 11 dual objective', () => {
    const rng = createRng('kl-dual');
    for (let k = 0; k < 2000; k++) {
      const S = 1 + Math.floor(rng() * 10);
      const p = randomDist(rng, S), V = randomValues(rng, S);
      const u = rng();
      const rho = u < 0.2 ? Math.exp(-20 * rng()) : u < 0.9 ? 0.5 * rng() : 4 * rng();
      const sigma = sigmaKl(p, V, rho);
      expect(Math.abs(sigma - klDualMax(p, V, rho))).toBeLessThan(1e-9 * scaleOf(V));
    }
  });

  it('KL on dense rows of 60 states with radii 0.05-0.5 (the benchmark regime)', () => {
    const rng = createRng('kl-dense');
    for (let k = 0; k < 300; k++) {
      const p = randomDist(rng, 60, 60), V = randomValues(rng, 60);
      const rho = 0.05 + 0.45 * rng();
      expect(Math.abs(sigmaKl(p, V, rho) - klDualMax(p, V, rho))).toBeLessThan(1e-9 * scaleOf(V));
    }
  });
});

describe('TV against a linear program over the whole ball (HiGHS)', () => {
  it('matches min E_q[V] s.t. q >= 0, sum q = 1, 0.5 ||q - p||_1 <= rho for S <= 4', async () => {
    // 'highs' ships CommonJS typings but resolves to its ES module at run time: take whichever default is callable.
    const mod = (await import('highs')) as unknown as { default: (() => Promise<Highs>) | { default: () => Promise<Highs> } };
    const highs = await (typeof mod.default === 'function' ? mod.default() : mod.default.default());
    const rng = createRng('tv-lp');
    let shifted = 0;
    for (let k = 0; k < 300; k++) {
      const S = 2 + Math.floor(rng() * 3);
      const p = randomDist(rng, S, 1 + Math.floor(rng() * (S - 1)));
      const V = randomValues(rng, S);
      const rho = rng() < 0.1 ? 1 + rng() : rng();
      // Does the support miss the global argmin? Then the worst case must shift support.
      let arg = 0;
      for (let s = 1; s < S; s++) if (V[s] < V[arg]) arg = s;
      if (p[arg] === 0) shifted++;
      // Variables q_s and t_s >= |q_s - p_s|: t_s - q_s >= -p_s, t_s + q_s >= p_s, 0.5 sum t <= rho.
      const obj = Array.from({ length: S }, (_, s) => `${V[s] >= 0 ? '+' : '-'} ${Math.abs(V[s])} q${s}`).join(' ');
      const rows = [
        `sum: ${Array.from({ length: S }, (_, s) => `q${s}`).join(' + ')} = 1`,
        `ball: ${Array.from({ length: S }, (_, s) => `0.5 t${s}`).join(' + ')} <= ${rho}`,
        ...Array.from({ length: S }, (_, s) => `up${s}: t${s} - q${s} >= ${-p[s]}`),
        ...Array.from({ length: S }, (_, s) => `dn${s}: t${s} + q${s} >= ${p[s]}`),
      ];
      const lp = `Minimize\n obj: ${obj}\nSubject To\n ${rows.join('\n ')}\nEnd`;
      const res = highs.solve(lp, { output_flag: false, primal_feasibility_tolerance: 1e-10, dual_feasibility_tolerance: 1e-10 });
      expect(res.Status).toBe('Optimal');
      expect(Math.abs(sigmaTv(p, V, rho) - res.ObjectiveValue)).toBeLessThan(1e-8 * scaleOf(V));
    }
    expect(shifted).toBeGreaterThan(50);
  });
});

describe('worst-case kernels', () => {
  it('TV: in the ball, a distribution, attains sigma (dense, selection and scatter paths)', () => {
    const rng = createRng('tv-worst');
    for (const S of [5, 40, 200]) {
      const ws = createSigmaWorkspace(S);
      const out = new Float64Array(S + 3);
      for (let k = 0; k < 200; k++) {
        const V = randomValues(rng, S);
        loadValues(ws, V);
        const p = randomDist(rng, S, rng() < 0.3 ? S : 1 + Math.floor(rng() * S));
        const rho = rng() < 0.1 ? 1 + rng() : rng();
        out.fill(7);
        const sigma = worstCaseRow(ws, 'tv', rowKernel(p), 0, rho, out, 3);
        const q = out.subarray(3);
        expect(sigma).toBe(robustExpectationRow(ws, 'tv', rowKernel(p), 0, rho));
        expect(Array.from(out.subarray(0, 3))).toEqual([7, 7, 7]);
        let sum = 0;
        for (let s = 0; s < S; s++) {
          expect(q[s]).toBeGreaterThanOrEqual(-1e-15);
          sum += q[s];
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
        expect(tvDistance(q, p)).toBeLessThanOrEqual(rho + 1e-12);
        expect(Math.abs(expectation(q, V) - sigma)).toBeLessThan(1e-9 * scaleOf(V));
      }
    }
  });

  it('KL: in the ball (KL(q || p) <= rho + 1e-9), a distribution on supp p, attains sigma', () => {
    const rng = createRng('kl-worst');
    for (const S of [2, 6, 50]) {
      const ws = createSigmaWorkspace(S);
      const q = new Float64Array(S);
      for (let k = 0; k < 300; k++) {
        const V = randomValues(rng, S);
        loadValues(ws, V);
        const p = randomDist(rng, S);
        const rho = rng() < 0.2 ? 3 * rng() : 0.4 * rng();
        const sigma = worstCaseRow(ws, 'kl', rowKernel(p), 0, rho, q);
        expect(sigma).toBe(robustExpectationRow(ws, 'kl', rowKernel(p), 0, rho));
        let sum = 0;
        for (let s = 0; s < S; s++) {
          expect(q[s]).toBeGreaterThanOrEqual(0);
          if (p[s] === 0) expect(q[s]).toBe(0);
          sum += q[s];
        }
        expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
        expect(klDivergence(q, p)).toBeLessThanOrEqual(rho + 1e-9);
        expect(Math.abs(expectation(q, V) - sigma)).toBeLessThan(1e-9 * scaleOf(V));
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Properties (fast-check): a row over S <= 8 states, values with ties, a radius.

const instance = fc
  .integer({ min: 1, max: 8 })
  .chain((S) =>
    fc.record({
      w: fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-6, max: 1, noNaN: true })), { minLength: S, maxLength: S }),
      V: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -20, max: 20, noNaN: true })), {
        minLength: S,
        maxLength: S,
      }),
      extra: fc.array(fc.double({ min: 0, max: 5, noNaN: true }), { minLength: S, maxLength: S }),
      rho: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: 1e-9, max: 1e-3, noNaN: true })),
      rho2: fc.double({ min: 0, max: 3, noNaN: true }),
      c: fc.double({ min: -50, max: 50, noNaN: true }),
      first: fc.integer({ min: 0, max: S - 1 }),
    }),
  )
  .map(({ w, V, extra, rho, rho2, c, first }) => {
    const raw = [...w];
    if (!raw.some((x) => x > 0)) raw[first] = 1;
    const sum = raw.reduce((x, y) => x + y, 0);
    return { p: raw.map((x) => x / sum), V: V.map((x) => x + 0), extra, rho, rho2, c };
  });

const sigmaOf: Record<Divergence, (p: number[], V: number[], rho: number) => number> = { tv: sigmaTv, kl: sigmaKl };

describe.each(['tv', 'kl'] as const)('properties of sigma (%s)', (div) => {
  const sigma = sigmaOf[div];
  const tol = (V: number[]) => 1e-9 * scaleOf(V);

  it('lies between the (support / global) minimum and the nominal expectation', () => {
    fc.assert(
      fc.property(instance, ({ p, V, rho }) => {
        const s = sigma(p, V, rho);
        const lower = div === 'tv' ? Math.min(...V) : minOverSupport(p, V);
        expect(s).toBeLessThanOrEqual(expectation(p, V) + tol(V));
        expect(s).toBeGreaterThanOrEqual(lower - tol(V));
      }),
      { numRuns: 400 },
    );
  });

  it('is non-increasing in rho and equals the nominal expectation at rho = 0', () => {
    fc.assert(
      fc.property(instance, ({ p, V, rho, rho2 }) => {
        const [r1, r2] = rho <= rho2 ? [rho, rho2] : [rho2, rho];
        expect(sigma(p, V, r1)).toBeGreaterThanOrEqual(sigma(p, V, r2) - tol(V));
        expect(Math.abs(sigma(p, V, 0) - expectation(p, V))).toBeLessThan(tol(V));
      }),
      { numRuns: 400 },
    );
  });

  it('is non-decreasing in V', () => {
    fc.assert(
      fc.property(instance, ({ p, V, extra, rho }) => {
        const W = V.map((x, s) => x + extra[s]);
        expect(sigma(p, W, rho)).toBeGreaterThanOrEqual(sigma(p, V, rho) - tol(W));
      }),
      { numRuns: 400 },
    );
  });

  it('commutes with adding a constant: sigma(V + c) = sigma(V) + c', () => {
    fc.assert(
      fc.property(instance, ({ p, V, rho, c }) => {
        const W = V.map((x) => x + c);
        expect(Math.abs(sigma(p, W, rho) - sigma(p, V, rho) - c)).toBeLessThan(tol(W));
      }),
      { numRuns: 400 },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('robustExpectationStep', () => {
  // S = 4 states, H = 2 steps, A = [2, 2] (J = 4), kernel rows r = (h*S + s)*J + j cycling through
  // dense and sparse patterns; radii per (agent, step, state) including 0 and >= 1.
  const S = 4, H = 2, A = [2, 2];
  const layout = jointActionLayout(A);
  const J = layout.J;
  const patterns: [number, number][][] = [
    [[0, 0.25], [1, 0.25], [2, 0.25], [3, 0.25]],
    [[1, 1]],
    [[0, 0.5], [3, 0.5]],
    [[0, 0.1], [1, 0.2], [2, 0.3], [3, 0.4]],
    [[2, 0.7], [3, 0.3]],
    [[0, 0.05], [2, 0.9], [3, 0.05]],
    [[3, 1]],
  ];
  const rowStart = [0], next: number[] = [], prob: number[] = [];
  for (let r = 0; r < H * S * J; r++) {
    for (const [sp, pr] of patterns[(r * 5 + 3) % patterns.length]) {
      next.push(sp);
      prob.push(pr);
    }
    rowStart.push(next.length);
  }
  const kernel: Kernel = { rowStart: Int32Array.from(rowStart), next: Int32Array.from(next), prob: Float64Array.from(prob) };
  // radius[(i*H + h)*S + s]
  const radius = Float64Array.of(0, 0.1, 0.3, 1.5, 0.05, 0.2, 0.7, 0.02, 0.4, 0, 0.15, 2, 0.6, 0.25, 0.01, 0.9);
  const game = (divergence: Divergence): TabularGame => ({
    name: 'step-test',
    m: 2,
    S,
    H,
    A,
    J,
    layout,
    initial: Float64Array.of(1, 0, 0, 0),
    reward: new Float64Array(H * S * J * 2),
    kernel,
    divergence,
    radius,
  });
  // Values V[h'][s] for h' = 0..H (the step reads V_{h+1} at offset (h+1)*S), with ties.
  const V = Float64Array.of(0, 0, 0, 0, 1.5, 0.5, 1.5, 0, 0.2, 1, 0.7, 0.7);

  it.each(['tv', 'kl'] as const)('agrees with robustExpectationRow row by row (%s)', (div) => {
    const g = game(div);
    const ws = createSigmaWorkspace(S), ws2 = createSigmaWorkspace(S);
    const out = new Float64Array(S * J);
    for (let i = 0; i < 2; i++) {
      for (let h = 0; h < H; h++) {
        robustExpectationStep(g, ws, h, i, V, (h + 1) * S, out);
        loadValues(ws2, V, (h + 1) * S);
        for (let s = 0; s < S; s++) {
          for (let j = 0; j < J; j++) {
            const r = (h * S + s) * J + j;
            expect(out[s * J + j]).toBe(robustExpectationRow(ws2, div, kernel, r, radius[(i * H + h) * S + s]));
          }
        }
      }
    }
  });

  it.each(['tv', 'kl'] as const)('with a row mask computes exactly the needed rows and zeroes the others (%s)', (div) => {
    const g = game(div);
    const full = new Float64Array(S * J), masked = new Float64Array(S * J).fill(7);
    const needed = new Uint8Array(S * J);
    for (let k = 0; k < S * J; k++) needed[k] = (k * 7) % 3 === 0 ? 1 : 0;
    for (let h = 0; h < H; h++) {
      robustExpectationStep(g, createSigmaWorkspace(S), h, 1, V, (h + 1) * S, full);
      robustExpectationStep(g, createSigmaWorkspace(S), h, 1, V, (h + 1) * S, masked, needed);
      for (let k = 0; k < S * J; k++) expect(masked[k]).toBe(needed[k] ? full[k] : 0);
    }
    expect(() => robustExpectationStep(g, createSigmaWorkspace(S), 0, 0, V, S, full, new Uint8Array(3))).toThrow('needed: expected length >= 16, got 3');
  });

  it('matches the dense conveniences on a sparse and a radius >= 1 row', () => {
    const out = new Float64Array(S * J);
    const ws = createSigmaWorkspace(S);
    robustExpectationStep(game('tv'), ws, 0, 0, V, S, out);
    // h = 0, s = 3 (radius 1.5 >= 1): every row gives min V_{1} = 0.
    for (let j = 0; j < J; j++) expect(out[3 * J + j]).toBe(0);
    // h = 0, s = 1, j = 0: row r = 4 uses pattern (4*5 + 3) % 7 = 2: p = (0.5, 0, 0, 0.5), rho = 0.1.
    expect(out[1 * J + 0]).toBeCloseTo(sigmaTv([0.5, 0, 0, 0.5], [1.5, 0.5, 1.5, 0], 0.1), 15);
  });

  it('rejects mismatched sizes and bad radii', () => {
    const g = game('kl');
    const out = new Float64Array(S * J);
    expect(() => robustExpectationStep(g, createSigmaWorkspace(5), 0, 0, V, S, out)).toThrow(DrmgError);
    expect(() => robustExpectationStep(g, createSigmaWorkspace(S), 2, 0, V, S, out)).toThrow('h: expected a step in [0, 1], got 2');
    expect(() => robustExpectationStep(g, createSigmaWorkspace(S), 0, 0, V, 10, out)).toThrow('V: expected 4 values from offset 10');
    const bad = { ...g, radius: Float64Array.from(radius, (x, k) => (k === 2 ? Number.NaN : x)) };
    expect(() => robustExpectationStep(bad, createSigmaWorkspace(S), 0, 0, V, S, out)).toThrow('radius[0][0][2]: expected a radius >= 0, got NaN');
  });
});

describe('workspace reuse and input errors', () => {
  it('gives the same values with a fresh and a reused workspace (scratch is cleared)', () => {
    const rng = createRng('reuse');
    const S = 120;
    const shared = createSigmaWorkspace(S);
    for (let k = 0; k < 200; k++) {
      const V = randomValues(rng, S);
      const p = randomDist(rng, S, [2, 60, S][k % 3]);
      const rho = 0.5 * rng();
      const div: Divergence = k % 2 === 0 ? 'tv' : 'kl';
      loadValues(shared, V);
      const a = robustExpectationRow(shared, div, rowKernel(p), 0, rho);
      const fresh = createSigmaWorkspace(S);
      loadValues(fresh, V);
      expect(robustExpectationRow(fresh, div, rowKernel(p), 0, rho)).toBe(a);
    }
  });

  it('KL rows sharing one loaded V (shared exp tables) equal fresh solves, also after V changes', () => {
    const rng = createRng('kl-shared');
    const S = 40;
    const ws = createSigmaWorkspace(S);
    for (let round = 0; round < 3; round++) {
      const V = randomValues(rng, S);
      loadValues(ws, V);
      for (let k = 0; k < 150; k++) {
        const p = randomDist(rng, S, 20 + Math.floor(rng() * 21));
        const rho = 0.02 + 0.6 * rng();
        const K = rowKernel(p);
        const shared = robustExpectationRow(ws, 'kl', K, 0, rho);
        const fresh = createSigmaWorkspace(S);
        loadValues(fresh, V);
        expect(shared).toBe(robustExpectationRow(fresh, 'kl', K, 0, rho));
        if (k % 10 === 0) expect(Math.abs(shared - klDualMax(p, V, rho))).toBeLessThan(1e-9 * scaleOf(V));
      }
    }
  });

  it('ignores entries stored with probability 0 (outside the support) instead of failing', () => {
    // Against the CSR convention, but harmless: the state with V = -9 has probability 0.
    const V = Float64Array.of(-9, 1, 4, 2);
    const ws = createSigmaWorkspace(4);
    loadValues(ws, V);
    const withZero: Kernel = { rowStart: Int32Array.of(0, 3), next: Int32Array.of(0, 1, 2), prob: Float64Array.of(0, 0.5, 0.5) };
    const clean: Kernel = { rowStart: Int32Array.of(0, 2), next: Int32Array.of(1, 2), prob: Float64Array.of(0.5, 0.5) };
    for (const rho of [0.05, 0.3, 2]) {
      expect(robustExpectationRow(ws, 'kl', withZero, 0, rho)).toBe(robustExpectationRow(ws, 'kl', clean, 0, rho));
      expect(robustExpectationRow(ws, 'tv', withZero, 0, rho)).toBe(robustExpectationRow(ws, 'tv', clean, 0, rho));
    }
  });

  it('rejects bad input with the place and the expectation', () => {
    expect(() => sigmaTv([0.5, 0.4], [1, 2], 0.1)).toThrow('p: sums to 0.9, expected 1');
    expect(() => sigmaKl([0.5, 0.5], [1, Number.NaN], 0.1)).toThrow('V[1]: expected a finite value, got NaN');
    expect(() => sigmaKl([0.5, 0.5], [1, 2, 3], 0.1)).toThrow('V: expected 2 values');
    expect(() => sigmaTv([1.5, -0.5], [1, 2], 0.1)).toThrow('p[1]: expected a probability >= 0, got -0.5');
    expect(() => sigmaTv([1], [1], -0.1)).toThrow('rho: expected a radius >= 0, got -0.1');
    expect(() => klDualObjective([1], [1], 0.1, 0)).toThrow('eta: expected eta > 0 and finite, got 0');
    expect(() => createSigmaWorkspace(0)).toThrow('S: expected a positive integer');
    const ws = createSigmaWorkspace(2);
    const K = rowKernel([0.5, 0.5]);
    expect(() => robustExpectationRow(ws, 'tv', K, 0, 0.1)).toThrow('ws: no values loaded');
    expect(() => loadValues(ws, Float64Array.of(1, Infinity))).toThrow('V[1]: expected a finite value, got Infinity');
    expect(() => loadValues(ws, Float64Array.of(-1e308, 1e308))).toThrow('their range overflows a double');
    loadValues(ws, Float64Array.of(1, 2));
    expect(() => robustExpectationRow(ws, 'tv', K, 1, 0.1)).toThrow('r: expected a kernel row in [0, 0], got 1');
    expect(() => robustExpectationRow(ws, 'kl', K, 0, Number.NaN)).toThrow('rho: expected a radius >= 0, got NaN');
    expect(() => robustExpectationRow(ws, 'chi2' as Divergence, K, 0, 0.1)).toThrow('divergence: expected "tv" or "kl"');
    expect(() => worstCaseRow(ws, 'tv', K, 0, 0.1, new Float64Array(3), 2)).toThrow('out: expected room for 2 entries');
  });
});

// ---------------------------------------------------------------------------------------------
// KL on rows with tiny masses (down to subnormal) and on extreme value scales.

/**
 * Independent KL primal for a two-point row: mass a on the lower value vLo, mass b = 1 - a on the higher
 * value vHi (both passed, so a tiny one keeps its digits). The worst q keeps the support; with y = q(vHi),
 *   KL(q || p) = (1 - y) log((1 - y)/a) + y log(y/b) =: kl(y),   E_q[V] = vLo + (vHi - vLo) y,
 * and kl decreases on [0, b] from kl(0) = -log a to 0, so sigma = vLo + (vHi - vLo) y* with y* the
 * smallest y with kl(y) <= rho (y* = 0, sigma = vLo, once rho >= -log a). Bisection on y, 200 halvings
 * (to ~1e-60 absolute), every log taken of an unrounded quantity.
 */
function klTwoPointPrimal(a: number, b: number, vLo: number, vHi: number, rho: number): number {
  const logA = a < 0.5 ? Math.log(a) : Math.log1p(-b);
  const logB = b < 0.5 ? Math.log(b) : Math.log1p(-a);
  const kl = (y: number) => (1 - y) * (Math.log1p(-y) - logA) + (y > 0 ? y * (Math.log(y) - logB) : 0);
  if (-logA <= rho) return vLo;
  let lo = 0, hi = b; // kl(lo) > rho >= kl(hi)
  for (let it = 0; it < 200; it++) {
    const mid = 0.5 * (lo + hi);
    if (kl(mid) > rho) lo = mid;
    else hi = mid;
  }
  return vLo + (vHi - vLo) * hi;
}

/**
 * Independent KL dual in log space: golden-section maximisation over u = log(eta) of eq. 11,
 *   min V - eta log sum_s exp(log p(s) - (V(s) - min V)/eta) - eta rho,
 * with the log-sum-exp shifted by its largest term, so masses down to 5e-324 and terms far below
 * 1e-308 keep their digits (unlike `klDualObjective`, whose plain sum is exact only while
 * p(argmin) is not tiny).
 */
function klDualMaxLog(p: ArrayLike<number>, V: ArrayLike<number>, rho: number): number {
  let vmin = Infinity, vmax = -Infinity;
  for (let s = 0; s < p.length; s++) {
    if (p[s] > 0) {
      vmin = Math.min(vmin, V[s]);
      vmax = Math.max(vmax, V[s]);
    }
  }
  if (vmax === vmin) return vmin;
  // In units of the range (x = (V - min V)/range in [0, 1], eta = range e^u), so that no scale under- or overflows.
  const range = vmax - vmin;
  const f = (u: number) => {
    const eta = Math.exp(u);
    let M = -Infinity;
    for (let s = 0; s < p.length; s++) if (p[s] > 0) M = Math.max(M, Math.log(p[s]) - (V[s] - vmin) / range / eta);
    let z = 0;
    for (let s = 0; s < p.length; s++) if (p[s] > 0) z += Math.exp(Math.log(p[s]) - (V[s] - vmin) / range / eta - M);
    return vmin + range * (-eta * (M + Math.log(z)) - eta * rho);
  };
  let a = Math.log(1e-20), b = Math.log(1e12);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a), x2 = a + g * (b - a);
  let f1 = f(x1), f2 = f(x2);
  for (let it = 0; it < 300; it++) {
    if (f1 < f2) {
      a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = f(x2);
    } else {
      b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = f(x1);
    }
  }
  return Math.max(f1, f2, f(Math.log(1e-20)));
}

/** A minority mass: 10^-u for u in [3, 300], or one of the subnormal / smallest-normal doubles. */
const minority = fc.oneof(
  fc.double({ min: 3, max: 300, noNaN: true }).map((u) => Math.pow(10, -u)),
  fc.constantFrom(5e-324, 1e-320, 1e-310, 2.2250738585072014e-308),
);
/** A radius from 1e-12 to ~300 (beyond -log of the minority the answer is the eta -> 0 limit). */
const radius = fc.double({ min: -12, max: 2.5, noNaN: true }).map((r) => Math.pow(10, r));

describe('KL on rows with tiny masses (the search converges for masses down to 5e-324)', () => {
  it('the reported row: sigmaKl([1 - 1e-300, 1e-300], [1, 0], 0.5) = 0.99926746..., not 4.4e-28', () => {
    // 1 - 1e-300 is 1 as a double, so the row is (1, 1e-300)/(1 + 1e-300) = (1, 1e-300). Worst case: y* of
    // the mass moves off state 0 to state 1 (V = 0, prior mass 1e-300): KL = y log(y/1e-300) + ... = 0.5 gives
    // y ~ 7.3e-4. 0.999267460340472160798 is the 60-digit value (mpmath: root of KL(q_beta || p) = rho in
    // log beta by 300 bisections, sigma = -(log E_p[exp(-beta V)] + rho)/beta).
    const sigma = sigmaKl([1 - 1e-300, 1e-300], [1, 0], 0.5);
    expect(Math.abs(sigma - 0.999267460340472160798)).toBeLessThan(1e-14);
    expect(Math.abs(sigma - klTwoPointPrimal(1e-300, 1, 0, 1, 0.5))).toBeLessThan(1e-13);
    expect(Math.abs(sigma - klDualMaxLog([1, 1e-300], [1, 0], 0.5))).toBeLessThan(1e-13);
    // The same at the smallest subnormal mass, and with the states swapped.
    expect(Math.abs(sigmaKl([5e-324, 1], [0, 1], 0.5) - klTwoPointPrimal(5e-324, 1, 0, 1, 0.5))).toBeLessThan(1e-13);
    // And a minority of 1e-100, which the old search solved only after ~80 passes.
    expect(Math.abs(sigmaKl([1, 1e-100], [1, 0], 0.5) - klTwoPointPrimal(1e-100, 1, 0, 1, 0.5))).toBeLessThan(1e-13);
  });

  it('subnormal and tiny radii: sigma = E_p[V] - sqrt(2 rho Var_p V) to rounding, at every scale of V', () => {
    // For rho -> 0, sigma = E_p[V] - sqrt(2 rho Var_p[V]) + O(rho span) (expand eq. 11 around eta = inf).
    // rho = 5e-324 once gave E_p[V] - 6.5e-9 at V / 4 (F = rho was solved in subnormal arithmetic).
    const p = [0.9134609329017297, 0.0865390670982703];
    for (const rho of [5e-324, 1e-310, 1e-200, 1e-40]) {
      for (const c of [1, 0.25, 2, 1024, 2 ** -900, 2 ** 900]) {
        const mean = p[0] * 16.875 + p[1] * -14.125;
        const sd = Math.sqrt(p[0] * (16.875 - mean) ** 2 + p[1] * (-14.125 - mean) ** 2);
        const expected = c * mean - Math.sqrt(2 * rho) * (c * sd);
        expect(Math.abs(sigmaKl(p, [16.875 * c, -14.125 * c], rho) - expected)).toBeLessThanOrEqual(1e-14 * 31 * c);
      }
    }
  });

  it('two-point rows: the dual solver equals the bisection primal to 1e-9 of the value range (fast-check)', () => {
    fc.assert(
      fc.property(
        minority,
        radius,
        fc.boolean(),
        fc.boolean(),
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 1e-3, max: 100, noNaN: true }),
        (e, rho, minorityLow, swap, vLo, gap) => {
          const vHi = vLo + gap;
          // Minority on the lower value (the worst case must tilt toward it) or on the higher one.
          const [a, b] = minorityLow ? [e, 1 - e] : [1 - e, e];
          const p = swap ? [b, a] : [a, b];
          const V = swap ? [vHi, vLo] : [vLo, vHi];
          const sigma = sigmaKl(p, V, rho);
          const primal = klTwoPointPrimal(minorityLow ? e : 1 - e, minorityLow ? 1 - e : e, vLo, vHi, rho);
          expect(Math.abs(sigma - primal)).toBeLessThanOrEqual(1e-9 * (vHi - vLo));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('rows of 3-6 states with skewed masses equal the log-space golden-section dual (fast-check)', () => {
    const row = fc.integer({ min: 3, max: 6 }).chain((S) =>
      fc.record({
        w: fc.array(fc.oneof(fc.double({ min: 0.05, max: 1, noNaN: true }), minority), { minLength: S, maxLength: S }),
        V: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -10, max: 10, noNaN: true })), { minLength: S, maxLength: S }),
        rho: radius,
        big: fc.integer({ min: 0, max: S - 1 }),
      }),
    );
    fc.assert(
      fc.property(row, ({ w, V, rho, big }) => {
        const raw = [...w];
        raw[big] = 1; // at least one ordinary mass
        const sum = raw.reduce((x, y) => x + y, 0);
        const p = raw.map((x) => x / sum);
        const W = V.map((x) => x + 0);
        const sigma = sigmaKl(p, W, rho);
        expect(Math.abs(sigma - klDualMaxLog(p, W, rho))).toBeLessThan(1e-9 * scaleOf(W));
        expect(sigma).toBeGreaterThanOrEqual(minOverSupport(p, W));
        expect(sigma).toBeLessThanOrEqual(expectation(p, W) + 1e-12 * scaleOf(W));
      }),
      { numRuns: 1000 },
    );
  });

  it('scales with V exactly: sigma(p, 2^k V, rho) = 2^k sigma(p, V, rho) for k in [-990, 990]', () => {
    // Spans from ~1e-298 to ~1e299: the plain passes cover [1e-30, 1e30], the careful ones the rest.
    fc.assert(
      fc.property(
        instance,
        fc.integer({ min: -990, max: 990 }),
        fc.array(fc.integer({ min: -160, max: 160 }), { minLength: 8, maxLength: 8 }),
        ({ p, rho }, k, grid) => {
          const V = p.map((_, s) => grid[s] / 8); // eighths: 2^k V is exact
          const c = Math.pow(2, k);
          const sigma = sigmaKl(p, V, rho);
          const scaled = sigmaKl(p, V.map((x) => c * x), rho);
          expect(Math.abs(scaled / c - sigma)).toBeLessThanOrEqual(1e-12 * scaleOf(V));
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the worst case of a tiny-mass row is a distribution on supp p in the ball that attains sigma', () => {
    const rows: [number[], number[], number][] = [
      [[1, 1e-300], [1, 0], 0.5],
      [[1, 5e-324], [1, 0], 5],
      [[1 - 2e-3, 1e-3, 1e-3], [2, 0, 1], 1e-6],
      [[0.5, 1e-320, 0.5], [1, 0, 0.3], 50],
      [[1, 1e-200, 1e-200], [1, 0, 0.5], 50],
      [[0.3, 1e-250, 0.7 - 1e-250, 1e-310], [0.4, -1, 2, 3], 0.2],
      [[0.5, 0.5], [0, 1e-300], 0.1],
    ];
    for (const [p, V, rho] of rows) {
      const S = p.length;
      const ws = createSigmaWorkspace(S);
      loadValues(ws, Float64Array.from(V));
      const q = new Float64Array(S);
      const sigma = worstCaseRow(ws, 'kl', rowKernel(p), 0, rho, q);
      expect(sigma).toBe(sigmaKl(p, V, rho));
      let sum = 0, kl = 0, lo = Infinity, hi = -Infinity;
      for (let s = 0; s < S; s++) {
        expect(q[s]).toBeGreaterThanOrEqual(0);
        if (p[s] === 0) expect(q[s]).toBe(0);
        sum += q[s];
        if (q[s] > 0) kl += q[s] * (Math.log(q[s]) - Math.log(p[s]));
        lo = Math.min(lo, V[s]);
        hi = Math.max(hi, V[s]);
      }
      expect(Math.abs(sum - 1)).toBeLessThan(1e-12);
      expect(kl).toBeLessThanOrEqual(rho + 1e-9);
      expect(Math.abs(expectation(q, V) - sigma)).toBeLessThan(1e-9 * (hi - lo));
    }
  });

  it('robustExpectationStep on rows whose minimum has a mass of 1e-300 or 5e-324 matches the log-space dual', () => {
    // S = 3, H = 1, two agents with A = [1, 1] (J = 1). Against V_1 = (1, -2, -3), row 0 has its minimum at a
    // mass of 1e-300, row 1 at 5e-324, row 2 at an ordinary 0.5.
    const S = 3, H = 1, A = [1, 1];
    const layout = jointActionLayout(A);
    const probs = [
      [1, 1e-300, 0],
      [0, 1, 5e-324],
      [0.5, 0, 0.5],
    ];
    const rowStart = [0], next: number[] = [], prob: number[] = [];
    for (const row of probs) {
      row.forEach((x, sp) => {
        if (x > 0) {
          next.push(sp);
          prob.push(x);
        }
      });
      rowStart.push(next.length);
    }
    const kernel: Kernel = { rowStart: Int32Array.from(rowStart), next: Int32Array.from(next), prob: Float64Array.from(prob) };
    const V = Float64Array.of(0, 0, 0, 1, -2, -3);
    const radius = Float64Array.of(0.5, 0.7, 0.1, 0.5, 0.7, 0.1);
    const game: TabularGame = {
      name: 'tiny-mass-step',
      m: 2,
      S,
      H,
      A,
      J: layout.J,
      layout,
      initial: Float64Array.of(1, 0, 0),
      reward: new Float64Array(H * S * layout.J * 2),
      kernel,
      divergence: 'kl',
      radius,
    };
    const out = new Float64Array(S);
    robustExpectationStep(game, createSigmaWorkspace(S), 0, 0, V, S, out);
    for (let s = 0; s < S; s++) {
      expect(Math.abs(out[s] - klDualMaxLog(probs[s], V.subarray(S), radius[s]))).toBeLessThan(1e-12 * 4);
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('infinite and NaN radii at every entry point', () => {
  // p misses the global argmin (state 3): TV may shift support onto it, KL may not.
  const p = [0.2, 0.5, 0.3, 0], V = [1, 4, 2, -1];

  it('rho = Infinity: TV gives min V over all states, KL min V over supp p (never NaN)', () => {
    expect(sigmaTv(p, V, Infinity)).toBe(-1);
    expect(sigmaTvDual(p, V, Infinity)).toBe(-1); // was -Infinity: Infinity * (eta - min V) at eta = min V
    expect(sigmaTvDual(p, V, 1)).toBe(-1);
    expect(sigmaKl(p, V, Infinity)).toBe(1);
    const ws = createSigmaWorkspace(4);
    loadValues(ws, Float64Array.from(V));
    const K = rowKernel(p);
    expect(robustExpectationRow(ws, 'tv', K, 0, Infinity)).toBe(-1);
    expect(robustExpectationRow(ws, 'kl', K, 0, Infinity)).toBe(1);
    const out = new Float64Array(4);
    expect(worstCaseRow(ws, 'tv', K, 0, Infinity, out)).toBe(-1);
    expect(Array.from(out)).toEqual([0, 0, 0, 1]);
    expect(worstCaseRow(ws, 'kl', K, 0, Infinity, out)).toBe(1);
    expect(Array.from(out)).toEqual([1, 0, 0, 0]);
    // A whole step with every radius infinite: S = 4, H = 1, A = [1, 1]; rows 0..3 are p and its rotations.
    const S = 4, A = [1, 1];
    const layout = jointActionLayout(A);
    const rows = [0, 1, 2, 3].map((k) => p.map((_, s) => p[(s + k) % S]));
    const kernels = rows.map(rowKernel);
    const kernel: Kernel = {
      rowStart: Int32Array.from([0, ...kernels.map((_, k) => kernels.slice(0, k + 1).reduce((n, x) => n + x.next.length, 0))]),
      next: Int32Array.from(kernels.flatMap((x) => Array.from(x.next))),
      prob: Float64Array.from(kernels.flatMap((x) => Array.from(x.prob))),
    };
    const step = new Float64Array(S);
    for (const divergence of ['tv', 'kl'] as const) {
      const game: TabularGame = {
        name: 'infinite-radius',
        m: 2,
        S,
        H: 1,
        A,
        J: layout.J,
        layout,
        initial: Float64Array.of(1, 0, 0, 0),
        reward: new Float64Array(S * layout.J * 2),
        kernel,
        divergence,
        radius: new Float64Array(2 * S).fill(Infinity),
      };
      robustExpectationStep(game, createSigmaWorkspace(S), 0, 1, Float64Array.from([0, 0, 0, 0, ...V]), S, step);
      for (let s = 0; s < S; s++) expect(step[s]).toBe(divergence === 'tv' ? -1 : minOverSupport(rows[s], V));
    }
  });

  it('rho = Infinity on random rows: TV = min V, KL = min V over the support, the TV dual agrees (fast-check)', () => {
    fc.assert(
      fc.property(instance, ({ p, V }) => {
        expect(sigmaTv(p, V, Infinity)).toBe(Math.min(...V));
        expect(sigmaTvDual(p, V, Infinity)).toBe(Math.min(...V));
        expect(sigmaKl(p, V, Infinity)).toBe(minOverSupport(p, V));
      }),
      { numRuns: 300 },
    );
  });

  it('rho = NaN is refused with a located error by every entry point', () => {
    const msg = 'rho: expected a radius >= 0, got NaN';
    expect(() => sigmaTv(p, V, Number.NaN)).toThrow(msg);
    expect(() => sigmaTvDual(p, V, Number.NaN)).toThrow(msg);
    expect(() => sigmaKl(p, V, Number.NaN)).toThrow(msg);
    expect(() => klDualObjective(p, V, Number.NaN, 1)).toThrow(msg);
    const ws = createSigmaWorkspace(4);
    loadValues(ws, Float64Array.from(V));
    const K = rowKernel(p);
    for (const divergence of ['tv', 'kl'] as const) {
      expect(() => robustExpectationRow(ws, divergence, K, 0, Number.NaN)).toThrow(msg);
      expect(() => worstCaseRow(ws, divergence, K, 0, Number.NaN, new Float64Array(4))).toThrow(msg);
    }
    const S = 4, A = [1, 1];
    const layout = jointActionLayout(A);
    const game: TabularGame = {
      name: 'nan-radius',
      m: 2,
      S,
      H: 1,
      A,
      J: layout.J,
      layout,
      initial: Float64Array.of(1, 0, 0, 0),
      reward: new Float64Array(S * layout.J * 2),
      kernel: { rowStart: Int32Array.of(0, 3, 6, 9, 12), next: Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]), prob: new Float64Array(12).fill(1 / 3) },
      divergence: 'tv',
      radius: Float64Array.of(0.1, 0.1, 0.1, 0.1, 0.1, Number.NaN, 0.1, 0.1),
    };
    const out = new Float64Array(S);
    expect(() => robustExpectationStep(game, createSigmaWorkspace(S), 0, 1, new Float64Array(2 * S), S, out)).toThrow(
      'radius[1][0][1]: expected a radius >= 0, got NaN',
    );
    expect(() => robustExpectationStep({ ...game, divergence: 'kl' }, createSigmaWorkspace(S), 0, 1, new Float64Array(2 * S), S, out)).toThrow(
      'radius[1][0][1]: expected a radius >= 0, got NaN',
    );
  });
});

describe('robustExpectationSteps (several value tables at once)', () => {
  /**
   * A game whose (h, s) blocks mix the three paths of the batched step: all rows dense (the kernel's own rows),
   * rows dense enough to scatter into a block, and rows too sparse for one (taken one by one); values with ties;
   * radii 0, in (0, 1), and >= 1.
   */
  function mixedGame(seed: number, divergence: Divergence, S: number, A: number[]): TabularGame {
    const rng = createRng(seed);
    const H = 3;
    const J = A.reduce((x, y) => x * y, 1);
    const rows = H * S * J;
    const kernel = new Float64Array(rows * S);
    for (let hs = 0; hs < H * S; hs++) {
      const kind = hs % 3; // 0: dense block, 1: half-dense rows, 2: 1-3 next states
      for (let j = 0; j < J; j++) {
        const r = hs * J + j;
        const support = kind === 0 ? S : kind === 1 ? Math.max(1, Math.floor(S / 2)) : 1 + Math.floor(rng() * Math.min(3, S));
        kernel.set(randomDist(rng, S, support), r * S);
      }
    }
    const radius = new Float64Array(A.length * H * S).map(() => {
      const u = rng();
      return u < 0.15 ? 0 : u < 0.25 ? 1 + rng() : divergence === 'tv' ? 0.6 * rng() : 2 * rng();
    });
    return createTabularGame({ S, H, A, initial: new Float64Array(S).fill(1 / S), reward: new Float64Array(rows * A.length), kernel, divergence, radius });
  }

  /** Value tables (rows 0..H) with ties: multiples of 1/4 half the time. */
  function tables(seed: number, S: number, H: number, k: number): Float64Array[] {
    const rng = createRng(seed);
    return Array.from({ length: k }, () => new Float64Array((H + 1) * S).map(() => (rng() < 0.5 ? Math.floor(rng() * 12) / 4 : 3 * rng())));
  }

  it.each([
    ['tv', 7, [2, 3]],
    ['tv', 12, [3, 3]],
    ['kl', 7, [2, 3]],
    ['kl', 12, [3, 3]],
  ] as const)('equals robustExpectationRow row by row, for 1, 2 and 3 tables, with and without a row mask (%s, S = %i)', (div, S, A) => {
    const g = mixedGame(S * 31 + A[0], div, S, [...A]);
    const { H, J } = g;
    const rng = createRng(99);
    const ws1 = createSigmaWorkspace(S);
    for (let k = 1; k <= 3; k++) {
      const T = tables(k * 7 + S, S, H, k);
      const wss = T.map(() => createSigmaWorkspace(S));
      const outs = T.map(() => new Float64Array(S * J).fill(7));
      for (const masked of [false, true]) {
        const needed = new Uint8Array(S * J);
        for (let o = 0; o < S * J; o++) needed[o] = masked ? Math.floor(rng() * (1 << k)) : (1 << k) - 1;
        for (let i = 0; i < g.m; i++) {
          for (let h = 0; h < H; h++) {
            robustExpectationSteps(g, wss, h, i, T, (h + 1) * S, outs, masked ? needed : null);
            for (let q = 0; q < k; q++) {
              loadValues(ws1, T[q], (h + 1) * S);
              for (let s = 0; s < S; s++) {
                const rho = g.radius[(i * H + h) * S + s];
                for (let j = 0; j < J; j++) {
                  const o = s * J + j;
                  const got = outs[q][o];
                  if ((needed[o] & (1 << q)) === 0) {
                    expect(got).toBe(0);
                    continue;
                  }
                  const want = robustExpectationRow(ws1, div, g.kernel, (h * S + s) * J + j, rho);
                  // Same value up to the order of the sums (the batched TV path sums in a different order).
                  expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-13 * 3 + 1e-15 * Math.abs(want));
                }
              }
            }
          }
        }
      }
    }
  });

  it('dense TV blocks: the value is the closed form of the walk, min V <= sigma <= E_P[V], monotone in rho (fast-check)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 2, max: 9 }), (seed, S) => {
        const g = mixedGame(seed, 'tv', S, [2, 2]);
        const T = tables(seed + 1, S, g.H, 3);
        const wss = T.map(() => createSigmaWorkspace(S));
        const outs = T.map(() => new Float64Array(S * g.J));
        const ws1 = createSigmaWorkspace(S);
        robustExpectationSteps(g, wss, 0, 1, T, S, outs);
        for (let q = 0; q < 3; q++) {
          loadValues(ws1, T[q], S);
          const v = T[q].subarray(S, 2 * S);
          let vmin = Infinity;
          for (const x of v) vmin = Math.min(vmin, x);
          for (let s = 0; s < S; s++) {
            for (let j = 0; j < g.J; j++) {
              const r = s * g.J + j;
              const p = new Float64Array(S);
              for (let e = g.kernel.rowStart[r]; e < g.kernel.rowStart[r + 1]; e++) p[g.kernel.next[e]] = g.kernel.prob[e];
              const rho = g.radius[(1 * g.H + 0) * S + s];
              const got = outs[q][s * g.J + j];
              let nominal = 0;
              for (let sp = 0; sp < S; sp++) nominal += p[sp] * v[sp];
              expect(got).toBeGreaterThanOrEqual(vmin - 1e-12);
              expect(got).toBeLessThanOrEqual(nominal + 1e-12);
              expect(Math.abs(got - sigmaTvDual(p, v, rho))).toBeLessThanOrEqual(1e-12);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refuses mismatched lists and a shared workspace, naming the argument', () => {
    const g = mixedGame(1, 'tv', 4, [2, 2]);
    const T = tables(2, 4, g.H, 3);
    const ws = createSigmaWorkspace(4);
    const out = () => new Float64Array(4 * g.J);
    expect(() => robustExpectationSteps(g, [ws], 0, 0, T, 4, [out(), out(), out()])).toThrow('wss: expected 3 workspaces (one per value table), got 1');
    expect(() => robustExpectationSteps(g, [ws, createSigmaWorkspace(4)], 0, 0, T.slice(0, 2), 4, [out()])).toThrow('outs: expected 2 output arrays');
    expect(() => robustExpectationSteps(g, [ws, ws], 0, 0, T.slice(0, 2), 4, [out(), out()])).toThrow('wss[1]: expected a workspace of its own, got the same as wss[0]');
    expect(() => robustExpectationSteps(g, [], 0, 0, [], 4, [])).toThrow('tables: expected 1 to 3 value tables, got 0');
    expect(() => robustExpectationSteps(g, [createSigmaWorkspace(5)], 0, 0, T.slice(0, 1), 4, [out()])).toThrow('wss[0]: workspace is for 5 states, the game has 4');
  });
});

describe('KL two-point rows (the one-variable primal)', () => {
  it('equal the bisection primal and the golden-section dual, the worst case in the ball attaining sigma (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }),
        fc.double({ min: -30, max: 1.3, noNaN: true }).map((r) => Math.pow(10, r)),
        fc.double({ min: -5, max: 5, noNaN: true }),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        fc.boolean(),
        (a, rho, vLo, gap, swap) => {
          const b = 1 - a;
          const vHi = vLo + gap;
          const p = swap ? [b, a] : [a, b];
          const V = swap ? [vHi, vLo] : [vLo, vHi];
          const sigma = sigmaKl(p, V, rho);
          // Both references evaluate KL with cancellation near rho -> 0 (there they, not sigmaKl, are off: the mpmath
          // values of the next test cover tiny radii), so they are compared above 1e-12.
          if (rho > 1e-12) {
            expect(Math.abs(sigma - klTwoPointPrimal(a, b, vLo, vHi, rho))).toBeLessThanOrEqual(1e-12 * gap + 4e-16 * (Math.abs(vLo) + Math.abs(vHi)));
            expect(Math.abs(sigma - klDualMax(p, V, rho))).toBeLessThanOrEqual(1e-11 * gap);
          }
          expect(sigma).toBeLessThanOrEqual(a * V[swap ? 1 : 0] + b * V[swap ? 0 : 1] + 1e-15);
          const ws = createSigmaWorkspace(2);
          loadValues(ws, Float64Array.from(V));
          const q = new Float64Array(2);
          worstCaseRow(ws, 'kl', rowKernel(p), 0, rho, q);
          const kl = (q[0] > 0 ? q[0] * Math.log(q[0] / p[0]) : 0) + (q[1] > 0 ? q[1] * Math.log(q[1] / p[1]) : 0);
          expect(Math.abs(q[0] + q[1] - 1)).toBeLessThan(1e-12);
          expect(kl).toBeLessThanOrEqual(rho * (1 + 1e-9) + 1e-15);
          expect(Math.abs(q[0] * V[0] + q[1] * V[1] - sigma)).toBeLessThanOrEqual(1e-9 * gap);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('known values (mpmath, 60 digits: the root of (b - d) log((b - d)/b) + (a + d) log((a + d)/a) = rho by bisection)', () => {
    const cases: [number, number, number, number, number][] = [
      [0.00012365766994371777, 2.8731806364815734e-19, 0, 0.001, 0.0009998763423216272028441],
      [0.3, 0.05, 0, 1, 0.5497221325738041152792],
      [1e-5, 5, -2, 3, 0.5275261154877679220511],
      [0.5, 1e-30, 1, 2, 1.499999999999999292893],
    ];
    for (const [a, rho, vLo, vHi, want] of cases) {
      expect(Math.abs(sigmaKl([a, 1 - a], [vLo, vHi], rho) - want)).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(want)));
      expect(Math.abs(sigmaKl([1 - a, a], [vHi, vLo], rho) - want)).toBeLessThanOrEqual(4e-16 * Math.max(1, Math.abs(want)));
    }
  });
});

describe('KL dense rows: the shared-W solve agrees with the general one', () => {
  // A dense row (every state in the support) is solved from W = V - min V computed once per loaded V
  // (`klSolveDenseRow`, taken when no worst case is asked); asking for the worst case takes the general path, which
  // gathers W per row. Two paths, one answer: checked on rows of every shape the dense path meets, including the ones
  // it hands back to the general solve (a tiny argmin mass, fewer than three states, V constant).
  const denseRow = fc
    .integer({ min: 1, max: 60 })
    .chain((S) =>
      fc.record({
        w: fc.array(fc.oneof(fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.constant(1e-250), fc.constant(1e-12)), { minLength: S, maxLength: S }),
        V: fc.array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.double({ min: -20, max: 20, noNaN: true })), { minLength: S, maxLength: S }),
        rho: fc.oneof(fc.double({ min: 1e-40, max: 1e-30, noNaN: true }), fc.double({ min: 1e-9, max: 3, noNaN: true }), fc.constant(Infinity)),
        scale: fc.constantFrom(1, 1e-20, 1e25),
      }),
    );

  it('robustExpectationRow (dense path) equals worstCaseRow (general path) to 1e-12 of the span, on 1,000 rows', () => {
    fc.assert(
      fc.property(denseRow, ({ w, V, rho, scale }) => {
        const S = w.length;
        const sum = w.reduce((x, y) => x + y, 0);
        const p = w.map((x) => x / sum);
        if (p.some((x) => !(x > 0))) return; // a mass rounding to 0 is not a dense row
        const Vs = Float64Array.from(V, (x) => x * scale);
        const ws = createSigmaWorkspace(S);
        loadValues(ws, Vs);
        const kernel = rowKernel(p);
        expect(kernel.rowStart[1]).toBe(S);
        const dense = robustExpectationRow(ws, 'kl', kernel, 0, rho);
        const general = worstCaseRow(ws, 'kl', kernel, 0, rho, new Float64Array(S));
        const span = Math.max(...Vs) - Math.min(...Vs);
        expect(Math.abs(dense - general)).toBeLessThanOrEqual(1e-12 * span + 1e-300);
      }),
      { numRuns: 1000 },
    );
  });

  it('a whole step of dense rows through robustExpectationSteps (shared W and exp tables) equals the rows one by one', () => {
    const rng = createRng(2026);
    for (const S of [3, 17, 50]) {
      const H = 2, A = [3, 2], J = 6, m = 2;
      const kernel = new Float64Array(H * S * J * S);
      for (let r = 0; r < H * S * J; r++) kernel.set(randomDist(rng, S, S), r * S);
      for (let k = 0; k < kernel.length; k++) if (!(kernel[k] > 0)) kernel[k] = 1e-9; // keep every row dense
      const radius = new Float64Array(m * H * S).map(() => (rng() < 0.1 ? 0 : 2 * rng()));
      const game = createTabularGame({ S, H, A, initial: new Float64Array(S).fill(1 / S), reward: new Float64Array(H * S * J * m), kernel, divergence: 'kl', radius });
      const V = randomValues(rng, S);
      const tables = [0, 1, 2].map((q) => Float64Array.from({ length: 2 * S }, (_, k) => (k < S ? 0 : V[k - S] * (1 + q) + q)));
      const outs = [0, 1, 2].map(() => new Float64Array(S * J));
      const wss = [0, 1, 2].map(() => createSigmaWorkspace(S));
      for (let i = 0; i < m; i++) {
        robustExpectationSteps(game, wss, 0, i, tables, S, outs);
        const one = createSigmaWorkspace(S);
        for (let q = 0; q < 3; q++) {
          loadValues(one, tables[q], S);
          const span = Math.max(...tables[q].subarray(S)) - Math.min(...tables[q].subarray(S));
          for (let s = 0; s < S; s++) {
            for (let j = 0; j < J; j++) {
              const want = worstCaseRow(one, 'kl', game.kernel, s * J + j, radius[i * H * S + s], new Float64Array(S));
              expect(Math.abs(outs[q][s * J + j] - want)).toBeLessThanOrEqual(1e-12 * span);
            }
          }
        }
      }
    }
  });
});

describe('KL two-point rows: the cache of delta* by (p1, p0, rho)', () => {
  it('a row solved again against another V gives bit for bit what a fresh workspace gives (200 rows x 3 V)', () => {
    const rng = createRng(77);
    const S = 6;
    const ws = createSigmaWorkspace(S);
    for (let t = 0; t < 200; t++) {
      const a = rng() < 0.1 ? 1e-150 : rng();
      const p = new Float64Array(S);
      const u = Math.floor(rng() * S);
      const v = (u + 1 + Math.floor(rng() * (S - 1))) % S;
      p[u] = a / (a + 1);
      p[v] = 1 / (a + 1);
      const kernel = rowKernel(p);
      const rho = rng() < 0.2 ? 1e-20 : 2 * rng();
      for (let q = 0; q < 3; q++) {
        const V = randomValues(rng, S);
        loadValues(ws, V);
        const cached = robustExpectationRow(ws, 'kl', kernel, 0, rho);
        const fresh = createSigmaWorkspace(S);
        loadValues(fresh, V);
        expect(Object.is(cached, robustExpectationRow(fresh, 'kl', kernel, 0, rho))).toBe(true);
        // The worst case's tilt (beta*) comes from the cache too: the tilted kernel is the same.
        const o1 = new Float64Array(S), o2 = new Float64Array(S);
        worstCaseRow(ws, 'kl', kernel, 0, rho, o1);
        const fresh2 = createSigmaWorkspace(S);
        loadValues(fresh2, V);
        worstCaseRow(fresh2, 'kl', kernel, 0, rho, o2);
        expect(o1).toEqual(o2);
        expect(Math.abs(o1.reduce((x, y) => x + y, 0) - 1)).toBeLessThan(1e-12);
      }
    }
  });
});

describe('TV order of V by merge sort (no warm start to profit from)', () => {
  it('rows against fresh random V of 300 states (with ties) equal the dual formula, and the order is V descending, ties by index', () => {
    const rng = createRng(5150);
    const S = 300;
    const ws = createSigmaWorkspace(S);
    for (let t = 0; t < 20; t++) {
      // A V unrelated to the previous one: the insertion sort gives up and the merge sort orders all S states.
      const V = Float64Array.from({ length: S }, () => (rng() < 0.3 ? 10 - Math.floor(rng() * 4) : 10 * rng()));
      loadValues(ws, V);
      for (let q = 0; q < 5; q++) {
        const p = randomDist(rng, S, q === 0 ? S : 1 + Math.floor(rng() * S));
        const rho = 0.6 * rng();
        const got = robustExpectationRow(ws, 'tv', rowKernel(p), 0, rho);
        expect(Math.abs(got - sigmaTvDual(p, V, rho))).toBeLessThanOrEqual(1e-12 * 10);
      }
      // The worst case of a dense row moves mass off the top of the order: it agrees with a sort done here.
      const order = Array.from({ length: S }, (_, s) => s).sort((x, y) => V[y] - V[x] || x - y);
      const p = randomDist(rng, S, S);
      const out = new Float64Array(S);
      worstCaseRow(ws, 'tv', rowKernel(p), 0, 0.3, out);
      let moved = 0;
      for (const s of order) {
        if (V[s] === Math.min(...V)) break;
        const take = Math.min(p[s], 0.3 - moved);
        expect(out[s]).toBeCloseTo(p[s] - take, 14);
        moved += take;
      }
    }
  });
});
