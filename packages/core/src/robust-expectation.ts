/**
 * The robust expectation sigma_{P*, rho}[V] = inf { E_P[V] : P in the uncertainty set of radius rho
 * around P* } (paper Sec. 2, Appendix C, Corollary 2), for total variation and KL, exact.
 *
 * - TV, set {P : 0.5 ||P - P*||_1 <= rho} (support shift allowed; formats.md "Conventions"): the worst
 *   case moves min(rho, 1) of mass from the highest-value next states of supp P* onto a lowest-value
 *   state of the WHOLE state space. Its dual (eq. 10 with the erratum of algorithms.md) is
 *   sup_eta { E_P*[min(V, eta)] - rho (eta - min V)^+ }.
 * - KL, set {P << P* : KL(P || P*) <= rho}: sigma = sup_{eta>0} { -eta log E_P*[exp(-V/eta)] - eta rho }
 *   (eq. 11), solved in `sigma-kl.ts`; the eta -> 0 limit, min of V over supp P*, is the answer exactly
 *   when P*(argmin over the support) >= exp(-rho). The worst kernel is P* tilted by exp(-V/eta*).
 * - rho = 0 gives the nominal expectation sum_k P*(k) V(k), for both; rho = Infinity is a valid radius (the
 *   limits above: TV gives min V over the whole state space, KL min V over supp P*); NaN is refused.
 *
 * Layouts: V is read as V[offset + sp], sp < S; kernel rows are CSR (see `tabular-game.ts`),
 * row r = (h*S + s)*J + j; sigma for a whole step is written to out[s*J + j].
 * A workspace holds the loaded V, its descending order (sorted lazily, once per V, for TV) and scratch,
 * so per-row work allocates nothing: TV is O(n) for a row of n entries plus a walk down the sorted
 * order that stops once rho of mass is collected; KL costs a few O(n) loops and about one exp per
 * entry (none for dense rows whose exps come from the workspace's tables for the loaded V).
 */
import { DrmgError, inputError } from './drmg-error.ts';
import { describeValue } from './input-checks.ts';
import type { Divergence, Kernel, TabularGame } from './tabular-game.ts';
import { createKlState, klSolveRow, klValuesChanged, klWorstCase } from './sigma-kl.ts';
import type { KlState } from './sigma-kl.ts';

/** Reusable buffers for one state-space size S (sorted order of V, min, scratch). */
export interface SigmaWorkspace {
  readonly S: number;
}

/** The workspace's internal fields (the public type shows only S). */
interface Workspace extends SigmaWorkspace {
  /** v[sp] = the loaded V. */
  readonly v: Float64Array;
  loaded: boolean;
  /** min_sp v[sp] and its first index (the TV adversary's target). */
  vmin: number;
  argmin: number;
  /** Whether order/rank are up to date for v. */
  sorted: boolean;
  /** order[t]: states by v descending, ties by index ascending; rank[order[t]] = t. */
  readonly order: Int32Array;
  readonly rank: Int32Array;
  readonly compare: (x: number, y: number) => number;
  /** All zero between calls; TV scatters mid-size sparse rows here. */
  readonly dense: Float64Array;
  /** TV selection scratch: a sparse row's entry positions and their ranks. */
  readonly idx: Int32Array;
  readonly key: Int32Array;
  readonly kl: KlState;
  /** Row kernels' radius in and sigma out: numbers travel through the workspace so no call boxes a double. */
  rho: number;
  value: number;
}

/**
 * The most next states a sigma workspace is made for: 2^24. A game's kernel has H*S*J*S <= 2^27 entries, so
 * its S is at most 11,585; a single dense row (sigmaTv, sigmaKl) may be longer, up to this bound.
 */
export const MAX_SIGMA_STATES = 2 ** 24;

/**
 * Allocates the buffers for rows over S next states (O(S) memory, reused across calls).
 * @throws DrmgError ('input', 'S') when S is not an integer in [1, MAX_SIGMA_STATES].
 */
