/**
 * Approximate Nash equilibria of m-player games (m >= 2, meant for m >= 3) by following the logit quantal-response
 * path (McKelvey and Palfrey 1995; path following as in Turocy, "A dynamic homotopy interpretation of the logistic
 * quantal response equilibrium correspondence", Games and Economic Behavior 51, 2005, and Gambit's `gambit-logit`),
 * then polishing with Newton's method on the support equations of the equilibrium the path approaches.
 *
 * Path: with payoffs mapped into [0, 1] and z_ia = log x_ia, the logit equilibria at precision lambda solve
 *   H_i0 = sum_a exp(z_ia) - 1 = 0,   H_ia = z_ia - z_i0 - lambda (u_ia(x) - u_i0(x)) = 0  (a >= 1),
 * u_ia(x) = player i's expected payoff for action a against the others' mixtures. At lambda = 0 the solution is
 * uniform; for generic games the branch from it is a smooth curve on which lambda -> infinity and x converges to a
 * Nash equilibrium (the "limiting logit equilibrium"). It is followed by arc-length predictor-corrector steps
 * (tangent from the augmented Jacobian [DH; t_prev^T], Newton corrector orthogonal to the tangent), so turning
 * points in lambda are passed.
 * Polish: guessing supports S_i from x, Newton solves u_ia(x) = v_i (a in S_i), sum_{a in S_i} x_ia = 1, x = 0
 * off the supports; a solution with x >= 0 whose exact NE gap is smaller than the path point's replaces it.
 *
 * What it guarantees: nothing beyond the certificate. The result carries epsilon = max_i (max_b u_i(b, x_-i) -
 * u_i(x)) computed exactly from the original payoffs; epsilon is typically ~1e-15 when the polish succeeds, and
 * the path point's gap otherwise. Degenerate or non-generic games can make the path singular; the best point
 * found is then returned with its (larger) epsilon.
 *
 * Layouts: strategies are concatenated, x[off[i] + a]; pairwise tables P[pairOff[i*m + k] + a*A_k + b] =
 * E[U_i | a_i = a, a_k = b, others ~ x] for k != i.
 */
import { inputError } from '@drmg/core';
import { createCertifier, createCertificate } from './certify.ts';
import { solveLinearSystem } from './linear-solve.ts';
import type { NormalFormGame } from './normal-form-game.ts';
import { productDistribution } from './product-distribution.ts';

/** Options of `approximateNash`. */
export interface ApproximateNashOptions {
  /** Accepted predictor-corrector steps at most (default 5000). */
  readonly maxSteps?: number;
  /** Stop following the path at this precision lambda (payoffs scaled to [0, 1]; default 1e8). */
  readonly lambdaMax?: number;
  /** Stop as soon as the certified gap is at most this (default 1e-13 times the payoff range). */
  readonly target?: number;
}

/** An approximate Nash equilibrium with its certified epsilon. */
export interface ApproximateNashResult {
  /** marginals[i][a]: player i's mixed strategy. */
  readonly marginals: Float64Array[];
  /** Certified NE gap of the product of the marginals: max_i (max_b u_i(b, x_-i) - u_i(x)), original payoffs. */
  readonly epsilon: number;
  /** Precision lambda reached on the logit path (payoffs scaled to [0, 1]). */
  readonly lambda: number;
  /** Accepted path steps. */
  readonly steps: number;
  /** Whether the returned point came from the Newton polish on a support guess. */
  readonly polished: boolean;
}

/**
 * An approximate Nash equilibrium of an m-player game (m >= 2) by logit-path following plus Newton polishing
 * (see the file header); deterministic, and honest: `epsilon` is the exact gap of what it returns.
 * @throws DrmgError when the game has fewer than two players or an option is invalid.
 */
