/**
 * Exactness of the worst-kernel wrapper's sampling, two independent methods: the wrapper's resampled next states
 * (Monte Carlo, fixed seed) against the exact law of "n draws from p, then the worst case of their empirical law",
 * computed by enumerating every count vector with its multinomial probability (chi-square, false-failure probability
 * 1e-6); and that exact finite-n law against the exact worst kernel of p itself (`worstCaseRow`), within a derived bound.
 */
import { createRng, createSigmaWorkspace, loadValues, stateIndexArray, worstCaseRow } from '@drmg/core';
import type { Divergence, Kernel } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { createWorstKernelScratch, loadDraws, resampleWorstCase } from './worst-kernel.ts';

const S = 4;
const p = [0.5, 0.3, 0.2, 0]; // state 3 is outside the support
const V = Float64Array.from([2, 1, 0.5, 0]); // TV moves mass to state 3 (support shift); KL cannot

/** The worst case of sigma_{q, rho}[V] for a dense distribution q over S states. */
function worstOf(divergence: Divergence, q: readonly number[], rho: number): Float64Array {
  const next: number[] = [], prob: number[] = [];
  q.forEach((x, s) => {
    if (x > 0) {
      next.push(s);
      prob.push(x);
    }
  });
  const row: Kernel = { rowStart: Int32Array.from([0, next.length]), next: stateIndexArray(S, next), prob: Float64Array.from(prob) };
  const ws = createSigmaWorkspace(S);
  loadValues(ws, V);
  const out = new Float64Array(S);
  worstCaseRow(ws, divergence, row, 0, rho, out);
  return out;
}

/** The exact law of the wrapper's output with n draws: sum over count vectors c of Multinomial(c; n, p) W(c / n). */
function finiteLaw(divergence: Divergence, n: number, rho: number): Float64Array {
  const logFact = new Float64Array(n + 1);
  for (let k = 1; k <= n; k++) logFact[k] = logFact[k - 1] + Math.log(k);
  const law = new Float64Array(S);
  for (let c0 = 0; c0 <= n; c0++) {
    for (let c1 = 0; c0 + c1 <= n; c1++) {
      const c2 = n - c0 - c1;
      const logP = logFact[n] - logFact[c0] - logFact[c1] - logFact[c2] + c0 * Math.log(p[0]) + c1 * Math.log(p[1]) + c2 * Math.log(p[2]);
      const w = worstOf(divergence, [c0 / n, c1 / n, c2 / n, 0], rho);
      const pr = Math.exp(logP);
      for (let s = 0; s < S; s++) law[s] += pr * w[s];
    }
  }
  return law;
}

/** The wrapper's sampler: M times, n i.i.d. draws from p (its own generator), loadDraws, resampleWorstCase. */
function sampledCounts(divergence: Divergence, n: number, rho: number, M: number, seed: number): Float64Array {
  const rng = createRng(seed);
  const scratch = createWorstKernelScratch(S);
  const x = new Int32Array(n);
  const counts = new Float64Array(S);
  for (let t = 0; t < M; t++) {
    for (let k = 0; k < n; k++) {
      const u = rng();
      x[k] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
    }
    loadDraws(scratch, x, n);
    counts[resampleWorstCase(scratch, divergence, V, 0, rho, rng)]++;
  }
  return counts;
}

const tvDistance = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let d = 0;
  for (let s = 0; s < a.length; s++) d += Math.abs(a[s] - b[s]);
  return d / 2;
};

/**
 * Chi-square upper quantiles at 1 - 1e-6 (false-failure probability 1e-6): df = 2, survival exp(-x/2), so
 * x = 2 ln(1e6) = 27.63; df = 3, survival erfc(sqrt(x/2)) + sqrt(2x/pi) exp(-x/2), which is 1.0e-6 at x = 30.66.
 */
const CHI2_1E6: Record<number, number> = { 2: 27.63, 3: 30.66 };