export function createSigmaWorkspace(S: number): SigmaWorkspace {
  if (typeof S !== 'number' || !Number.isInteger(S) || S < 1 || S > MAX_SIGMA_STATES) {
    inputError('S', `expected a positive integer number of states, at most ${MAX_SIGMA_STATES}, got ${describeValue(S)}`);
  }
  const v = new Float64Array(S);
  const ws: Workspace = {
    S,
    v,
    loaded: false,
    vmin: Number.NaN,
    argmin: 0,
    sorted: false,
    order: new Int32Array(S),
    rank: new Int32Array(S),
    compare: (x, y) => v[y] - v[x] || x - y,
    dense: new Float64Array(S),
    idx: new Int32Array(S),
    key: new Int32Array(S),
    kl: createKlState(S),
    rho: Number.NaN,
    value: Number.NaN,
  };
  return ws;
}

/**
 * Loads V[offset + sp], sp < S, into ws (finds min V; the descending order for TV is computed on first
 * use); call whenever V changes.
 * @throws DrmgError when V is too short, holds a non-finite value, or max V - min V overflows.
 */
export function loadValues(ws: SigmaWorkspace, V: Float64Array, offset = 0): void {
  const w = ws as Workspace;
  if (w === null || typeof w !== 'object' || !(w.v instanceof Float64Array)) inputError('ws', `expected a workspace from createSigmaWorkspace, got ${describeValue(ws)}`);
  if (!(V instanceof Float64Array)) inputError('V', `expected a Float64Array of values, got ${describeValue(V)}`);
  const S = w.S;
  if (!Number.isInteger(offset) || offset < 0 || offset + S > V.length) {
    inputError('V', `expected ${S} values from offset ${offset}, got an array of length ${V.length}`);
  }
  const v = w.v;
  let vmin = Infinity, vmax = -Infinity, argmin = 0;
  for (let sp = 0; sp < S; sp++) {
    const x = V[offset + sp];
    if (!(x - x === 0)) inputError(`V[${offset + sp}]`, `expected a finite value, got ${x}`);
    v[sp] = x;
    if (x < vmin) {
      vmin = x;
      argmin = sp;
    }
    if (x > vmax) vmax = x;
  }
  if (!(vmax - vmin < Infinity)) inputError('V', `values from ${vmin} to ${vmax}: their range overflows a double`);
  w.vmin = vmin;
  w.argmin = argmin;
  w.sorted = false;
  w.loaded = true;
  klValuesChanged(w.kl, vmin);
}

/** Sorts the loaded V descending (ties by index) into order/rank. */
function sortValues(w: Workspace): void {
  const order = w.order, rank = w.rank, S = w.S;
  for (let t = 0; t < S; t++) order[t] = t;
  order.sort(w.compare);
  for (let t = 0; t < S; t++) rank[order[t]] = t;
  w.sorted = true;
}

function checkRow(w: Workspace, kernel: Kernel, r: number, rho: number): void {
  if (!w.loaded) inputError('ws', 'no values loaded, expected loadValues(ws, V) first');
  if (!(rho >= 0)) inputError('rho', `expected a radius >= 0, got ${rho}`);
  if (!(r >= 0 && r + 1 < kernel.rowStart.length) || !Number.isInteger(r)) {
    inputError('r', `expected a kernel row in [0, ${kernel.rowStart.length - 2}], got ${r}`);
  }
  if (kernel.rowStart[r + 1] <= kernel.rowStart[r]) inputError(`kernel row ${r}`, 'expected at least one entry');
}

/**
 * TV: w.value = E_P*[V] - sum over moved mass of (V(sp) - min V), moving min(rho, 1), rho = w.rho, from the
 * top of supp P* (in descending V) onto argmin V. Writes the worst case into out[off .. off+S) when given.
 */