export function approximateNash(game: NormalFormGame, options: ApproximateNashOptions = {}): ApproximateNashResult {
  const { m, A, J, payoff } = game;
  const { actionOf } = game.layout;
  if (m < 2) inputError('game', `expected at least two players, got ${m}`);
  const maxSteps = options.maxSteps ?? 5000;
  const lambdaMax = options.lambdaMax ?? 1e8;
  if (!(maxSteps >= 1)) inputError('options.maxSteps', `expected a positive number, got ${maxSteps}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < J * m; k++) {
    if (payoff[k] < lo) lo = payoff[k];
    if (payoff[k] > hi) hi = payoff[k];
  }
  const range = hi - lo > 1e-300 ? hi - lo : 1;
  const target = options.target ?? 1e-13 * range;
  const Us = new Float64Array(J * m);
  for (let k = 0; k < J * m; k++) Us[k] = (payoff[k] - lo) / range;

  const off = new Int32Array(m + 1);
  for (let i = 0; i < m; i++) off[i + 1] = off[i] + A[i];
  const n = off[m];
  const pairOff = new Int32Array(m * m);
  let pSize = 0;
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      if (k === i) continue;
      pairOff[i * m + k] = pSize;
      pSize += A[i] * A[k];
    }
  }
  const P = new Float64Array(pSize);
  const u = new Float64Array(n);
  const pj = new Float64Array(m);

  /** Fills P and u for the strategies x. O(J m^3). */
  function tables(x: Float64Array): void {
    P.fill(0);
    for (let j = 0; j < J; j++) {
      for (let l = 0; l < m; l++) pj[l] = x[off[l] + actionOf[j * m + l]];
      for (let i = 0; i < m; i++) {
        const ui = Us[j * m + i];
        if (ui === 0) continue;
        const ai = actionOf[j * m + i];
        for (let k = 0; k < m; k++) {
          if (k === i) continue;
          let w = ui;
          for (let l = 0; l < m; l++) if (l !== i && l !== k) w *= pj[l];
          if (w !== 0) P[pairOff[i * m + k] + ai * A[k] + actionOf[j * m + k]] += w;
        }
      }
    }
    for (let i = 0; i < m; i++) {
      const k = i === 0 ? 1 : 0;
      const base = pairOff[i * m + k];
      for (let a = 0; a < A[i]; a++) {
        let s = 0;
        for (let b = 0; b < A[k]; b++) s += P[base + a * A[k] + b] * x[off[k] + b];
        u[off[i] + a] = s;
      }
    }
  }

  // Certification on the original payoffs.
  const certifier = createCertifier(A);
  const cert = createCertificate(m);
  const dist = new Float64Array(J);
  const marg: Float64Array[] = [];
  for (let i = 0; i < m; i++) marg.push(new Float64Array(A[i]));
  function gapOf(x: Float64Array): number {
    for (let i = 0; i < m; i++) for (let a = 0; a < A[i]; a++) marg[i][a] = x[off[i] + a];
    productDistribution(game.layout, marg, dist);
    return Math.max(0, certifier.certify(payoff, dist, cert).cceGap);
  }

  const best = new Float64Array(n);
  let bestGap = Infinity;
  let bestPolished = false;
  function offer(x: Float64Array, polished: boolean): void {
    const g = gapOf(x);
    if (g < bestGap) {
      bestGap = g;
      best.set(x);
      bestPolished = polished;
    }
  }

  // ---- Newton polish on a support guess ----
  const inS = new Uint8Array(n);
  const sIdx = new Int32Array(n);
  const xs = new Float64Array(n);
  const polishM = new Float64Array((n + m) * (n + m));
  const polishR = new Float64Array(n + m);
  const polishD = new Float64Array(n + m);
  const polishJ = new Float64Array((n + m) * (n + m));
  const polishF = new Float64Array(n + m);
  const v = new Float64Array(m);

  /**
   * Least-squares step for a singular support system (a continuum of equilibria): solves
   * (J^T J + mu I) d = J^T r with a tiny mu, which moves to a nearby solution of the equations.
   */
  function leastSquaresStep(size: number): boolean {
    let diag = 0;
    for (let a = 0; a < size; a++) {
      for (let b = 0; b < size; b++) {
        let s = 0;
        for (let r = 0; r < size; r++) s += polishJ[r * size + a] * polishJ[r * size + b];
        polishM[a * size + b] = s;
        if (a === b && s > diag) diag = s;
      }
      let g = 0;
      for (let r = 0; r < size; r++) g += polishJ[r * size + a] * polishF[r];
      polishR[a] = g;
    }
    const mu = 1e-12 * Math.max(diag, 1e-300);
    for (let a = 0; a < size; a++) polishM[a * size + a] += mu;
    return solveLinearSystem(size, polishM, polishR, polishD, 1e-300);
  }
  function polish(x: Float64Array, tau: number): void {
    for (let i = 0; i < m; i++) {
      let mx = 0;
      for (let a = 0; a < A[i]; a++) if (x[off[i] + a] > mx) mx = x[off[i] + a];
      for (let a = 0; a < A[i]; a++) {
        inS[off[i] + a] = x[off[i] + a] >= tau * mx ? 1 : 0;
      }
    }
    let N = 0;
    for (let q = 0; q < n; q++) if (inS[q]) sIdx[N++] = q;
    const size = N + m;
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let a = 0; a < A[i]; a++) s += inS[off[i] + a] ? x[off[i] + a] : 0;
      for (let a = 0; a < A[i]; a++) xs[off[i] + a] = inS[off[i] + a] ? x[off[i] + a] / s : 0;
    }
    tables(xs);
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let a = 0; a < A[i]; a++) s += xs[off[i] + a] * u[off[i] + a];
      v[i] = s;
    }
    let bestRes = Infinity;
    let stall = 0;
    for (let iter = 0; iter < 30; iter++) {
      // Residual F and Jacobian; unknown order: x_S (sIdx order), then v_0..v_{m-1}.
      polishM.fill(0, 0, size * size);
      let res = 0;
      let row = 0;
      for (let p = 0; p < N; p++) {
        const q = sIdx[p];
        let i = 0;
        while (q >= off[i + 1]) i++;
        const a = q - off[i];
        const f = u[q] - v[i];
        polishR[row] = -f;
        if (Math.abs(f) > res) res = Math.abs(f);
        for (let c = 0; c < N; c++) {
          const qc = sIdx[c];
          let k = 0;
          while (qc >= off[k + 1]) k++;
          if (k === i) continue;
          polishM[row * size + c] = P[pairOff[i * m + k] + a * A[k] + (qc - off[k])];
        }
        polishM[row * size + N + i] = -1;
        row++;
      }
      for (let i = 0; i < m; i++) {
        let s = -1;
        for (let c = 0; c < N; c++) {
          const qc = sIdx[c];
          if (qc >= off[i] && qc < off[i + 1]) {
            polishM[row * size + c] = 1;
            s += xs[qc];
          }
        }
        polishR[row] = -s;
        if (Math.abs(s) > res) res = Math.abs(s);
        row++;
      }
      if (res < 1e-15) break;
      if (res < 0.5 * bestRes) {
        bestRes = res;
        stall = 0;
      } else if (++stall > 3) break;
      polishJ.set(polishM.subarray(0, size * size));
      polishF.set(polishR.subarray(0, size));
      if (!solveLinearSystem(size, polishM, polishR, polishD, 1e-13) && !leastSquaresStep(size)) return;
      let step = 0;
      for (let c = 0; c < N; c++) {
        xs[sIdx[c]] += polishD[c];
        step = Math.max(step, Math.abs(polishD[c]));
      }
      for (let i = 0; i < m; i++) v[i] += polishD[N + i];
      if (!(step < 1e3)) return;
      tables(xs);
      if (step < 1e-16) break;
    }
    for (let q = 0; q < n; q++) if (xs[q] < 0) {
      if (xs[q] < -1e-12) return;
      xs[q] = 0;
    }
    offer(xs, true);
  }

  // ---- Logit path ----
  const w = new Float64Array(n + 1); // (z, lambda)
  const wp = new Float64Array(n + 1);
  const t = new Float64Array(n + 1);
  const tn = new Float64Array(n + 1);
  const x = new Float64Array(n);
  const H = new Float64Array(n);
  const D = new Float64Array(n * (n + 1));
  const aug = new Float64Array((n + 1) * (n + 1));
  const rhs = new Float64Array(n + 1);
  const delta = new Float64Array(n + 1);

  /** H and its Jacobian D (n x (n + 1), last column d/dlambda) at (z, lambda) = w. */
  function evaluate(wv: Float64Array): void {
    const lambda = wv[n];
    for (let q = 0; q < n; q++) x[q] = Math.exp(wv[q]);
    tables(x);
    D.fill(0);
    const W = n + 1;
    for (let i = 0; i < m; i++) {
      const o = off[i];
      let s = -1;
      for (let a = 0; a < A[i]; a++) {
        s += x[o + a];
        D[o * W + o + a] = x[o + a];
      }
      H[o] = s;
      for (let a = 1; a < A[i]; a++) {
        const r = o + a;
        H[r] = wv[r] - wv[o] - lambda * (u[r] - u[o]);
        D[r * W + r] = 1;
        D[r * W + o] = -1;
        for (let k = 0; k < m; k++) {
          if (k === i) continue;
          const base = pairOff[i * m + k];
          for (let b = 0; b < A[k]; b++) {
            D[r * W + off[k] + b] = -lambda * (P[base + a * A[k] + b] - P[base + b]) * x[off[k] + b];
          }
        }
        D[r * W + n] = -(u[r] - u[o]);
      }
    }
  }

  /** Solves [D; dir^T] sol = [r; last] into `sol`; false when singular. */
  function augmentedSolve(dir: Float64Array, r: Float64Array, last: number, sol: Float64Array): boolean {
    const W = n + 1;
    aug.set(D.subarray(0, n * W));
    for (let c = 0; c <= n; c++) aug[n * W + c] = dir[c];
    for (let q = 0; q < n; q++) rhs[q] = r[q];
    rhs[n] = last;
    return solveLinearSystem(W, aug, rhs, sol, 1e-15);
  }

  const zeros = new Float64Array(n);
  function tangentAt(wv: Float64Array, prev: Float64Array, out: Float64Array): boolean {
    evaluate(wv);
    if (!augmentedSolve(prev, zeros, 1, out)) return false;
    let s = 0;
    for (let c = 0; c <= n; c++) s += out[c] * out[c];
    s = Math.sqrt(s);
    if (!(s > 0) || !Number.isFinite(s)) return false;
    for (let c = 0; c <= n; c++) out[c] /= s;
    return true;
  }

  for (let i = 0; i < m; i++) for (let a = 0; a < A[i]; a++) w[off[i] + a] = -Math.log(A[i]);
  w[n] = 0;
  t.fill(0);
  t[n] = 1;
  for (let q = 0; q < n; q++) x[q] = Math.exp(w[q]);
  offer(x, false);
  let steps = 0;
  let h = 0.1;
  let nextPolish = 8;
  if (tangentAt(w, t, tn)) t.set(tn);
  while (steps < maxSteps && w[n] < lambdaMax && bestGap > target) {
    for (let c = 0; c <= n; c++) wp[c] = w[c] + h * t[c];
    // Corrector: Newton orthogonal to t. A first correction larger than a quarter of the step, or corrections
    // that do not halve, mean the predictor left the curve's neighbourhood (and might land on another branch).
    let converged = false;
    let iters = 0;
    let lastStep = Infinity;
    let firstStep = 0;
    for (; iters < 10; iters++) {
      evaluate(wp);
      let res = 0;
      for (let q = 0; q < n; q++) {
        H[q] = -H[q];
        res = Math.max(res, Math.abs(H[q]));
      }
      if (!augmentedSolve(t, H, 0, delta)) break;
      let step = 0;
      let size = 1;
      for (let c = 0; c <= n; c++) {
        wp[c] += delta[c];
        step = Math.max(step, Math.abs(delta[c]));
        size = Math.max(size, Math.abs(wp[c]));
      }
      if (!Number.isFinite(step) || (iters === 0 && step > Math.min(0.2 * h, 0.25)) || (iters > 0 && step > 0.5 * lastStep && step > 1e-12 * size)) break;
      if (iters === 0) firstStep = step;
      lastStep = step;
      if (step <= 1e-11 * size && res <= 1e-9) {
        converged = true;
        break;
      }
    }
    if (!converged || wp[n] < 0 || !tangentAt(wp, t, tn)) {
      h *= 0.5;
      if (h < 1e-12) break;
      continue;
    }
    let cos = 0;
    for (let c = 0; c <= n; c++) cos += tn[c] * t[c];
    const angle = Math.acos(Math.min(1, cos));
    if (angle > 0.3 && h > 1e-9) {
      h *= 0.5;
      continue;
    }
    w.set(wp);
    t.set(tn);
    steps++;
    // Step control (after Allgower and Georg, "Numerical continuation methods", 1990, Sec. 6.1): aim at a first
    // correction of min(2% of the step, 0.05) and a tangent turn of 0.05 rad per step. The absolute bound keeps the
    // corrector from hopping to a nearby sheet of the logit correspondence (sheets can be O(1) apart in log x).
    const ratio = Math.max(firstStep / Math.min(0.02 * h, 0.05), angle / 0.05, 1e-3);
    h *= Math.min(2, Math.max(0.5, 1 / Math.sqrt(ratio)));
    h = Math.min(h, 1e6);
    if (w[n] >= nextPolish) {
      nextPolish = w[n] * 1.5;
      for (let q = 0; q < n; q++) x[q] = Math.exp(w[q]);
      offer(x, false);
      polish(x, 1e-3);
      if (bestGap > target) polish(x, 1e-6);
    }
  }
  for (let q = 0; q < n; q++) x[q] = Math.exp(w[q]);
  offer(x, false);
  polish(x, 1e-3);
  polish(x, 1e-6);
  polish(x, 1e-9);

  const marginals: Float64Array[] = [];
  for (let i = 0; i < m; i++) {
    const mi = new Float64Array(A[i]);
    let s = 0;
    for (let a = 0; a < A[i]; a++) s += best[off[i] + a];
    for (let a = 0; a < A[i]; a++) mi[a] = best[off[i] + a] / s;
    marginals.push(mi);
  }
  return { marginals, epsilon: gapOf(flatten(marginals, n, off)), lambda: w[n], steps, polished: bestPolished };
}

function flatten(marginals: Float64Array[], n: number, off: Int32Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < marginals.length; i++) x.set(marginals[i], off[i]);
  return x;
}
