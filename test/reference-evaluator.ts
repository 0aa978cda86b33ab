/**
 * An independent, slow, obviously-correct robust evaluator on plain nested number arrays, for tests.
 *
 * It shares nothing with @drmg/evaluators or core's sigma: its own joint-action encoding, its own
 * sigma (TV by sorting the next-state values; KL by golden-section search on the dual objective,
 * eq. 11), its own marginals, and brute force over deviation policies / strategy modifications.
 * Dense game: reward[h][s][j][i], transition[h][s][j][sp], radius[i][h][s], policy[h][s][j].
 * Steps h = 0..H-1; values V[h][s] for h = 0..H with V[H] = 0.
 */
import { createTabularGame } from '@drmg/core';
import type { Divergence, Rng, TabularGame } from '@drmg/core';

/** A game in nested arrays (the drmg-game/1 layout, radius per agent, step and state). */
export interface DenseGame {
  m: number;
  S: number;
  H: number;
  A: number[];
  divergence: Divergence;
  initial: number[];
  /** reward[h][s][j][i] */
  reward: number[][][][];
  /** transition[h][s][j][sp] */
  transition: number[][][][];
  /** radius[i][h][s] */
  radius: number[][][];
}

/** policy[h][s][j] = pi_h(j | s). */
export type DensePolicy = number[][][];

// ---------- joint actions (own implementation: agent 0 most significant) ----------

/** Number of joint actions prod A[i]. */
export function jointCount(A: readonly number[]): number {
  return A.reduce((x, y) => x * y, 1);
}

/** The action profile of joint index j. */
export function decode(A: readonly number[], j: number): number[] {
  const a = new Array<number>(A.length);
  for (let i = A.length - 1; i >= 0; i--) {
    a[i] = j % A[i];
    j = Math.floor(j / A[i]);
  }
  return a;
}

/** The joint index of profile a. */
export function encode(A: readonly number[], a: readonly number[]): number {
  let j = 0;
  for (let i = 0; i < A.length; i++) j = j * A[i] + a[i];
  return j;
}

/** A key for the others' actions in profile a (agent i removed). */
function othersKey(a: readonly number[], i: number): string {
  return a.filter((_, k) => k !== i).join(',');
}

// ---------- sigma ----------

/** TV robust expectation: move min(rho, 1) mass from the highest values onto the global minimum of V. */
export function refSigmaTv(p: readonly number[], V: readonly number[], rho: number): number {
  const budget = Math.min(rho, 1);
  const vmin = Math.min(...V);
  const order = V.map((_, k) => k).sort((x, y) => V[y] - V[x]);
  let remaining = budget;
  let moved = 0;
  let value = 0;
  for (const sp of order) {
    const take = Math.min(p[sp], remaining);
    remaining -= take;
    moved += take;
    value += (p[sp] - take) * V[sp];
  }
  return value + moved * vmin;
}

/**
 * The KL dual objective -eta*log E_p[exp(-V/eta)] - eta*rho (eq. 11) over the support of p. Small eta:
 * shifted by the support minimum (no overflow). Large eta: shifted by the mean and written with
 * expm1/log1p, so that -eta*log(...) keeps its relative accuracy when eta is huge (tiny rho).
 */
export function refKlObjective(p: readonly number[], V: readonly number[], rho: number, eta: number): number {
  let vmin = Infinity;
  let vmax = -Infinity;
  let mean = 0;
  for (let k = 0; k < p.length; k++) {
    if (p[k] > 0) {
      if (V[k] < vmin) vmin = V[k];
      if (V[k] > vmax) vmax = V[k];
      mean += p[k] * V[k];
    }
  }
  if (eta === 0) return vmin;
  if (vmax - vmin < eta) {
    // |V - mean| / eta < 1 on the support: no overflow, and log1p keeps the accuracy.
    let x = 0;
    for (let k = 0; k < p.length; k++) if (p[k] > 0) x += p[k] * Math.expm1(-(V[k] - mean) / eta);
    return mean - eta * Math.log1p(x) - eta * rho;
  }
  let z = 0;
  for (let k = 0; k < p.length; k++) if (p[k] > 0) z += p[k] * Math.exp(-(V[k] - vmin) / eta);
  return vmin - eta * Math.log(z) - eta * rho;
}