describe('worst-kernel resampling: exact against the worst kernel on small rows', () => {
  for (const [divergence, rho] of [['tv', 0.3], ['kl', 0.3]] as const) {
    it(`${divergence.toUpperCase()}: the sampler's frequencies match the exact finite-n law (chi-square, n = 1, 4, 16)`, () => {
      const M = 20_000;
      for (const n of [1, 4, 16]) {
        const law = finiteLaw(divergence, n, rho);
        const counts = sampledCounts(divergence, n, rho, M, 100 + n);
        let chi2 = 0, cells = 0;
        for (let s = 0; s < S; s++) {
          if (law[s] === 0) {
            expect(counts[s]).toBe(0);
            continue;
          }
          cells++;
          chi2 += (counts[s] - M * law[s]) ** 2 / (M * law[s]);
        }
        expect(cells).toBe(divergence === 'tv' ? 4 : 3); // TV reaches state 3 (support shift), KL never does
        expect(chi2).toBeLessThan(CHI2_1E6[cells - 1]);
      }
    });
  }

  it('TV: the exact finite-n law tends to the exact worst kernel, within 5 E[TV(P_n, p)] <= 2.5 sum sqrt(p(1-p)/n)', () => {
    // Derivation. Sort supp p by V descending; W(q) removes R_k(q) = min(c_k(q), rho) of cumulative mass from the top
    // k states (c_k the cumulative mass) and puts rho on argmin V (the same state for q and p). So
    // ||W(q) - W(p)||_1 <= ||q - p||_1 + sum_k |dR_k(q) - dR_k(p)| <= ||q - p||_1 + 2 sum_{k<3} |c_k(q) - c_k(p)|
    // <= 5 ||q - p||_1 for a support of 3; by convexity TV(E W(P_n), W(p)) <= 5 E TV(P_n, p), and
    // E TV(P_n, p) <= (1/2) sum_s sqrt(p_s (1 - p_s) / n) (Jensen).
    const exact = worstOf('tv', p, 0.3);
    expect(Array.from(exact)).toEqual([0.2, 0.3, 0.2, 0.3].map((x) => expect.closeTo(x, 12) as unknown as number));
    let prev = Infinity;
    for (const n of [1, 4, 16, 64, 256]) {
      const d = tvDistance(finiteLaw('tv', n, 0.3), exact);
      const bound = 2.5 * p.slice(0, 3).reduce((acc, x) => acc + Math.sqrt((x * (1 - x)) / n), 0);
      expect(d).toBeLessThanOrEqual(bound);
      expect(d).toBeLessThan(prev);
      prev = d;
    }
    expect(prev).toBeLessThan(0.01); // measured: 0.0019 at n = 256
  });

  it('KL: the exact finite-n law tends to the exact worst kernel (sampling importance resampling, bias O(1/n))', () => {
    // SIR with weights exp(-V / eta_n) is a ratio estimator: its law's bias shrinks like 1/n, so the distance at
    // n = 256 must be at most a quarter of that at n = 16 (1/16 for an exact 1/n rate; a quarter leaves room for the
    // non-asymptotic part), and it is non-increasing along n = 4, 16, 64, 256.
    const exact = worstOf('kl', p, 0.3);
    const d = [4, 16, 64, 256].map((n) => tvDistance(finiteLaw('kl', n, 0.3), exact));
    for (let k = 1; k < d.length; k++) expect(d[k]).toBeLessThanOrEqual(d[k - 1]);
    expect(d[3]).toBeLessThanOrEqual(d[1] / 4);
    expect(d[3]).toBeLessThan(0.01);
  });

  it('refuses draws outside the state space and an empty draw set', () => {
    const scratch = createWorstKernelScratch(S);
    expect(() => loadDraws(scratch, [0, 7], 2)).toThrow(/draws\[1\]: expected a state in \[0, 3\], got 7/);
    expect(() => loadDraws(scratch, [0], 0)).toThrow(/draws: expected n in \[1, 1\] draws, got 0/);
  });
});