function tvRow(w: Workspace, kernel: Kernel, r: number, out: Float64Array | null, off: number): void {
  const rho = w.rho;
  const rowStart = kernel.rowStart, next = kernel.next, prob = kernel.prob;
  const a = rowStart[r], b = rowStart[r + 1], n = b - a;
  const v = w.v, S = w.S;
  let nominal = 0;
  if (n === S) for (let sp = 0; sp < S; sp++) nominal += prob[a + sp] * v[sp];
  else for (let k = a; k < b; k++) nominal += prob[k] * v[next[k]];
  if (out !== null) {
    out.fill(0, off, off + S);
    for (let k = a; k < b; k++) out[off + next[k]] = prob[k];
  }
  if (rho === 0) {
    w.value = nominal;
    return;
  }
  const vmin = w.vmin;
  if (rho >= 1) {
    if (out !== null) {
      out.fill(0, off, off + S);
      out[off + w.argmin] = 1;
    }
    w.value = vmin;
    return;
  }
  if (!w.sorted) sortValues(w);
  const order = w.order;
  let remaining = rho, loss = 0;
  if (n === S) {
    // Dense row: entry k = a + sp holds state sp.
    for (let t = 0; t < S; t++) {
      const sp = order[t];
      const gain = v[sp] - vmin;
      if (gain <= 0) break;
      const ps = prob[a + sp];
      const take = ps < remaining ? ps : remaining;
      loss += take * gain;
      if (out !== null) out[off + sp] -= take;
      remaining -= take;
      if (remaining <= 0) break;
    }
  } else if (n * (rho * n + 1) <= 2 * n + S * (rho + 1 / n)) {
    // Sparse row, few entries expected to be touched (about rho*n + 1 of the n): selection sort on the
    // global rank, stopped as soon as rho of mass is collected; cost ~ n per touched entry.
    const idx = w.idx, key = w.key, rank = w.rank;
    for (let c = 0; c < n; c++) {
      idx[c] = a + c;
      key[c] = rank[next[a + c]];
    }
    for (let t = 0; t < n; t++) {
      let best = t, bestKey = key[t];
      for (let c = t + 1; c < n; c++) {
        if (key[c] < bestKey) {
          bestKey = key[c];
          best = c;
        }
      }
      const k = idx[best];
      idx[best] = idx[t];
      key[best] = key[t];
      const sp = next[k];
      const gain = v[sp] - vmin;
      if (gain <= 0) break;
      const ps = prob[k];
      const take = ps < remaining ? ps : remaining;
      loss += take * gain;
      if (out !== null) out[off + sp] -= take;
      remaining -= take;
      if (remaining <= 0) break;
    }
  } else {
    // Sparse row with many entries touched, or few states overall: scatter into a dense scratch, walk
    // the global order (about S/n states per row entry) until rho of mass is collected, clear.
    const dense = w.dense;
    for (let k = a; k < b; k++) dense[next[k]] = prob[k];
    for (let t = 0; t < S; t++) {
      // No branch on ps === 0 (states off the support take 0): that branch would be unpredictable.
      const sp = order[t];
      const ps = dense[sp];
      const gain = v[sp] - vmin;
      if (gain <= 0) break;
      const take = ps < remaining ? ps : remaining;
      loss += take * gain;
      if (out !== null) out[off + sp] -= take;
      remaining -= take;
      if (remaining <= 0) break;
    }
    for (let k = a; k < b; k++) dense[next[k]] = 0;
  }
  if (out !== null) out[off + w.argmin] += rho - remaining;
  const sigma = nominal - loss;
  w.value = sigma > vmin ? sigma : vmin;
}

/**
 * KL: w.value = sup_{eta>0} { -eta log E_P*[exp(-V/eta)] - eta rho } (eq. 11) over the row's support,
 * rho = w.rho. Writes the worst case (P* tilted by exp(-V/eta*), or P* conditioned on the argmin set)
 * into out[off .. off+S) when given.
 */