/** KL robust expectation sup_{eta >= 0} of the dual objective, by golden-section search on [0, range/rho]. */
export function refSigmaKl(p: readonly number[], V: readonly number[], rho: number): number {
  let mean = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < p.length; k++) {
    if (p[k] > 0) {
      mean += p[k] * V[k];
      lo = Math.min(lo, V[k]);
      hi = Math.max(hi, V[k]);
    }
  }
  if (rho === 0) return mean;
  if (hi === lo) return lo;
  // At the optimum, mean - eta*rho >= objective >= lo, so eta* <= (hi - lo) / rho (capped for subnormal rho).
  let a = 0;
  let b = Math.min((hi - lo) / rho, 1e300);
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = refKlObjective(p, V, rho, x1);
  let f2 = refKlObjective(p, V, rho, x2);
  for (let it = 0; it < 90; it++) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = refKlObjective(p, V, rho, x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = refKlObjective(p, V, rho, x1);
    }
  }
  return Math.max(f1, f2, lo);
}

/** sigma under the game's divergence. */
export function refSigma(divergence: Divergence, p: readonly number[], V: readonly number[], rho: number): number {
  return divergence === 'tv' ? refSigmaTv(p, V, rho) : refSigmaKl(p, V, rho);
}

/** 0.5 * ||q - p||_1. */
export function tvDistance(q: ArrayLike<number>, p: ArrayLike<number>): number {
  let d = 0;
  for (let k = 0; k < p.length; k++) d += Math.abs(q[k] - p[k]);
  return d / 2;
}

/** KL(q || p) = sum q log(q/p); Infinity when q puts mass where p has none. */
export function klDivergence(q: ArrayLike<number>, p: ArrayLike<number>): number {
  let d = 0;
  for (let k = 0; k < p.length; k++) {
    if (q[k] > 0) {
      if (!(p[k] > 0)) return Infinity;
      d += q[k] * Math.log(q[k] / p[k]);
    }
  }
  return d;
}

// ---------- recursions ----------

function zeros(H: number, S: number): number[][] {
  return Array.from({ length: H + 1 }, () => new Array<number>(S).fill(0));
}

/** Q_i(h, s, j) = r_i + sigma_{i,h,s,j}[W_{h+1}] (robust) or r_i + E_P*[W_{h+1}] (nominal). */
function q(g: DenseGame, i: number, h: number, s: number, j: number, next: readonly number[], robust: boolean): number {
  const p = g.transition[h][s][j];
  const rho = robust ? g.radius[i][h][s] : 0;
  const cont = robust ? refSigma(g.divergence, p, next, rho) : p.reduce((acc, x, sp) => acc + x * next[sp], 0);
  return g.reward[h][s][j][i] + cont;
}

/** V^{pi,rho_i}_{i,h}(s) for h = 0..H (eq. 13); `robust = false` gives the nominal (non-robust) value. */
export function refValue(g: DenseGame, pi: DensePolicy, i: number, robust = true): number[][] {
  const V = zeros(g.H, g.S);
  const J = jointCount(g.A);
  for (let h = g.H - 1; h >= 0; h--) {
    for (let s = 0; s < g.S; s++) {
      let v = 0;
      for (let j = 0; j < J; j++) if (pi[h][s][j] > 0) v += pi[h][s][j] * q(g, i, h, s, j, V[h + 1], robust);
      V[h][s] = v;
    }
  }
  return V;
}

/** The others' joint marginal at (h, s): key of a_{-i} -> probability. */
export function othersMarginal(g: DenseGame, row: readonly number[], i: number): Map<string, number> {
  const marg = new Map<string, number>();
  for (let j = 0; j < row.length; j++) {
    const key = othersKey(decode(g.A, j), i);
    marg.set(key, (marg.get(key) ?? 0) + row[j]);
  }
  return marg;
}

