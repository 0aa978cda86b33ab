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
import { stateIndexArray } from './kernel-index.ts';
import { createKlState, klSolveDenseRow, klSolveRow, klValuesChanged, klWorstCase } from './sigma-kl.ts';
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
  /** gain[t] = v[order[t]] - vmin, and nPos = the number of t with gain[t] > 0 (a prefix of the order). */
  readonly gain: Float64Array;
  /** dgain[t] = gain[t] - gain[t + 1] for t < nPos, with gain[nPos] read as 0. */
  readonly dgain: Float64Array;
  nPos: number;
  /** Scratch of `robustExpectationSteps`: J dense rows of one (h, s) scattered from sparse ones, zero between uses. */
  block: Float64Array;
  /** Scratch of `tvBlock`: the block rows' sigma, one run of rows per V. */
  blockOut: Float64Array;
  /** Scratch of `tvBlock`: each row's place in the block. */
  blockSlot: Int32Array;
  /** Scratch of `tvBlock`: where each of its rows starts (in the kernel or the block). */
  rowOffs: Int32Array;
  /** Whether order holds a permutation from an earlier sort (the start of the next insertion sort). */
  ordered: boolean;
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
    gain: new Float64Array(S),
    dgain: new Float64Array(S),
    nPos: 0,
    block: new Float64Array(0),
    blockOut: new Float64Array(0),
    blockSlot: new Int32Array(0),
    rowOffs: new Int32Array(0),
    ordered: false,
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

/**
 * Sorts the loaded V descending (ties by index) into order/rank, and fills gain/nPos. The order of the previous V
 * is the start: successive V of a backward induction (V_{h+1}, then V_h) are mostly in the same order, so an
 * insertion sort costs O(S + inversions); past ~4 S log2 S moves it gives way to a full comparison sort.
 */
function sortValues(w: Workspace): void {
  const order = w.order, rank = w.rank, S = w.S, v = w.v;
  if (!w.ordered) {
    for (let t = 0; t < S; t++) order[t] = t;
    w.ordered = true;
  }
  const limit = 4 * S * (Math.log2(S) + 1);
  let moves = 0;
  for (let t = 1; t < S; t++) {
    const x = order[t];
    const vx = v[x];
    let u = t - 1;
    while (u >= 0) {
      const y = order[u];
      const vy = v[y];
      if (vy > vx || (vy === vx && y < x)) break;
      order[u + 1] = y;
      u--;
    }
    order[u + 1] = x;
    moves += t - 1 - u;
    if (moves > limit) {
      mergeSortOrder(w);
      break;
    }
  }
  const gain = w.gain, vmin = w.vmin;
  let nPos = 0;
  for (let t = 0; t < S; t++) {
    const sp = order[t];
    rank[sp] = t;
    const g = v[sp] - vmin;
    gain[t] = g;
    if (g > 0) nPos = t + 1;
  }
  w.nPos = nPos;
  const dgain = w.dgain;
  for (let t = 0; t < nPos; t++) dgain[t] = gain[t] - (t + 1 < nPos ? gain[t + 1] : 0);
  w.sorted = true;
}

/**
 * Sorts w.order by v descending, ties by index ascending (a total order, so the result is the permutation, whatever
 * order held before): a bottom-up merge sort through the workspace's scratch `key`, O(S log S) comparisons inline and
 * no allocation (Int32Array.prototype.sort with a comparator calls it per comparison and allocates, ~64 bytes per state
 * and sort, measured at S = 200).
 */