function klRow(w: Workspace, kernel: Kernel, r: number, out: Float64Array | null, off: number): void {
  const rho = w.rho;
  const rowStart = kernel.rowStart, next = kernel.next, prob = kernel.prob;
  const a = rowStart[r], b = rowStart[r + 1], n = b - a;
  const v = w.v;
  let nominal = 0, vmin = Infinity;
  if (n === w.S) {
    // Dense row: entry a + sp holds state sp.
    for (let sp = 0; sp < n; sp++) {
      const x = v[sp], pk = prob[a + sp];
      nominal += pk * x;
      if (x < vmin && pk > 0) vmin = x;
    }
  } else {
    for (let k = a; k < b; k++) {
      const x = v[next[k]], pk = prob[k];
      nominal += pk * x;
      if (x < vmin && pk > 0) vmin = x;
    }
  }
  if (out !== null) out.fill(0, off, off + w.S);
  if (rho === 0 || n === 1) {
    if (out !== null) for (let k = a; k < b; k++) out[off + next[k]] = prob[k];
    w.value = n === 1 ? v[next[a]] : nominal;
    return;
  }
  const st = w.kl;
  st.vmin = vmin;
  st.rho = rho;
  klSolveRow(st, v, next, prob, a, n);
  let g = st.value;
  if (!(g >= 0)) {
    if (g !== g) {
      throw new DrmgError(
        'internal',
        `kernel row ${r}`,
        `the KL robust expectation (rho = ${rho}) did not converge, expected every row to (please report this row and V)`,
      );
    }
    g = 0; // rounding below min V
  }
  // P* tilted by exp(-V/eta*), or, in the eta -> 0 limit, P* conditioned on the argmin set.
  if (out !== null) klWorstCase(st, next, prob, a, n, out, off);
  // sigma lies in [min V, E_P*[V]]; when rounding makes nominal < vmin (V constant on the support), vmin wins.
  let sigma = vmin + g;
  if (sigma > nominal) sigma = nominal;
  w.value = sigma > vmin ? sigma : vmin;
}

/**
 * sigma_{P*_r, rho}[V] for CSR kernel row r against the loaded V: the TV worst case moves min(rho, 1) of
 * mass from the top of supp P*_r onto argmin V (dual: eq. 10, erratum), the KL one solves eq. 11.
 * @throws DrmgError when no V is loaded, rho is negative or NaN, r is out of range, or the divergence is
 * unknown (kind `input`); kind `internal` if the KL search fails to converge (no such row is known).
 */
export function robustExpectationRow(ws: SigmaWorkspace, divergence: Divergence, kernel: Kernel, r: number, rho: number): number {
  const w = ws as Workspace;
  checkRow(w, kernel, r, rho);
  w.rho = rho;
  if (divergence === 'tv') tvRow(w, kernel, r, null, 0);
  else if (divergence === 'kl') klRow(w, kernel, r, null, 0);
  else inputError('divergence', `expected "tv" or "kl", got ${describeValue(divergence)}`);
  return w.value;
}

/**
 * The same value as `robustExpectationRow`, and the worst-case distribution (dense, length S, attaining
 * sigma: E_out[V] = sigma) written into out[outOffset .. outOffset+S).
 * @throws DrmgError as `robustExpectationRow`, or when out is too short.
 */
export function worstCaseRow(
  ws: SigmaWorkspace,
  divergence: Divergence,
  kernel: Kernel,
  r: number,
  rho: number,
  out: Float64Array,
  outOffset = 0,
): number {
  const w = ws as Workspace;
  checkRow(w, kernel, r, rho);
  if (!Number.isInteger(outOffset) || outOffset < 0 || outOffset + w.S > out.length) {
    inputError('out', `expected room for ${w.S} entries from offset ${outOffset}, got length ${out.length}`);
  }
  w.rho = rho;
  if (divergence === 'tv') tvRow(w, kernel, r, out, outOffset);
  else if (divergence === 'kl') klRow(w, kernel, r, out, outOffset);
  else inputError('divergence', `expected "tv" or "kl", got ${describeValue(divergence)}`);
  return w.value;
}

/**
 * Batched robust expectations of one step: out[s*J + j] = sigma_{i,h,s,j}[V_{h+1}] (Prop. 1) for all s, j,
 * with V = V[vOffset .. vOffset+S), radius game.radius[(i*H + h)*S + s] and kernel row (h*S + s)*J + j.
 * Loads V into ws itself. The game's kernel is trusted to be valid (as a reader or `createTabularGame`
 * leaves it: non-empty rows, next states < S, strictly increasing); rows are not re-checked here.
 * With `needed` (length S*J), only rows with needed[s*J + j] !== 0 are computed and the others get 0: callers
 * that weight rows by a policy skip the rows it never plays, which makes near-deterministic policies cheap.
 * @throws DrmgError when h, i, the sizes of ws, V or out do not match the game, or a radius is bad.
 */
