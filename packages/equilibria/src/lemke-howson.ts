/**
 * The Lemke-Howson algorithm for two-player general-sum games (Lemke and Howson 1964; exposition and notation of
 * von Stengel, "Computing equilibria for two-person games", Handbook of Game Theory vol. 3, 2002, Sec. 2.3-2.6).
 *
 * With payoffs mapped to positive matrices A, B (see `bimatrix.ts`), the best-response polytopes are
 *   P = {x >= 0 : B^T x <= 1}   (x has label a when x_a = 0, label n1 + b when (B^T x)_b = 1),
 *   Q = {y >= 0 : A y <= 1}     (y has label a when (A y)_a = 1, label n1 + b when y_b = 0);
 * a completely labeled pair (x, y) != (0, 0) is, after normalisation, a Nash equilibrium. Starting at (0, 0) and
 * dropping label k, complementary pivoting alternates between the two tableaux until label k is picked up again.
 * Degenerate games are handled by the lexicographic minimum-ratio test over (rhs, B^-1) rows, which is the
 * perturbation b + (eps, eps^2, ...) and can neither cycle nor stop at a non-equilibrium (von Stengel 2002, Sec. 2.6).
 *
 * Tableau layouts (full, row-major, width n1 + n2 + 1, right-hand side last; variable id = its label):
 * - P: rows b = 0..n2-1, s_b + sum_a B[a][b] x_a = 1; columns x_a (id a) then s_b (id n1 + b).
 * - Q: rows a = 0..n1-1, r_a + sum_b A[a][b] y_b = 1;  columns r_a (id a) then y_b (id n1 + b).
 */
import { inputError, DrmgError } from '@drmg/core';
import { positiveBimatrix, normalizeInPlace, sameEquilibrium } from './bimatrix.ts';
import type { BimatrixEquilibrium, PositiveBimatrix } from './bimatrix.ts';
import type { NormalFormGame } from './normal-form-game.ts';

/** A Lemke-Howson equilibrium with the path length that found it. */
export interface LemkeHowsonResult extends BimatrixEquilibrium {
  /** The dropped label k (0..n1-1: player 0's action k; n1..n1+n2-1: player 1's action k - n1). */
  readonly label: number;
  /** Number of pivots on the path. */
  readonly pivots: number;
}

interface LhTableau {
  readonly rows: number;
  readonly t: Float64Array;
  readonly basis: Int32Array;
  /** First column of the initial basis (its columns hold B^-1 of the current basis). */
  readonly invStart: number;
}

const POSITIVE = 1e-12;
const TIE = 1e-11;

/** Whether row r1 beats row r2 in the lexicographic minimum-ratio test on column c. */
function lexLess(tab: LhTableau, W: number, r1: number, r2: number, c: number): boolean {
  const t = tab.t;
  const p1 = t[r1 * W + c];
  const p2 = t[r2 * W + c];
  const rhs = W - 1;
  let v1 = t[r1 * W + rhs] / p1;
  let v2 = t[r2 * W + rhs] / p2;
  if (Math.abs(v1 - v2) > TIE * (1 + Math.abs(v1) + Math.abs(v2))) return v1 < v2;
  for (let k = 0; k < tab.rows; k++) {
    v1 = t[r1 * W + tab.invStart + k] / p1;
    v2 = t[r2 * W + tab.invStart + k] / p2;
    if (Math.abs(v1 - v2) > TIE * (1 + Math.abs(v1) + Math.abs(v2))) return v1 < v2;
  }
  return r1 < r2; // identical rows cannot happen for a nonsingular basis; keep the rule total
}

function pivotFull(tab: LhTableau, W: number, r: number, c: number): void {
  const t = tab.t;
  const pr = r * W;
  const inv = 1 / t[pr + c];
  for (let k = 0; k < W; k++) t[pr + k] *= inv;
  t[pr + c] = 1;
  for (let i = 0; i < tab.rows; i++) {
    if (i === r) continue;
    const pi = i * W;
    const f = t[pi + c];
    if (f === 0) continue;
    for (let k = 0; k < W; k++) t[pi + k] -= f * t[pr + k];
    t[pi + c] = 0;
  }
  tab.basis[r] = c;
}

