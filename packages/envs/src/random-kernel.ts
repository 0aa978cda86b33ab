/**
 * A random kernel inside the uncertainty set, drawn independently for every row (h, s, j):
 * - TV: a random amount t = U * min(rho, 1) of mass is moved towards a random target d (a
 *   Dirichlet(1) distribution, normalised Exp(1) variates, on `targets` random next states, which may lie outside supp P*):
 *   Q = (1 - lambda) P* + lambda d with lambda = min(1, t / TV(d, P*)), so TV(Q, P*) = lambda TV(d, P*) <= t <= rho.
 * - KL: a random exponential tilt Q ∝ P* exp(c g) (g standard normal per support entry), with
 *   the scale c >= 0 found by bisection so that KL(Q || P*) <= U * rho (KL of a tilt increases
 *   with c); the support never grows.
 * The radius of row (h, s, j) is agent `agent`'s rho(h, s), or by default the smallest radius of
 * all agents there, so the kernel lies in every agent's set.
 */
import { createRng, inputError, stateIndexArray, type Kernel, type Rng, type TabularGame, describeValue } from '@drmg/core';
import { sampleNormal } from './dirichlet.ts';

/** Options of `randomKernel`. */
export interface RandomKernelOptions {
  /** Seed of the draw (default 0). */
  readonly seed?: number | string;
  /** Use this agent's radii (default: the smallest radius over agents at each (h, s)). */
  readonly agent?: number;
  /** TV only: the number of random target states per row (default min(S, 4)). */
  readonly targets?: number;
}

/** KL(Q || P) of the tilt Q ∝ P exp(c g) on n entries from `start`, writing Q into q. */
function tiltKl(p: Float64Array, g: Float64Array, c: number, start: number, n: number, q: Float64Array): number {
  let max = -Infinity;
  for (let k = 0; k < n; k++) if (c * g[k] > max) max = c * g[k];
  let z = 0;
  for (let k = 0; k < n; k++) {
    q[k] = p[start + k] * Math.exp(c * g[k] - max);
    z += q[k];
  }
  const logZ = Math.log(z);
  let kl = 0;
  for (let k = 0; k < n; k++) {
    q[k] /= z;
    if (q[k] > 0) kl += q[k] * (c * g[k] - max - logZ);
  }
  return Math.max(0, kl);
}

/**
 * A kernel Q with every row Q_h(.|s, j) inside the rectangular uncertainty set of `game` (the
 * paper's eq. 1; see the file header); the same seed gives the same kernel.
 * @throws DrmgError when `agent` is not an agent index.
 */
