/**
 * The confidence set of an empirical kernel row, and its two stochastically extreme members: what MORNAVI's
 * `bonus=valid` plans with. The derivation, with the constants, is `docs/learners/confidence-bounds.md`.
 *
 * For a row visited n times with empirical probabilities p_hat(sp), on the event E (probability >= 1 - 2 delta')
 *   - per entry (Chernoff, Bernoulli KL):  P(sp) >= L(sp) = min { p <= p_hat(sp) : n kl(p_hat(sp), p) <= iotaEntry }
 *     for every observed sp (unobserved ones only have P(sp) >= 0), and
 *   - in total variation (Weissman et al. 2003):  TV(P, P_hat) <= epsTv(n) = sqrt((S ln 2 + iotaL1) / (2 n)).
 * So P lies in C = { Q in the simplex : Q(sp) >= L(sp) on observed sp, TV(Q, P_hat) <= epsTv }: at most
 * tau = min(sum_sp (p_hat(sp) - L(sp)), epsTv) of mass is off the empirical row, taken from observed states (each
 * at most p_hat - L) and put anywhere. For values W on the S states, the member of C that first-order dominates
 * every other moves tau from the lowest-W observed states (greedily, up to each cap) onto argmax_sp W over ALL
 * states; the dominated one moves it from the highest-W observed states onto argmin W. sigma_TV and sigma_KL are
 * non-decreasing under first-order dominance (both duals are sup over eta of E_P of a non-decreasing function of W
 * minus a term free of P), so for every W at once, whatever the data made it:
 *     sigma(lowerRow(W), W)  <=  sigma(P, W)  <=  sigma(upperRow(W), W).
 * No union over W is needed, which is what lets the planner's data-dependent V_bar, V_low and best responses use it.
 *
 * Layouts: the rows come from an `EmpiricalKernel` (pool entries [start[r], start[r] + len[r]), next states strictly
 * increasing); the lower bounds L live in a pool parallel to it, recomputed for a row when its visit count changed.
 * Values W are read as W[wOff + sp]; `rank[sp]` is sp's place in W descending (0 = largest), computed once per W.
 */
import { inputError, stateIndexArray } from '@drmg/core';
import type { Kernel } from '@drmg/core';
import type { EmpiricalKernel } from './empirical-kernel.ts';

/**
 * The Chernoff lower confidence bound of a Bernoulli mean: the smallest p in [0, pHat] with n kl(pHat, p) <= iota,
 * where kl(x, p) = x log(x/p) + (1 - x) log((1 - x)/(1 - p)). P(mean >= pHat's lower bound fails) <= exp(-iota) for
 * each fixed n (the Chernoff bound P(pHat >= p + t) <= exp(-n kl(p + t, p))). Bisection returns the bracket's lower
 * end, so the answer never exceeds the exact root (it errs on the valid side by < 1e-15 relative).
 * @throws DrmgError when pHat is outside [0, 1], n < 1 or iota < 0.
 * @example klLowerBound(1, 100, 4.6) // = exp(-0.046) = 0.955...
 */
export function klLowerBound(pHat: number, n: number, iota: number): number {
  if (!(pHat >= 0 && pHat <= 1)) inputError('pHat', `expected an empirical probability in [0, 1], got ${pHat}`);
  if (!(n >= 1)) inputError('n', `expected a sample count >= 1, got ${n}`);
  if (!(iota >= 0 && iota < Infinity)) inputError('iota', `expected a finite confidence level >= 0, got ${iota}`);
  if (pHat === 0) return 0;
  const target = iota / n;
  if (pHat === 1) return Math.exp(-target); // kl(1, p) = -log p
  const q = 1 - pHat;
  let lo = 0;
  let hi = pHat;
  for (let it = 0; it < 200 && hi - lo > 1e-15 * hi; it++) {
    const p = 0.5 * (lo + hi);
    const kl = pHat * Math.log(pHat / p) + q * Math.log(q / (1 - p));
    if (kl > target) lo = p;
    else hi = p;
  }
  return lo;
}

/** Confidence levels of the two families of events (see the file header and the docs). */
export interface ConfidenceLevels {
  /** iota of the per-entry Chernoff bounds: log(1 / per-event failure probability). */
  readonly iotaEntry: number;
  /** iota of the Weissman total-variation bound (the S ln 2 of its 2^S subsets is added separately). */
  readonly iotaL1: number;
}

/** The confidence sets of every visited row of one `EmpiricalKernel`, with scratch for the extreme rows. */
export interface ConfidenceSet {
  /**
   * The mass tau = min(sum of caps, epsTv) that C allows off the empirical row r (a visited row); refreshes the
   * row's per-entry bounds when its count changed since the last call.
   */
  budget(r: number): number;
  /**
   * The extreme member of C for row r (visited) and values W[wOff + sp]: `upper` = true gives the dominating row
   * (mass from the lowest-W entries to `target`, which must be argmax W over all states), false the dominated one
   * (from the highest-W entries to `target` = argmin W). Returned as a one-row CSR kernel (row 0) over shared
   * scratch: use it before the next call.
   */
  extremeRow(r: number, W: Float64Array, wOff: number, rank: Int32Array, target: number, upper: boolean): Kernel;
}