function buildTableaux(mat: PositiveBimatrix): { P: LhTableau; Q: LhTableau; W: number } {
  const { n1, n2, A, B } = mat;
  const W = n1 + n2 + 1;
  const P: LhTableau = { rows: n2, t: new Float64Array(n2 * W), basis: new Int32Array(n2), invStart: n1 };
  const Q: LhTableau = { rows: n1, t: new Float64Array(n1 * W), basis: new Int32Array(n1), invStart: 0 };
  for (let b = 0; b < n2; b++) {
    const pr = b * W;
    for (let a = 0; a < n1; a++) P.t[pr + a] = B[a * n2 + b];
    P.t[pr + n1 + b] = 1;
    P.t[pr + W - 1] = 1;
    P.basis[b] = n1 + b;
  }
  for (let a = 0; a < n1; a++) {
    const pr = a * W;
    Q.t[pr + a] = 1;
    for (let b = 0; b < n2; b++) Q.t[pr + n1 + b] = A[a * n2 + b];
    Q.t[pr + W - 1] = 1;
    Q.basis[a] = a;
  }
  return { P, Q, W };
}

/**
 * One Nash equilibrium of a two-player game by Lemke-Howson, dropping label `label` first (default 0: player 0's
 * first action); lexicographic ratio test, so it terminates on degenerate games too.
 * @throws DrmgError when the game does not have two players or the label is out of range; an internal DrmgError
 *   if the path exceeds its pivot limit (which the lexicographic rule rules out in exact arithmetic).
 * @example lemkeHowson(battleOfTheSexes, 0) // { x, y, label: 0, pivots }
 */
export function lemkeHowson(game: NormalFormGame, label = 0, maxPivots = 100_000): LemkeHowsonResult {
  const mat = positiveBimatrix(game);
  const { n1, n2 } = mat;
  if (!Number.isInteger(label) || label < 0 || label >= n1 + n2) inputError('label', `expected an integer in [0, ${n1 + n2 - 1}], got ${label}`);
  const { P, Q, W } = buildTableaux(mat);
  let tab = label < n1 ? P : Q;
  let entering = label;
  let pivots = 0;
  for (;;) {
    if (pivots >= maxPivots) throw new DrmgError('internal', 'lemkeHowson', `no equilibrium after ${maxPivots} pivots (label ${label})`);
    let r = -1;
    for (let i = 0; i < tab.rows; i++) {
      if (tab.t[i * W + entering] <= POSITIVE) continue;
      if (r < 0 || lexLess(tab, W, i, r, entering)) r = i;
    }
    if (r < 0) throw new DrmgError('internal', 'lemkeHowson', `unbounded ray at pivot ${pivots} (label ${label})`);
    const leaving = tab.basis[r];
    pivotFull(tab, W, r, entering);
    pivots++;
    if (leaving === label) break;
    entering = leaving;
    tab = tab === P ? Q : P;
  }
  const x = new Float64Array(n1);
  const y = new Float64Array(n2);
  for (let b = 0; b < n2; b++) {
    const id = P.basis[b];
    if (id < n1) x[id] = P.t[b * W + W - 1];
  }
  for (let a = 0; a < n1; a++) {
    const id = Q.basis[a];
    if (id >= n1) y[id - n1] = Q.t[a * W + W - 1];
  }
  if (!normalizeInPlace(x) || !normalizeInPlace(y)) throw new DrmgError('internal', 'lemkeHowson', `ended at the artificial equilibrium (label ${label})`);
  return { x, y, label, pivots };
}

/**
 * Lemke-Howson from every starting label 0..n1+n2-1; returns the distinct equilibria found (in order of first
 * discovery, compared within 1e-9), each with the first label that reached it.
 * @throws DrmgError as `lemkeHowson`.
 */
export function lemkeHowsonAll(game: NormalFormGame): LemkeHowsonResult[] {
  if (game.m !== 2) inputError('game', `expected a two-player game, got ${game.m} players`);
  const found: LemkeHowsonResult[] = [];
  for (let k = 0; k < game.A[0] + game.A[1]; k++) {
    const e = lemkeHowson(game, k);
    if (!found.some((f) => sameEquilibrium(e, f))) found.push(e);
  }
  return found;
}