function mergeSortOrder(w: Workspace): void {
  const S = w.S, v = w.v;
  let src = w.order, dst = w.key;
  for (let width = 1; width < S; width *= 2) {
    for (let lo = 0; lo < S; lo += 2 * width) {
      const mid = lo + width < S ? lo + width : S;
      const hi = lo + 2 * width < S ? lo + 2 * width : S;
      let x = lo, y = mid, o = lo;
      while (x < mid && y < hi) {
        const a = src[x], b = src[y];
        const va = v[a], vb = v[b];
        if (va > vb || (va === vb && a < b)) {
          dst[o++] = a;
          x++;
        } else {
          dst[o++] = b;
          y++;
        }
      }
      while (x < mid) dst[o++] = src[x++];
      while (y < hi) dst[o++] = src[y++];
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== w.order) w.order.set(src);
}

/**
 * TV on a dense row (entry a + sp holds state sp): w.value = the loss sum over moved mass of (V(sp) - min V) when
 * rho (0 < rho < 1) of mass leaves the top of the order. The walk takes blocks of four states while the block's
 * mass fits in what is left (one comparison per block instead of a min per state), then finishes state by state.
 */
function denseWalk(w: Workspace, prob: Float64Array, a: number, rho: number): void {
  if (!w.sorted) sortValues(w);
  const order = w.order, gain = w.gain, nPos = w.nPos;
  let rem = rho, loss = 0, t = 0;
  const n4 = nPos - 3;
  while (t < n4) {
    const p0 = prob[a + order[t]], p1 = prob[a + order[t + 1]], p2 = prob[a + order[t + 2]], p3 = prob[a + order[t + 3]];
    const q = p0 + p1 + (p2 + p3);
    if (q >= rem) break;
    rem -= q;
    loss += p0 * gain[t] + p1 * gain[t + 1] + (p2 * gain[t + 2] + p3 * gain[t + 3]);
    t += 4;
  }
  for (; t < nPos; t++) {
    const p = prob[a + order[t]];
    if (p >= rem) {
      loss += rem * gain[t];
      break;
    }
    rem -= p;
    loss += p * gain[t];
  }
  w.value = loss;
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
  if (n === S) {
    // Dense row: entry k = a + sp holds state sp. The value comes from the blocked walk, with or without out, so
    // that worstCaseRow and robustExpectationRow agree to the last bit.
    denseWalk(w, prob, a, rho);
    const sig = nominal - w.value;
    w.value = sig > vmin ? sig : vmin;
    if (out === null) return;
    const order = w.order;
    let remaining = rho;
    for (let t = 0; t < S; t++) {
      const sp = order[t];
      if (v[sp] - vmin <= 0) break;
      const ps = prob[a + sp];
      const take = ps < remaining ? ps : remaining;
      out[off + sp] -= take;
      remaining -= take;
      if (remaining <= 0) break;
    }
    out[off + w.argmin] += rho - remaining;
    return;
  }
  if (!w.sorted) sortValues(w);
  const order = w.order;
  let remaining = rho, loss = 0;
  if (n * (rho * n + 1) <= 2 * n + S * (rho + 1 / n)) {
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
  if (n === w.S && out === null && rho > 0 && n >= 3) {
    // Dense row, no worst case asked: every state is in the support (CSR stores positive entries), so its min of V is
    // the global one and W = V - min V is shared by every dense row of V (`klSolveDenseRow`).
    const st = w.kl;
    st.vmin = w.vmin;
    st.rho = rho;
    klSolveDenseRow(st, v, next, prob, a);
    klFinish(w, r, st.value, w.vmin, w.vmin + st.mean);
    return;
  }
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
  // P* tilted by exp(-V/eta*), or, in the eta -> 0 limit, P* conditioned on the argmin set.
  if (out !== null) klWorstCase(st, next, prob, a, n, out, off);
  klFinish(w, r, st.value, vmin, nominal);
}

/** w.value = vmin + g for a KL solve's g (an error when it did not converge), clamped into [vmin, nominal]. */
function klFinish(w: Workspace, r: number, value: number, vmin: number, nominal: number): void {
  let g = value;
  if (!(g >= 0)) {
    if (g !== g) {
      throw new DrmgError(
        'internal',
        `kernel row ${r}`,
        `the KL robust expectation (rho = ${w.rho}) did not converge, expected every row to (please report this row and V)`,
      );
    }
    g = 0; // rounding below min V
  }
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

/**
 * The nominal expectations E_P[V_q] of the J dense rows starting at prob[offs[j]] (j < J) against k = 1..3 loaded V
 * at once, each row read once for all of them: into o0[ob + j], o1[ob1 + j] (k >= 2), o2[ob2 + j] (k = 3).
 */
function denseNominals(
  w0: Workspace, w1: Workspace, w2: Workspace, k: number, prob: Float64Array, offs: Int32Array, J: number,
  o0: Float64Array, o1: Float64Array, o2: Float64Array, ob: number, ob1: number, ob2: number,
): void {
  const S = w0.S;
  const v0 = w0.v, v1 = w1.v, v2 = w2.v;
  const even = S - (S & 1);
  // Two rows per pass: each value loaded once serves both (measured ~25% faster than a row at a time).
  let j = 0;
  if (k === 3) {
    for (; j + 1 < J; j += 2) {
      const a = offs[j], b = offs[j + 1];
      let x0 = 0, x1 = 0, x2 = 0, y0 = 0, y1 = 0, y2 = 0;
      for (let sp = 0; sp < S; sp++) {
        const p = prob[a + sp], q = prob[b + sp];
        const u0 = v0[sp], u1 = v1[sp], u2 = v2[sp];
        x0 += p * u0;
        x1 += p * u1;
        x2 += p * u2;
        y0 += q * u0;
        y1 += q * u1;
        y2 += q * u2;
      }
      o0[ob + j] = x0;
      o1[ob1 + j] = x1;
      o2[ob2 + j] = x2;
      o0[ob + j + 1] = y0;
      o1[ob1 + j + 1] = y1;
      o2[ob2 + j + 1] = y2;
    }
  } else if (k === 2) {
    for (; j + 1 < J; j += 2) {
      const a = offs[j], b = offs[j + 1];
      let x0 = 0, x1 = 0, y0 = 0, y1 = 0, xx0 = 0, xx1 = 0, yy0 = 0, yy1 = 0;
      for (let sp = 0; sp < even; sp += 2) {
        const p = prob[a + sp], q = prob[b + sp], pp = prob[a + sp + 1], qq = prob[b + sp + 1];
        const u0 = v0[sp], u1 = v1[sp], uu0 = v0[sp + 1], uu1 = v1[sp + 1];
        x0 += p * u0;
        x1 += p * u1;
        y0 += q * u0;
        y1 += q * u1;
        xx0 += pp * uu0;
        xx1 += pp * uu1;
        yy0 += qq * uu0;
        yy1 += qq * uu1;
      }
      if (even < S) {
        const p = prob[a + even], q = prob[b + even];
        x0 += p * v0[even];
        x1 += p * v1[even];
        y0 += q * v0[even];
        y1 += q * v1[even];
      }
      o0[ob + j] = x0 + xx0;
      o1[ob1 + j] = x1 + xx1;
      o0[ob + j + 1] = y0 + yy0;
      o1[ob1 + j + 1] = y1 + yy1;
    }
  } else {
    for (; j + 1 < J; j += 2) {
      const a = offs[j], b = offs[j + 1];
      let x0 = 0, y0 = 0, xx0 = 0, yy0 = 0;
      for (let sp = 0; sp < even; sp += 2) {
        const u = v0[sp], uu = v0[sp + 1];
        x0 += prob[a + sp] * u;
        y0 += prob[b + sp] * u;
        xx0 += prob[a + sp + 1] * uu;
        yy0 += prob[b + sp + 1] * uu;
      }
      if (even < S) {
        x0 += prob[a + even] * v0[even];
        y0 += prob[b + even] * v0[even];
      }
      o0[ob + j] = x0 + xx0;
      o0[ob + j + 1] = y0 + yy0;
    }
  }
  // A last odd row: an accumulator per value table.
  for (; j < J; j++) {
    const a = offs[j];
    let x0 = 0, x1 = 0, x2 = 0;
    for (let sp = 0; sp < S; sp++) {
      const p = prob[a + sp];
      x0 += p * v0[sp];
      x1 += p * v1[sp];
      x2 += p * v2[sp];
    }
    o0[ob + j] = x0;
    if (k > 1) o1[ob1 + j] = x1;
    if (k > 2) o2[ob2 + j] = x2;
  }
}

/**
 * TV for the J dense rows starting at prob[offs[j]] (j < J) of one (h, s), all with radius w.rho (read from the workspace, so
 * that no call boxes a double), against the loaded V of w: on entry
 * out[ob + j] holds row j's nominal expectation, on exit its sigma. Four rows walk the order of V together, one
 * state at a time, their mass left and loss in registers, the mass left max(left - P(sp), 0) computed in
 * arithmetic (max(d, 0) = (d + |d|) / 2, exact) rather than by branches: where one row's walk ends no branch predictor can
 * guess, and four independent rows keep the processor busy where one row's chain of subtractions makes it wait.
 * The four stop once all of them have moved rho; a last row or three take `denseWalk`.
 */
function tvWalkRows(w: Workspace, prob: Float64Array, offs: Int32Array, J: number, out: Float64Array, ob: number): void {
  const rho = w.rho;
  if (rho === 0) return;
  const vmin = w.vmin;
  if (rho >= 1) {
    for (let j = 0; j < J; j++) out[ob + j] = vmin;
    return;
  }
  if (!w.sorted) sortValues(w);
  const order = w.order, dgain = w.dgain, nPos = w.nPos;
  // Summation by parts: with r_t the mass left after state t (r_-1 = rho) and g the gains down the order, the loss
  // sum_t (r_{t-1} - r_t) g_t = rho g_0 - sum_t r_t (g_t - g_{t+1}) (g past the last positive gain is 0): one
  // multiply-add per state and row instead of a subtraction and one.
  const top = rho * w.gain[0];
  let j = 0;
  for (; j + 3 < J; j += 4) {
    const a = offs[j], b = offs[j + 1], c = offs[j + 2], d = offs[j + 3];
    let r0 = rho, r1 = rho, r2 = rho, r3 = rho, l0 = 0, l1 = 0, l2 = 0, l3 = 0;
    for (let t = 0; t < nPos; t++) {
      const sp = order[t], dg = dgain[t];
      const d0 = r0 - prob[a + sp], d1 = r1 - prob[b + sp], d2 = r2 - prob[c + sp], d3 = r3 - prob[d + sp];
      r0 = (d0 + Math.abs(d0)) * 0.5;
      r1 = (d1 + Math.abs(d1)) * 0.5;
      r2 = (d2 + Math.abs(d2)) * 0.5;
      r3 = (d3 + Math.abs(d3)) * 0.5;
      l0 += r0 * dg;
      l1 += r1 * dg;
      l2 += r2 * dg;
      l3 += r3 * dg;
      if (r0 + r1 + (r2 + r3) === 0) break;
    }
    const s0 = out[ob + j] - (top - l0), s1 = out[ob + j + 1] - (top - l1);
    const s2 = out[ob + j + 2] - (top - l2), s3 = out[ob + j + 3] - (top - l3);
    out[ob + j] = s0 > vmin ? s0 : vmin;
    out[ob + j + 1] = s1 > vmin ? s1 : vmin;
    out[ob + j + 2] = s2 > vmin ? s2 : vmin;
    out[ob + j + 3] = s3 > vmin ? s3 : vmin;
  }
  for (; j < J; j++) {
    denseWalk(w, prob, offs[j], rho);
    const sigma = out[ob + j] - w.value;
    out[ob + j] = sigma > vmin ? sigma : vmin;
  }
}

/**
 * TV for the rows of one (h, s) that `needed` asks for (all J when null), radius w0.rho (= w1.rho = w2.rho), against k
 * loaded V, as a block of dense rows: when every row asked for is dense, the kernel's own rows, read in place;
 * otherwise the rows asked for copied (or scattered, when sparse) into a zeroed block, cleared again after. The nominal expectations share each row's read
 * (`denseNominals`) and the walks run over four rows at a time (`tvWalkRows`). Returns false, doing nothing, when
 * the rows are too sparse for a block to pay (fewer than S/8 entries per row on average) or the block would be too
 * large; the caller then takes the rows one by one.
 */
function tvBlock(
  w0: Workspace, w1: Workspace, w2: Workspace, k: number, full: number, kernel: Kernel, rowBase: number, J: number,
  needed: ArrayLike<number> | null, ob: number, o0: Float64Array, o1: Float64Array, o2: Float64Array,
): boolean {
  const S = w0.S;
  const rowStart = kernel.rowStart, prob = kernel.prob, next = kernel.next;
  let count = 0, nnz = 0;
  if (needed === null) {
    count = J;
    nnz = rowStart[rowBase + J] - rowStart[rowBase];
  } else {
    for (let j = 0; j < J; j++) {
      if ((needed[ob + j] & full) !== 0) {
        count++;
        nnz += rowStart[rowBase + j + 1] - rowStart[rowBase + j];
      }
    }
    if (count === 0) {
      for (let j = 0; j < J; j++) {
        o0[ob + j] = 0;
        o1[ob + j] = 0;
        o2[ob + j] = 0;
      }
      return true;
    }
  }
  if (count === J && nnz === J * S) {
    // The kernel's own rows, every one asked for.
    const offs = rowOffsets(w0, J);
    for (let j = 0; j < J; j++) offs[j] = rowStart[rowBase + j];
    denseNominals(w0, w1, w2, k, prob, offs, J, o0, o1, o2, ob, ob, ob);
    tvWalkRows(w0, prob, offs, J, o0, ob);
    if (k > 1) tvWalkRows(w1, prob, offs, J, o1, ob);
    if (k > 2) tvWalkRows(w2, prob, offs, J, o2, ob);
    if (needed !== null) clearUnasked(k, needed, J, ob, o0, o1, o2);
    return true;
  }
  // Every row asked for dense: the kernel's own rows, read in place. Otherwise the rows asked for are copied or
  // scattered into a zeroed block (cleared again after).
  const inPlace = nnz === count * S;
  if (!inPlace && (BLOCK_DENSITY * nnz < count * S || count * S > MAX_BLOCK)) return false;
  if (!inPlace && w0.block.length < count * S) w0.block = new Float64Array(count * S);
  if (w0.blockOut.length < 3 * J) w0.blockOut = new Float64Array(3 * J);
  const block = w0.block, bo = w0.blockOut;
  const offs = rowOffsets(w0, J);
  let n0 = 0;
  // The rows asked for, those asking for V_0 first (in an evaluation, V_0 is the policy's value, needed on the rows it
  // plays, often fewer than the deviations need), so that V_0 walks only its own rows. slot[j] = row j's place in
  // the list, offs[c] = where row c starts (in the kernel, or in the block).
  const slot = w0.blockSlot.length >= J ? w0.blockSlot : (w0.blockSlot = new Int32Array(J));
  let c = 0;
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < J; j++) {
      const bits = needed === null ? full : needed[ob + j] & full;
      if (bits === 0 || (pass === 0) !== ((bits & 1) !== 0)) continue;
      const a = rowStart[rowBase + j], b = rowStart[rowBase + j + 1];
      if (inPlace) offs[c] = a;
      else {
        const off = c * S;
        offs[c] = off;
        if (b - a === S) for (let sp = 0; sp < S; sp++) block[off + sp] = prob[a + sp];
        else for (let e = a; e < b; e++) block[off + next[e]] = prob[e];
      }
      slot[j] = c++;
    }
    if (pass === 0) n0 = c;
  }
  // The rows' sigma into blockOut: V_q's run of rows at offset q J.
  const rows = inPlace ? prob : block;
  denseNominals(w0, w1, w2, k, rows, offs, count, bo, bo, bo, 0, J, 2 * J);
  tvWalkRows(w0, rows, offs, n0, bo, 0);
  if (k > 1) tvWalkRows(w1, rows, offs, count, bo, J);
  if (k > 2) tvWalkRows(w2, rows, offs, count, bo, 2 * J);
  if (!inPlace) block.fill(0, 0, count * S);
  for (let j = 0; j < J; j++) {
    const bits = needed === null ? full : needed[ob + j] & full;
    if (bits === 0) {
      o0[ob + j] = 0;
      o1[ob + j] = 0;
      o2[ob + j] = 0;
      continue;
    }
    const cj = slot[j];
    o0[ob + j] = (bits & 1) !== 0 ? bo[cj] : 0;
    if (k > 1) o1[ob + j] = (bits & 2) !== 0 ? bo[J + cj] : 0;
    if (k > 2) o2[ob + j] = (bits & 4) !== 0 ? bo[2 * J + cj] : 0;
  }
  return true;
}

/** The workspace's list of J row offsets (scratch of `tvBlock`). */
function rowOffsets(w: Workspace, J: number): Int32Array {
  return w.rowOffs.length >= J ? w.rowOffs : (w.rowOffs = new Int32Array(J));
}

/** Zeroes the outputs of the rows and vectors that `needed` does not ask for. */
function clearUnasked(k: number, needed: ArrayLike<number>, J: number, ob: number, o0: Float64Array, o1: Float64Array, o2: Float64Array): void {
  for (let j = 0; j < J; j++) {
    const bits = needed[ob + j];
    if ((bits & 1) === 0) o0[ob + j] = 0;
    if (k > 1 && (bits & 2) === 0) o1[ob + j] = 0;
    if (k > 2 && (bits & 4) === 0) o2[ob + j] = 0;
  }
}

/** The largest block of J dense rows (J*S entries) that `robustExpectationSteps` scatters sparse rows into. */
const MAX_BLOCK = 2 ** 20;
/** Rows averaging fewer than S / BLOCK_DENSITY entries are taken one by one (measured: the block pays down to ~S/16). */
const BLOCK_DENSITY = 8;

/**
 * The batched robust expectations of one step against up to three value vectors at once:
 * outs[q][s*J + j] = sigma_{i,h,s,j}[V_q] with V_q = tables[q][vOffset .. vOffset+S) (Prop. 1), each with its own
 * workspace wss[q] (loaded here). Every kernel row is read once for all of them (on dense TV rows the nominal
 * expectations share one loop), which is what an evaluation's value, best-response and swap recursions need at
 * each step. With `needed` (length S*J), bit q of needed[s*J + j] asks for V_q at that row; rows and vectors not
 * asked for get 0. Same contract as `robustExpectationStep` otherwise.
 *
 * With `s0` and `s1`, only the states s0 <= s < s1 of step h are computed: outs[q][s*J + j] is written for those s
 * alone (the rest of each out is left as it was) and `needed` is read at those s alone. Each state's numbers are those
 * of a call over all states, bit for bit, so threads that split the states between them (each with its own
 * workspaces, every V loaded in full by each) get the results of one call.
 * @param s0 first state computed (default 0).
 * @param s1 one past the last state computed (default S); s0 <= s1, an empty range does nothing but the checks.
 * @throws DrmgError when h, i, the sizes of a workspace, a V or an out do not match the game, the lists differ in
 * length or hold more than three, s0 and s1 are not integers with 0 <= s0 <= s1 <= S, or a radius is bad.
 */
export function robustExpectationSteps(
  game: TabularGame,
  wss: readonly SigmaWorkspace[],
  h: number,
  i: number,
  tables: readonly Float64Array[],
  vOffset: number,
  outs: readonly Float64Array[],
  needed: ArrayLike<number> | null = null,
  s0 = 0,
  s1: number = game?.S,
): void {
  if (game === null || typeof game !== 'object') inputError('game', `expected a TabularGame, got ${describeValue(game)}`);
  const { S, H, J, m, kernel, radius, divergence } = game;
  const k = Array.isArray(tables) ? tables.length : 0;
  if (!(k >= 1 && k <= 3)) inputError('tables', `expected 1 to 3 value tables, got ${Array.isArray(tables) ? k : describeValue(tables)}`);
  if (!Array.isArray(wss) || wss.length !== k) inputError('wss', `expected ${k} workspaces (one per value table), got ${Array.isArray(wss) ? wss.length : describeValue(wss)}`);
  if (!Array.isArray(outs) || outs.length !== k) inputError('outs', `expected ${k} output arrays (one per value table), got ${Array.isArray(outs) ? outs.length : describeValue(outs)}`);
  for (let q = 0; q < k; q++) {
    const w = wss[q] as Workspace;
    if (w === null || typeof w !== 'object' || !(w.v instanceof Float64Array)) inputError(`wss[${q}]`, `expected a workspace from createSigmaWorkspace, got ${describeValue(w)}`);
    if (w.S !== S) inputError(`wss[${q}]`, `workspace is for ${w.S} states, the game has ${S}`);
    for (let u = 0; u < q; u++) if (wss[u] === w) inputError(`wss[${q}]`, `expected a workspace of its own, got the same as wss[${u}]`);
    const out = outs[q];
    if (!(out instanceof Float64Array) || out.length < S * J) inputError(`outs[${q}]`, `expected a Float64Array of length >= ${S * J}, got ${out instanceof Float64Array ? out.length : describeValue(out)}`);
  }
  if (!Number.isInteger(h) || h < 0 || h >= H) inputError('h', `expected a step in [0, ${H - 1}], got ${h}`);
  if (!Number.isInteger(i) || i < 0 || i >= m) inputError('i', `expected an agent in [0, ${m - 1}], got ${i}`);
  if (needed !== null && needed.length < S * J) inputError('needed', `expected length >= ${S * J}, got ${needed.length}`);
  if (!Number.isInteger(s0) || !Number.isInteger(s1) || s0 < 0 || s1 < s0 || s1 > S) {
    inputError('s0, s1', `expected integers with 0 <= s0 <= s1 <= ${S}, got ${describeValue(s0)} and ${describeValue(s1)}`);
  }
  if (kernel.rowStart.length !== H * S * J + 1) inputError('kernel.rowStart', `expected length ${H * S * J + 1}, got ${kernel.rowStart.length}`);
  if (divergence !== 'tv' && divergence !== 'kl') inputError('divergence', `expected "tv" or "kl", got ${describeValue(divergence)}`);
  for (let q = 0; q < k; q++) loadValues(wss[q], tables[q], vOffset);
  const w0 = wss[0] as Workspace;
  const w1 = (k > 1 ? wss[1] : wss[0]) as Workspace;
  const w2 = (k > 2 ? wss[2] : w1) as Workspace;
  const o0 = outs[0];
  const o1 = k > 1 ? outs[1] : o0;
  const o2 = k > 2 ? outs[2] : o1;
  const full = (1 << k) - 1;
  const tv = divergence === 'tv';
  const rhoBase = (i * H + h) * S;
  for (let s = s0; s < s1; s++) {
    const rho = radius[rhoBase + s];
    if (!(rho >= 0)) inputError(`radius[${i}][${h}][${s}]`, `expected a radius >= 0, got ${rho}`);
    w0.rho = rho;
    w1.rho = rho;
    w2.rho = rho;
    const rowBase = (h * S + s) * J;
    const outBase = s * J;
    if (tv && tvBlock(w0, w1, w2, k, full, kernel, rowBase, J, needed, outBase, o0, o1, o2)) continue;
    for (let j = 0; j < J; j++) {
      const o = outBase + j;
      const bits = needed === null ? full : needed[o] & full;
      const r = rowBase + j;
      for (let q = 0; q < k; q++) {
        const out = q === 0 ? o0 : q === 1 ? o1 : o2;
        if ((bits & (1 << q)) === 0) {
          out[o] = 0;
          continue;
        }
        const w = q === 0 ? w0 : q === 1 ? w1 : w2;
        if (tv) tvRow(w, kernel, r, null, 0);
        else klRow(w, kernel, r, null, 0);
        out[o] = w.value;
      }
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
  const next = stateIndexArray(S, n), prob = new Float64Array(n);
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