export function robustExpectationStep(
  game: TabularGame,
  ws: SigmaWorkspace,
  h: number,
  i: number,
  V: Float64Array,
  vOffset: number,
  out: Float64Array,
  needed: ArrayLike<number> | null = null,
): void {
  if (game === null || typeof game !== 'object') inputError('game', `expected a TabularGame, got ${describeValue(game)}`);
  const { S, H, J, m, kernel, radius, divergence } = game;
  const w = ws as Workspace;
  if (w === null || typeof w !== 'object' || !(w.v instanceof Float64Array)) inputError('ws', `expected a workspace from createSigmaWorkspace, got ${describeValue(ws)}`);
  if (w.S !== S) inputError('ws', `workspace is for ${w.S} states, the game has ${S}`);
  if (!(out instanceof Float64Array)) inputError('out', `expected a Float64Array of length >= ${S * J}, got ${describeValue(out)}`);
  if (!Number.isInteger(h) || h < 0 || h >= H) inputError('h', `expected a step in [0, ${H - 1}], got ${h}`);
  if (!Number.isInteger(i) || i < 0 || i >= m) inputError('i', `expected an agent in [0, ${m - 1}], got ${i}`);
  if (out.length < S * J) inputError('out', `expected length >= ${S * J}, got ${out.length}`);
  if (needed !== null && needed.length < S * J) inputError('needed', `expected length >= ${S * J}, got ${needed.length}`);
  if (kernel.rowStart.length !== H * S * J + 1) {
    inputError('kernel.rowStart', `expected length ${H * S * J + 1}, got ${kernel.rowStart.length}`);
  }
  if (divergence !== 'tv' && divergence !== 'kl') inputError('divergence', `expected "tv" or "kl", got ${describeValue(divergence)}`);
  loadValues(w, V, vOffset);
  const tv = divergence === 'tv';
  const rhoBase = (i * H + h) * S;
  for (let s = 0; s < S; s++) {
    const rho = radius[rhoBase + s];
    if (!(rho >= 0)) inputError(`radius[${i}][${h}][${s}]`, `expected a radius >= 0, got ${rho}`);
    w.rho = rho;
    const rowBase = (h * S + s) * J;
    const outBase = s * J;
    for (let j = 0; j < J; j++) {
      if (needed !== null && needed[outBase + j] === 0) {
        out[outBase + j] = 0;
        continue;
      }
      if (tv) tvRow(w, kernel, rowBase + j, null, 0);
      else klRow(w, kernel, rowBase + j, null, 0);
      out[outBase + j] = w.value;
    }
  }
}

/** Checks a dense distribution p and values V of the same length; returns the length. */
function checkDense(p: ArrayLike<number>, V: ArrayLike<number>, rho: number): number {
  if (p === null || typeof p !== 'object' || typeof p.length !== 'number') inputError('p', `expected an array of probabilities, got ${describeValue(p)}`);
  if (V === null || typeof V !== 'object' || typeof V.length !== 'number') inputError('V', `expected an array of values, got ${describeValue(V)}`);
  if (typeof rho !== 'number') inputError('rho', `expected a radius >= 0, got ${describeValue(rho)}`);
  const S = p.length;
  if (S < 1) inputError('p', 'expected a non-empty distribution');
  if (V.length !== S) inputError('V', `expected ${S} values (one per entry of p), got ${V.length}`);
  let sum = 0;
  for (let s = 0; s < S; s++) {
    const x = p[s];
    if (!(x >= 0 && x < Infinity)) inputError(`p[${s}]`, `expected a probability >= 0, got ${x}`);
    sum += x;
    const y = V[s];
    if (!(y - y === 0)) inputError(`V[${s}]`, `expected a finite value, got ${y}`);
  }
  if (!(Math.abs(sum - 1) <= 1e-9)) inputError('p', `sums to ${sum}, expected 1`);
  if (!(rho >= 0)) inputError('rho', `expected a radius >= 0, got ${rho}`);
  return S;
}