/** B_{i,h}(s) = max_b sum_{a_-i} pi_-i(a_-i|s) [r_i + sigma[B_{h+1}]], h = 0..H. */
export function refBestResponse(g: DenseGame, pi: DensePolicy, i: number): number[][] {
  const B = zeros(g.H, g.S);
  const J = jointCount(g.A);
  for (let h = g.H - 1; h >= 0; h--) {
    for (let s = 0; s < g.S; s++) {
      const marg = othersMarginal(g, pi[h][s], i);
      const gain = new Array<number>(g.A[i]).fill(0);
      for (let j = 0; j < J; j++) {
        const a = decode(g.A, j);
        const w = marg.get(othersKey(a, i)) ?? 0;
        if (w > 0) gain[a[i]] += w * q(g, i, h, s, j, B[h + 1], true);
      }
      B[h][s] = Math.max(...gain);
    }
  }
  return B;
}

/** C_{i,h}(s) = sum_a max_b sum_{a_-i} pi((a, a_-i)|s) [r_i((b, a_-i)) + sigma[C_{h+1}]], h = 0..H. */
export function refSwapBestResponse(g: DenseGame, pi: DensePolicy, i: number): number[][] {
  const C = zeros(g.H, g.S);
  const J = jointCount(g.A);
  for (let h = g.H - 1; h >= 0; h--) {
    for (let s = 0; s < g.S; s++) {
      let total = 0;
      for (let a = 0; a < g.A[i]; a++) {
        let best = -Infinity;
        for (let b = 0; b < g.A[i]; b++) {
          let v = 0;
          for (let j = 0; j < J; j++) {
            const prof = decode(g.A, j);
            if (prof[i] !== a || pi[h][s][j] === 0) continue;
            const dev = [...prof];
            dev[i] = b;
            v += pi[h][s][j] * q(g, i, h, s, encode(g.A, dev), C[h + 1], true);
          }
          best = Math.max(best, v);
        }
        total += best;
      }
      C[h][s] = total;
    }
  }
  return C;
}

/** All maps from the (h, s) cells to a set of `choices` options, as arrays of length H*S. */
function* allAssignments(cells: number, choices: number): Generator<number[]> {
  const x = new Array<number>(cells).fill(0);
  for (;;) {
    yield x;
    let k = 0;
    while (k < cells && x[k] === choices - 1) x[k++] = 0;
    if (k === cells) return;
    x[k]++;
  }
}

/**
 * Brute force: max over ALL deterministic Markov deviation policies d: (h, s) -> b of agent i
 * (played against the others' joint marginal) of agent i's robust value at step 0, per state.
 */
export function bruteBestResponse(g: DenseGame, pi: DensePolicy, i: number): number[] {
  const J = jointCount(g.A);
  const best = new Array<number>(g.S).fill(-Infinity);
  for (const d of allAssignments(g.H * g.S, g.A[i])) {
    const dev: DensePolicy = [];
    for (let h = 0; h < g.H; h++) {
      dev.push([]);
      for (let s = 0; s < g.S; s++) {
        const marg = othersMarginal(g, pi[h][s], i);
        const row = new Array<number>(J).fill(0);
        for (let j = 0; j < J; j++) {
          const a = decode(g.A, j);
          if (a[i] === d[h * g.S + s]) row[j] = marg.get(othersKey(a, i)) ?? 0;
        }
        dev[h].push(row);
      }
    }
    const V = refValue(g, dev, i);
    for (let s = 0; s < g.S; s++) best[s] = Math.max(best[s], V[0][s]);
  }
  return best;
}

/**
 * Brute force: max over ALL strategy modifications phi_{h,s}: A_i -> A_i of agent i's robust value of
 * phi o pi at step 0, per state (a map is encoded as one integer per (h, s) in base A_i^A_i).
 */
export function bruteSwapBestResponse(g: DenseGame, pi: DensePolicy, i: number): number[] {
  const J = jointCount(g.A);
  const Ai = g.A[i];
  const maps = Ai ** Ai;
  const best = new Array<number>(g.S).fill(-Infinity);
  for (const code of allAssignments(g.H * g.S, maps)) {
    const dev: DensePolicy = [];
    for (let h = 0; h < g.H; h++) {
      dev.push([]);
      for (let s = 0; s < g.S; s++) {
        // phi(a) = digit a of code in base Ai.
        const phi = decode(new Array<number>(Ai).fill(Ai), code[h * g.S + s]);
        const row = new Array<number>(J).fill(0);
        for (let j = 0; j < J; j++) {
          const a = decode(g.A, j);
          a[i] = phi[a[i]];
          row[encode(g.A, a)] += pi[h][s][j];
        }
        dev[h].push(row);
      }
    }
    const V = refValue(g, dev, i);
    for (let s = 0; s < g.S; s++) best[s] = Math.max(best[s], V[0][s]);
  }
  return best;
}