/**
 * Confidence sets over the rows of `counts` at the given levels (see the file header).
 * @throws DrmgError when a level is negative or not finite.
 */
export function createConfidenceSet(counts: EmpiricalKernel, levels: ConfidenceLevels): ConfidenceSet {
  const { iotaEntry, iotaL1 } = levels;
  for (const [name, v] of [['iotaEntry', iotaEntry], ['iotaL1', iotaL1]] as const) {
    if (!(v >= 0 && v < Infinity)) inputError(name, `expected a finite confidence level >= 0, got ${v}`);
  }
  const S = counts.S;
  const l1Free = S * Math.LN2 + iotaL1;
  const rows = counts.visits.length;
  const doneAt = new Int32Array(rows); // visits[r] when lowerPool / budgets[r] were computed (0: never)
  const budgets = new Float64Array(rows);
  let lowerPool = new Float64Array(64);
  // Scratch of one extreme row: entries sorted by value, their remaining mass, and the output CSR row.
  const pos = new Int32Array(S);
  const key = new Int32Array(S);
  const q = new Float64Array(S);
  const byRank = new Int32Array(S).fill(-1);
  const outStart = new Int32Array(2);
  const outNext = stateIndexArray(S, S + 1);
  const outProb = new Float64Array(S + 1);
  const out: Kernel = { rowStart: outStart, next: outNext, prob: outProb };

  function refresh(r: number): void {
    const n = counts.visits[r];
    if (counts.next.length > lowerPool.length) {
      const grown = new Float64Array(counts.next.length);
      grown.set(lowerPool);
      lowerPool = grown;
    }
    const a = counts.start[r];
    const k = counts.len[r];
    const prob = counts.prob;
    let capSum = 0;
    for (let t = a; t < a + k; t++) {
      const L = klLowerBound(prob[t], n, iotaEntry);
      lowerPool[t] = L;
      capSum += prob[t] - L;
    }
    const epsTv = Math.sqrt(l1Free / (2 * n));
    let tau = capSum < epsTv ? capSum : epsTv;
    if (tau > 1) tau = 1;
    budgets[r] = tau;
    doneAt[r] = n;
  }

  function budget(r: number): number {
    if (doneAt[r] !== counts.visits[r]) refresh(r);
    return budgets[r];
  }

  function extremeRow(r: number, W: Float64Array, wOff: number, rank: Int32Array, target: number, upper: boolean): Kernel {
    if (counts.visits[r] === 0) inputError(`row ${r}`, 'expected a visited row (the confidence set of an unvisited row is the whole simplex)');
    const tau = budget(r);
    const a = counts.start[r];
    const k = counts.len[r];
    const next = counts.next;
    const prob = counts.prob;
    for (let t = 0; t < k; t++) q[t] = prob[a + t];
    // Entries in removal order: by value ascending for the upper row (ranks descending), descending for the lower.
    let m = 0;
    if (k * k > 8 * S) {
      for (let t = 0; t < k; t++) byRank[rank[next[a + t]]] = t;
      if (upper) {
        for (let u = S - 1; u >= 0; u--) if (byRank[u] >= 0) pos[m++] = byRank[u];
      } else {
        for (let u = 0; u < S; u++) if (byRank[u] >= 0) pos[m++] = byRank[u];
      }
      for (let t = 0; t < k; t++) byRank[rank[next[a + t]]] = -1;
    } else {
      for (let t = 0; t < k; t++) {
        const kt = upper ? -rank[next[a + t]] : rank[next[a + t]];
        let u = m++;
        while (u > 0 && key[u - 1] > kt) {
          key[u] = key[u - 1];
          pos[u] = pos[u - 1];
          u--;
        }
        key[u] = kt;
        pos[u] = t;
      }
    }
    let left = tau;
    for (let u = 0; u < m && left > 0; u++) {
      const t = pos[u];
      const cap = prob[a + t] - lowerPool[a + t];
      if (cap <= left) {
        q[t] = lowerPool[a + t];
        left -= cap;
      } else {
        q[t] = prob[a + t] - left;
        left = 0;
      }
    }
    const moved = tau - left;
    // Merge the target state in (next states stay strictly increasing), dropping emptied entries.
    let o = 0;
    let placed = false;
    for (let t = 0; t < k; t++) {
      const sp = next[a + t];
      if (!placed && target <= sp) {
        if (target === sp) {
          outNext[o] = sp;
          outProb[o++] = q[t] + moved;
          placed = true;
          continue;
        }
        if (moved > 0) {
          outNext[o] = target;
          outProb[o++] = moved;
        }
        placed = true;
      }
      if (q[t] > 0) {
        outNext[o] = sp;
        outProb[o++] = q[t];
      }
    }
    if (!placed && moved > 0) {
      outNext[o] = target;
      outProb[o++] = moved;
    }
    outStart[0] = 0;
    outStart[1] = o;
    return out;
  }

  return { budget, extremeRow };
}