/** One-row CSR kernel holding the positive entries of p. */
function denseKernel(p: ArrayLike<number>, S: number): Kernel {
  let n = 0;
  for (let s = 0; s < S; s++) if (p[s] > 0) n++;
  const next = new Int32Array(n), prob = new Float64Array(n);
  n = 0;
  for (let s = 0; s < S; s++) {
    if (p[s] > 0) {
      next[n] = s;
      prob[n] = p[s];
      n++;
    }
  }
  return { rowStart: Int32Array.of(0, n), next, prob };
}

function sigmaDense(divergence: Divergence, p: ArrayLike<number>, V: ArrayLike<number>, rho: number): number {
  const S = checkDense(p, V, rho);
  const ws = createSigmaWorkspace(S);
  loadValues(ws, Float64Array.from(V));
  return robustExpectationRow(ws, divergence, denseKernel(p, S), 0, rho);
}

/**
 * TV robust expectation of V under the dense distribution p (length S = V.length; rho >= 1 gives min V).
 * @throws DrmgError when p is not a distribution, V has a non-finite entry, the lengths differ, or rho < 0.
 * @example sigmaTv([0.5, 0.5, 0], [1, 3, 0], 0.2) // 0.5*1 + 0.3*3 + 0.2*0 = 1.4
 */
export function sigmaTv(p: ArrayLike<number>, V: ArrayLike<number>, rho: number): number {
  return sigmaDense('tv', p, V, rho);
}

/**
 * KL robust expectation of V under the dense distribution p (eq. 11); min of V over supp p when
 * p(argmin set) >= exp(-rho).
 * @throws DrmgError when p is not a distribution, V has a non-finite entry, the lengths differ, or rho < 0.
 */
export function sigmaKl(p: ArrayLike<number>, V: ArrayLike<number>, rho: number): number {
  return sigmaDense('kl', p, V, rho);
}

/**
 * TV dual (eq. 10 with the erratum): sup_eta { E_p[min(V, eta)] - rho (eta - min V)^+ }, min V over all
 * of V, evaluated at every breakpoint eta in {V(s)} (the objective is concave piecewise linear), O(S^2).
 * For rho >= 1 (Infinity included) the sup is min V, attained at eta = min V: any larger eta gives at most
 * eta - rho (eta - min V) <= min V; this is returned exactly, as `sigmaTv` does.
 * @throws DrmgError on bad input, as `sigmaTv`.
 */
export function sigmaTvDual(p: ArrayLike<number>, V: ArrayLike<number>, rho: number): number {
  const S = checkDense(p, V, rho);
  let vmin = Infinity;
  for (let s = 0; s < S; s++) if (V[s] < vmin) vmin = V[s];
  // Also keeps rho = Infinity from meeting eta - min V = 0 (Infinity * 0 = NaN) below.
  if (rho >= 1) return vmin;
  let best = -Infinity;
  for (let e = 0; e < S; e++) {
    const eta = V[e];
    let obj = 0;
    for (let s = 0; s < S; s++) obj += p[s] * (V[s] < eta ? V[s] : eta);
    obj -= rho * (eta - vmin);
    if (obj > best) best = obj;
  }
  return best;
}

/**
 * The KL dual objective of eq. 11 at eta > 0: -eta log E_p[exp(-V/eta)] - eta rho, computed stably as
 * vmin - eta log E_p[exp(-(V - vmin)/eta)] - eta rho with vmin = min of V over supp p.
 * @throws DrmgError on bad input, as `sigmaKl`, or when eta is not positive and finite.
 */
export function klDualObjective(p: ArrayLike<number>, V: ArrayLike<number>, rho: number, eta: number): number {
  const S = checkDense(p, V, rho);
  if (!(eta > 0 && eta < Infinity)) inputError('eta', `expected eta > 0 and finite, got ${eta}`);
  let vmin = Infinity;
  for (let s = 0; s < S; s++) if (p[s] > 0 && V[s] < vmin) vmin = V[s];
  let Z = 0;
  for (let s = 0; s < S; s++) if (p[s] > 0) Z += p[s] * Math.exp(-(V[s] - vmin) / eta);
  return vmin - eta * Math.log(Z) - eta * rho;
}