/** The reference evaluation: value[i][s], bestResponse[i][s], swapBestResponse[i][s], gap[s], ceGap[s] at step 0. */
export interface RefEvaluation {
  value: number[][];
  bestResponse: number[][];
  swapBestResponse: number[][];
  gap: number[];
  ceGap: number[];
}

/** Everything at step 0 by the reference recursions. */
export function refEvaluate(g: DenseGame, pi: DensePolicy): RefEvaluation {
  const value: number[][] = [];
  const bestResponse: number[][] = [];
  const swapBestResponse: number[][] = [];
  for (let i = 0; i < g.m; i++) {
    value.push(refValue(g, pi, i)[0]);
    bestResponse.push(refBestResponse(g, pi, i)[0]);
    swapBestResponse.push(refSwapBestResponse(g, pi, i)[0]);
  }
  const gap = new Array<number>(g.S);
  const ceGap = new Array<number>(g.S);
  for (let s = 0; s < g.S; s++) {
    gap[s] = Math.max(...value.map((v, i) => bestResponse[i][s] - v[s]));
    ceGap[s] = Math.max(...value.map((v, i) => swapBestResponse[i][s] - v[s]));
  }
  return { value, bestResponse, swapBestResponse, gap, ceGap };
}

// ---------- policies ----------

/** The joint policy of independent marginals[i][h][s][a]: pi_h(j|s) = prod_i marginals[i][h][s][a_i(j)]. */
export function refProductToJoint(g: DenseGame, marginals: number[][][][]): DensePolicy {
  const J = jointCount(g.A);
  const pi: DensePolicy = [];
  for (let h = 0; h < g.H; h++) {
    pi.push([]);
    for (let s = 0; s < g.S; s++) {
      const row = new Array<number>(J);
      for (let j = 0; j < J; j++) {
        const a = decode(g.A, j);
        row[j] = a.reduce((acc, ai, i) => acc * marginals[i][h][s][ai], 1);
      }
      pi[h].push(row);
    }
  }
  return pi;
}

/** A flat Float64Array of policy[h][s][j]. */
export function flattenPolicy(pi: DensePolicy): Float64Array {
  return Float64Array.from(pi.flat(2));
}

// ---------- conversions and random instances ----------

/** The TabularGame of a dense game, through core's validating constructor (dense kernel, per-(i, h, s) radii). */
export function denseToTabular(g: DenseGame, name = 'dense'): TabularGame {
  const { m, S, H, A } = g;
  const J = jointCount(A);
  const reward = new Float64Array(H * S * J * m);
  const kernel = new Float64Array(H * S * J * S);
  const radius = new Float64Array(m * H * S);
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < J; j++) {
        const r = (h * S + s) * J + j;
        for (let i = 0; i < m; i++) reward[r * m + i] = g.reward[h][s][j][i];
        for (let sp = 0; sp < S; sp++) kernel[r * S + sp] = g.transition[h][s][j][sp];
      }
      for (let i = 0; i < m; i++) radius[(i * H + h) * S + s] = g.radius[i][h][s];
    }
  }
  return createTabularGame({ name, S, H, A, initial: g.initial, reward, kernel, divergence: g.divergence, radius });
}

/** The dense game of a TabularGame (its exact, renormalised numbers), for the reference recursions. */
export function tabularToDense(game: TabularGame): DenseGame {
  const { m, S, H, A, J } = game;
  const reward: number[][][][] = [];
  const transition: number[][][][] = [];
  for (let h = 0; h < H; h++) {
    reward.push([]);
    transition.push([]);
    for (let s = 0; s < S; s++) {
      reward[h].push([]);
      transition[h].push([]);
      for (let j = 0; j < J; j++) {
        const r = (h * S + s) * J + j;
        reward[h][s].push(Array.from(game.reward.subarray(r * m, (r + 1) * m)));
        transition[h][s].push(denseRow(game.kernel, r, S));
      }
    }
  }
  const radius = Array.from({ length: m }, (_, i) =>
    Array.from({ length: H }, (_, h) => Array.from(game.radius.subarray((i * H + h) * S, (i * H + h + 1) * S))),
  );
  return { m, S, H, A: [...A], divergence: game.divergence, initial: Array.from(game.initial), reward, transition, radius };
}

