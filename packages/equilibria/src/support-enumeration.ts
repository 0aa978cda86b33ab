/**
 * Support enumeration for two-player games (e.g. Nisan, Roughgarden, Tardos and Vazirani, "Algorithmic Game
 * Theory", 2007, Sec. 3.3; nashpy's `support_enumeration`): for every pair of supports I (player 0) and J
 * (player 1) of equal size k, solve the indifference equations
 *   sum_{b in J} A[a][b] y_b = v (a in I),  sum_{b in J} y_b = 1;   sum_{a in I} B[a][b] x_a = u (b in J),  sum_{a in I} x_a = 1,
 * and keep (x, y) when both are nonnegative and no action outside the supports pays more than v (resp. u).
 * In a nondegenerate game every equilibrium has supports of equal size and a nonsingular system, so this lists all
 * of them (an odd number). In a degenerate game it lists only the equilibria whose supports have equal size and
 * whose indifference systems are nonsingular: these are extreme equilibria, but not necessarily all of them
 * (`extremeEquilibria` finds all), and a continuum of equilibria shows up only through such points.
 * Cost: sum_k C(n1, k) C(n2, k) systems of size k + 1, exponential in min(n1, n2); meant for small games.
 */
import { inputError } from '@drmg/core';
import { positiveBimatrix, sameEquilibrium } from './bimatrix.ts';
import type { BimatrixEquilibrium } from './bimatrix.ts';
import { firstCombination, nextCombination } from './combinations.ts';
import { solveLinearSystem } from './linear-solve.ts';
import type { NormalFormGame } from './normal-form-game.ts';

const TOL = 1e-10;

/**
 * All Nash equilibria of a nondegenerate two-player game by support enumeration (see the file header for what it
 * returns on degenerate games), in order of support size, then supports in lexicographic order.
 * @throws DrmgError when the game does not have two players or has more than 2e6 support pairs.
 * @example supportEnumeration(battleOfTheSexes).length === 3
 */
export function supportEnumeration(game: NormalFormGame): BimatrixEquilibrium[] {
  const { n1, n2, A, B } = positiveBimatrix(game);
  const kMax = Math.min(n1, n2);
  let pairs = 0;
  for (let k = 1, c1 = 1, c2 = 1; k <= kMax; k++) {
    c1 = (c1 * (n1 - k + 1)) / k;
    c2 = (c2 * (n2 - k + 1)) / k;
    pairs += c1 * c2;
  }
  if (pairs > 2e6) inputError('game', `support enumeration would solve ${pairs} systems, expected at most 2e6 (use lemkeHowson)`);
  const found: BimatrixEquilibrium[] = [];
  const I = new Int32Array(kMax);
  const Js = new Int32Array(kMax);
  const M = new Float64Array((kMax + 1) * (kMax + 1));
  const r = new Float64Array(kMax + 1);
  const z = new Float64Array(kMax + 1);
  const x = new Float64Array(n1);
  const y = new Float64Array(n2);
  for (let k = 1; k <= kMax; k++) {
    const s = k + 1;
    firstCombination(I, k);
    do {
      firstCombination(Js, k);
      do {
        // y on J: rows a in I: sum_b A[a][b] y_b - v = 0; last row: sum_b y_b = 1.
        M.fill(0, 0, s * s);
        for (let p = 0; p < k; p++) {
          for (let q = 0; q < k; q++) M[p * s + q] = A[I[p] * n2 + Js[q]];
          M[p * s + k] = -1;
          r[p] = 0;
        }
        for (let q = 0; q < k; q++) M[k * s + q] = 1;
        r[k] = 1;
        if (!solveLinearSystem(s, M, r, z)) continue;
        let ok = true;
        y.fill(0);
        for (let q = 0; q < k; q++) {
          if (z[q] < -TOL) ok = false;
          y[Js[q]] = Math.max(0, z[q]);
        }
        if (!ok) continue;
        const v = z[k];
        for (let a = 0; a < n1 && ok; a++) {
          let pay = 0;
          for (let b = 0; b < n2; b++) pay += A[a * n2 + b] * y[b];
          if (pay > v + TOL) ok = false;
        }
        if (!ok) continue;
        // x on I: rows b in J: sum_a B[a][b] x_a - u = 0; last row: sum_a x_a = 1.
        M.fill(0, 0, s * s);
        for (let q = 0; q < k; q++) {
          for (let p = 0; p < k; p++) M[q * s + p] = B[I[p] * n2 + Js[q]];
          M[q * s + k] = -1;
          r[q] = 0;
        }
        for (let p = 0; p < k; p++) M[k * s + p] = 1;
        r[k] = 1;
        if (!solveLinearSystem(s, M, r, z)) continue;
        x.fill(0);
        for (let p = 0; p < k; p++) {
          if (z[p] < -TOL) ok = false;
          x[I[p]] = Math.max(0, z[p]);
        }
        if (!ok) continue;
        const u = z[k];
        for (let b = 0; b < n2 && ok; b++) {
          let pay = 0;
          for (let a = 0; a < n1; a++) pay += B[a * n2 + b] * x[a];
          if (pay > u + TOL) ok = false;
        }
        if (!ok) continue;
        const e = { x: normalized(x), y: normalized(y) };
        if (!found.some((f) => sameEquilibrium(e, f))) found.push(e);
      } while (nextCombination(Js, k, n2));
    } while (nextCombination(I, k, n1));
  }
  return found;
}

function normalized(v: Float64Array): Float64Array {
  let s = 0;
  for (let k = 0; k < v.length; k++) s += v[k];
  const out = new Float64Array(v.length);
  for (let k = 0; k < v.length; k++) out[k] = v[k] / s;
  return out;
}