export function randomKernel(game: TabularGame, options: RandomKernelOptions = {}): Kernel {
  const { S, H, J, m } = game;
  const agent = options.agent;
  if (agent !== undefined && (!Number.isInteger(agent) || agent < 0 || agent >= m)) {
    inputError('randomKernel(options.agent)', `expected an agent index in [0, ${m - 1}], got ${describeValue(agent)}`);
  }
  const width = Math.max(1, Math.min(S, options.targets ?? 4));
  const rng: Rng = createRng(options.seed ?? 0);
  const { rowStart, next, prob } = game.kernel;
  const rows = H * S * J;
  const tv = game.divergence === 'tv';
  const outStart = new Int32Array(rows + 1);
  const outNext = stateIndexArray(S, next.length + (tv ? rows * width : 0));
  const outProb = new Float64Array(outNext.length);
  // Reused per-row buffers: dense rows for TV, tilt scratch for KL.
  const dense = new Float64Array(S);
  const target = new Float64Array(S);
  const d = new Float64Array(width);
  const perm = new Int32Array(S);
  for (let sp = 0; sp < S; sp++) perm[sp] = sp;
  const picks = new Int32Array(width);
  const tg = new Int32Array(width);
  const g = new Float64Array(S);
  const q = new Float64Array(S);
  let c = 0;
  for (let r = 0; r < rows; r++) {
    outStart[r] = c;
    const s = Math.floor(r / J) % S;
    const h = Math.floor(r / (J * S));
    let rho = Infinity;
    if (agent !== undefined) rho = game.radius[(agent * H + h) * S + s];
    else for (let i = 0; i < m; i++) rho = Math.min(rho, game.radius[(i * H + h) * S + s]);
    const a = rowStart[r];
    const n = rowStart[r + 1] - a;
    const u = rng();
    if (tv) {
      // Work on the row's support and its `width` targets only (O(n + width), not O(S)): the dense scratch
      // arrays are set at those states and cleared after the row.
      for (let k = 0; k < n; k++) dense[next[a + k]] = prob[a + k];
      // `width` distinct random targets: a partial Fisher-Yates shuffle of the identity, undone after the row.
      for (let k = 0; k < width; k++) {
        const pick = k + Math.min(S - k - 1, Math.floor(rng() * (S - k)));
        picks[k] = pick;
        const t = perm[k];
        perm[k] = perm[pick];
        perm[pick] = t;
      }
      // Dirichlet(1, ..., 1): normalised Exp(1) variates.
      let total = 0;
      for (let k = 0; k < width; k++) {
        d[k] = -Math.log(1 - rng());
        total += d[k];
      }
      for (let k = 0; k < width; k++) {
        tg[k] = perm[k];
        target[perm[k]] = total > 0 ? d[k] / total : k === 0 ? 1 : 0;
      }
      for (let k = width - 1; k >= 0; k--) {
        const t = perm[k];
        perm[k] = perm[picks[k]];
        perm[picks[k]] = t;
      }
      // TV(target, P*) over the union of the two supports.
      let dist = 0;
      for (let k = 0; k < n; k++) dist += Math.abs(target[next[a + k]] - prob[a + k]);
      for (let k = 0; k < width; k++) if (dense[tg[k]] === 0) dist += target[tg[k]];
      dist *= 0.5;
      const t = u * Math.min(rho, 1);
      const lambda = dist > 0 ? Math.min(1, t / dist) : 0;
      // The mixture on the union, in increasing state order (rows are sorted): the support merged with the sorted targets.
      for (let k = 1; k < width; k++) {
        const x = tg[k];
        let q = k - 1;
        for (; q >= 0 && tg[q] > x; q--) tg[q + 1] = tg[q];
        tg[q + 1] = x;
      }
      let kt = 0;
      let ks = 0;
      while (ks < n || kt < width) {
        let sp: number;
        if (kt >= width || (ks < n && next[a + ks] < tg[kt])) sp = next[a + ks++];
        else if (ks < n && next[a + ks] === tg[kt]) {
          sp = tg[kt++];
          ks++;
        } else sp = tg[kt++];
        const x = (1 - lambda) * dense[sp] + lambda * target[sp];
        if (x > 0) {
          outNext[c] = sp;
          outProb[c++] = x;
        }
      }
      for (let k = 0; k < n; k++) dense[next[a + k]] = 0;
      for (let k = 0; k < width; k++) target[tg[k]] = 0;
    } else {
      const goal = u * rho;
      let scale = 0;
      if (goal > 0 && n > 1) {
        for (let k = 0; k < n; k++) g[k] = sampleNormal(rng);
        let hi = 1;
        while (tiltKl(prob, g, hi, a, n, q) < goal && hi < 1e6) hi *= 2;
        if (tiltKl(prob, g, hi, a, n, q) <= goal) scale = hi;
        else {
          let lo = 0;
          for (let it = 0; it < 40; it++) {
            const mid = 0.5 * (lo + hi);
            if (tiltKl(prob, g, mid, a, n, q) <= goal) lo = mid;
            else hi = mid;
          }
          scale = lo;
        }
      }
      tiltKl(prob, g, scale, a, n, q);
      for (let k = 0; k < n; k++) {
        if (q[k] > 0) {
          outNext[c] = next[a + k];
          outProb[c++] = q[k];
        }
      }
    }
    // Renormalise exactly (the mixture / tilt sums to 1 up to rounding).
    let sum = 0;
    for (let k = outStart[r]; k < c; k++) sum += outProb[k];
    for (let k = outStart[r]; k < c; k++) outProb[k] /= sum;
  }
  outStart[rows] = c;
  return { rowStart: outStart, next: outNext.slice(0, c), prob: outProb.slice(0, c) };
}