/** A dense kernel row r of a CSR kernel, as a plain array of length S. */
export function denseRow(kernel: TabularGame['kernel'], r: number, S: number): number[] {
  const row = new Array<number>(S).fill(0);
  for (let k = kernel.rowStart[r]; k < kernel.rowStart[r + 1]; k++) row[kernel.next[k]] += kernel.prob[k];
  return row;
}

/** A random distribution over n entries; `keep` of them positive (the rest 0), exact sum up to rounding. */
export function randomDistribution(rng: Rng, n: number, keep = n): number[] {
  const idx = Array.from({ length: n }, (_, k) => k);
  for (let k = n - 1; k > 0; k--) {
    const t = Math.floor(rng() * (k + 1));
    [idx[k], idx[t]] = [idx[t], idx[k]];
  }
  const row = new Array<number>(n).fill(0);
  let sum = 0;
  for (let k = 0; k < keep; k++) {
    const w = 0.05 + rng();
    row[idx[k]] = w;
    sum += w;
  }
  for (let k = 0; k < n; k++) row[k] /= sum;
  return row;
}

/** Options for random dense games. */
export interface RandomGameOptions {
  m: number;
  A: number[];
  S: number;
  H: number;
  divergence: Divergence;
  /** Probability that a kernel row is sparse (support size 1..S-1). */
  sparse?: number;
  /** Probability that a radius is 0. */
  zeroRadius?: number;
  /** Largest radius drawn (TV values above 1 admit every distribution). */
  maxRadius?: number;
  /** Round rewards to multiples of 1/quantise, making ties in V likely (0 = continuous). */
  quantise?: number;
}

/** A random dense game: random rewards, dense or sparse rows, per-(h, s) radii. */
export function randomDenseGame(rng: Rng, o: RandomGameOptions): DenseGame {
  const { m, A, S, H } = o;
  const J = jointCount(A);
  const sparse = o.sparse ?? 0.5;
  const zeroRadius = o.zeroRadius ?? 0.15;
  const maxRadius = o.maxRadius ?? (o.divergence === 'tv' ? 1.1 : 2);
  const quantise = o.quantise ?? 0;
  const reward: number[][][][] = [];
  const transition: number[][][][] = [];
  for (let h = 0; h < H; h++) {
    reward.push([]);
    transition.push([]);
    for (let s = 0; s < S; s++) {
      reward[h].push([]);
      transition[h].push([]);
      for (let j = 0; j < J; j++) {
        reward[h][s].push(Array.from({ length: m }, () => (quantise > 0 ? Math.floor(rng() * (quantise + 1)) / quantise : rng())));
        const keep = S > 1 && rng() < sparse ? 1 + Math.floor(rng() * (S - 1)) : S;
        transition[h][s].push(randomDistribution(rng, S, keep));
      }
    }
  }
  const radius = Array.from({ length: m }, () =>
    Array.from({ length: H }, () => Array.from({ length: S }, () => (rng() < zeroRadius ? 0 : rng() * maxRadius))),
  );
  return { m, S, H, A: [...A], divergence: o.divergence, initial: randomDistribution(rng, S), reward, transition, radius };
}

/** A random correlated joint policy; `zeros` is the chance that a row is sparse, `pure` that it is deterministic. */
export function randomJointPolicy(rng: Rng, g: DenseGame, zeros = 0.3, pure = 0.15): DensePolicy {
  const J = jointCount(g.A);
  return Array.from({ length: g.H }, () =>
    Array.from({ length: g.S }, () => {
      const u = rng();
      if (u < pure) return randomDistribution(rng, J, 1);
      return randomDistribution(rng, J, u < pure + zeros ? 1 + Math.floor(rng() * J) : J);
    }),
  );
}

/** Random product marginals[i][h][s][a]. */
export function randomMarginals(rng: Rng, g: DenseGame, pure = 0.15): number[][][][] {
  return g.A.map((Ai) =>
    Array.from({ length: g.H }, () => Array.from({ length: g.S }, () => randomDistribution(rng, Ai, rng() < pure ? 1 : Ai))),
  );
}
