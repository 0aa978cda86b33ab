/**
 * All extreme Nash equilibria of a two-player game, degenerate or not, by vertex enumeration of the best-response
 * polytopes (Avis, Rosenberg, Savani and von Stengel, "Enumeration of Nash equilibria for two-player games",
 * Economic Theory 42, 2010; von Stengel 2002, Sec. 2.7):
 *   P = {x >= 0 : B^T x <= 1} with labels {a : x_a = 0} and {n1 + b : (B^T x)_b = 1},
 *   Q = {y >= 0 : A y <= 1} with labels {a : (A y)_a = 1} and {n1 + b : y_b = 0},
 * (A, B mapped into [1, 2], see `bimatrix.ts`); the extreme equilibria are the completely labeled vertex pairs
 * (x, y) != (0, 0), normalised. Every equilibrium is a convex combination of extreme equilibria of one maximal
 * Nash subset. Vertices are found by brute force over the C(n1 + n2, n1) choices of n1 tight constraints (and
 * C(n1 + n2, n2) for Q), each a small linear system: exponential, meant for small games (n1 + n2 <= 24).
 */
import { inputError } from '@drmg/core';
import { positiveBimatrix, sameEquilibrium } from './bimatrix.ts';
import type { BimatrixEquilibrium } from './bimatrix.ts';
import { firstCombination, nextCombination } from './combinations.ts';
import { solveLinearSystem } from './linear-solve.ts';
import type { NormalFormGame } from './normal-form-game.ts';

const TOL = 1e-10;

interface Vertex {
  readonly v: Float64Array;
  readonly labels: number;
}

/**
 * Vertices of {z >= 0 : C z <= 1} (C is rows x dim, C[row*dim + col]) other than 0, with label bits
 * zeroLabel(col) when z_col = 0 and rowLabel(row) when (C z)_row = 1.
 */
function vertices(dim: number, rows: number, C: Float64Array, zeroLabel: (col: number) => number, rowLabel: (row: number) => number): Vertex[] {
  const out: Vertex[] = [];
  const n = dim + rows;
  const pick = new Int32Array(dim);
  const M = new Float64Array(dim * dim);
  const r = new Float64Array(dim);
  const z = new Float64Array(dim);
  firstCombination(pick, dim);
  do {
    // Constraint c < dim: z_c = 0; constraint dim + k: (C z)_k = 1.
    M.fill(0);
    for (let p = 0; p < dim; p++) {
      const c = pick[p];
      if (c < dim) {
        M[p * dim + c] = 1;
        r[p] = 0;
      } else {
        for (let q = 0; q < dim; q++) M[p * dim + q] = C[(c - dim) * dim + q];
        r[p] = 1;
      }
    }
    if (!solveLinearSystem(dim, M, r, z)) continue;
    let ok = true;
    let nonzero = false;
    let labels = 0;
    for (let q = 0; q < dim; q++) {
      if (z[q] < -TOL) ok = false;
      if (z[q] <= TOL) labels |= 1 << zeroLabel(q);
      else nonzero = true;
    }
    if (!ok || !nonzero) continue;
    for (let k = 0; k < rows && ok; k++) {
      let s = 0;
      for (let q = 0; q < dim; q++) s += C[k * dim + q] * Math.max(0, z[q]);
      if (s > 1 + TOL) ok = false;
      else if (s >= 1 - TOL) labels |= 1 << rowLabel(k);
    }
    if (!ok) continue;
    const v = new Float64Array(dim);
    for (let q = 0; q < dim; q++) v[q] = z[q] > TOL ? z[q] : 0;
    if (!out.some((w) => w.labels === labels && close(w.v, v))) out.push({ v, labels });
  } while (nextCombination(pick, dim, n));
  return out;
}

function close(a: Float64Array, b: Float64Array): boolean {
  for (let k = 0; k < a.length; k++) if (Math.abs(a[k] - b[k]) > 1e-9) return false;
  return true;
}

function normalized(v: Float64Array): Float64Array {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k];
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) out[k] = v[k] / s;
  return out;
}

/**
 * All extreme Nash equilibria of a two-player game (degenerate games included), by vertex enumeration; in a
 * nondegenerate game these are all its equilibria and agree with `supportEnumeration`.
 * @throws DrmgError when the game does not have two players or n1 + n2 > 24.
 * @example extremeEquilibria(battleOfTheSexes).length === 3
 */
export function extremeEquilibria(game: NormalFormGame): BimatrixEquilibrium[] {
  const { n1, n2, A, B } = positiveBimatrix(game);
  if (n1 + n2 > 24) inputError('game', `vertex enumeration is exponential; expected n1 + n2 <= 24, got ${n1 + n2}`);
  // P: dim n1, rows b: (B^T x)_b; Q: dim n2, rows a: (A y)_a.
  const Bt = new Float64Array(n2 * n1);
  for (let a = 0; a < n1; a++) for (let b = 0; b < n2; b++) Bt[b * n1 + a] = B[a * n2 + b];
  const Pv = vertices(n1, n2, Bt, (a) => a, (b) => n1 + b);
  const Qv = vertices(n2, n1, A, (b) => n1 + b, (a) => a);
  const all = n1 + n2 === 31 ? -1 : (1 << (n1 + n2)) - 1;
  const found: BimatrixEquilibrium[] = [];
  for (const p of Pv) {
    for (const q of Qv) {
      if ((p.labels | q.labels) !== all) continue;
      const e = { x: normalized(p.v), y: normalized(q.v) };
      if (!found.some((f) => sameEquilibrium(e, f))) found.push(e);
    }
  }
  return found;
}
