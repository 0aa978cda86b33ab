/**
 * The backward recursions of an exact robust evaluation (see robust-evaluator.ts for the equations and layouts):
 * agent i's value V, best response B and swap best response C, step by step, on any game-shaped data. Kept apart
 * from the evaluator so that a worker thread can run them on shared copies of the game's arrays for some of the
 * states of every step while the calling thread runs the other states, both writing shared value tables
 * (`parallel-evaluation.ts`).
 */
import { createSigmaWorkspace, robustExpectationSteps } from '@drmg/core';
import type { TabularGame } from '@drmg/core';

/** The recursions' buffers and their backward pass (internal to @drmg/evaluators). */
export interface Recursions {
  /** tabV[i][h*S + s] = V_{i,h}(s), rows 0..H (row H is 0); likewise tabB (best response) and tabC (swap). */
  readonly tabV: readonly Float64Array[];
  readonly tabB: readonly Float64Array[];
  readonly tabC: readonly Float64Array[];
  /** Agent i's value-recursion workspace (its loaded V, for the worst-case kernel). */
  readonly wsV: readonly ReturnType<typeof createSigmaWorkspace>[];
  /**
   * The requested recursions of agents i0..i1-1 in one backward pass for the joint policy table pi; `guardRows(h,
   * mask)` is called before step h reads the kernel rows with mask[s*J + j] !== 0 (null: the caller checks them).
   * With `part`, only the states part.s0 <= s < part.s1 of every step are computed, and part.step(h) is called once
   * step h is (a barrier: another thread computes the other states into the same shared tables, and step h - 1
   * reads all of step h); the mask passed to guardRows then still covers every state of the step.
   */
  run(
    pi: Float64Array,
    i0: number,
    i1: number,
    doV: boolean,
    doB: boolean,
    doC: boolean,
    guardRows: ((h: number, mask: Uint8Array) => void) | null,
    part?: StatePart | null,
  ): void;
}

/** A thread's share of the states of a two-thread pass (see `Recursions.run`). */
export interface StatePart {
  readonly s0: number;
  readonly s1: number;
  /** Called when this thread has computed step h of its states; returns once the other thread has too. */
  step(h: number): void;
}

/**
 * The recursions of `game` with their buffers allocated once (O(m H S + m S J) memory).
 * `shared` (length 3 m (H + 1) S, zero, e.g. over a SharedArrayBuffer) holds the value tables when given, agent i's
 * tabV at [i (H + 1) S, (i + 1) (H + 1) S), then the m tabB, then the m tabC: two threads that split the states (see
 * `Recursions.run`) share them.
 */
export function createRecursions(game: TabularGame, shared?: Float64Array): Recursions {
  const { m, S, H, J, A } = game;
  const actionOf = game.layout.actionOf;
  const stride = game.layout.stride;

  // other[i*J + j]: index of a_{-i}(j) among the J/A_i profiles of the others (order of j kept).
  const other = new Int32Array(m * J);
  for (let i = 0; i < m; i++) {
    const st = stride[i];
    const block = st * A[i];
    for (let j = 0; j < J; j++) other[i * J + j] = Math.floor(j / block) * st + (j % st);
  }
  // Per agent and recursion (value, best response, swap): a workspace (its V's order and exp tables) and a value
  // table T[h*S + s], rows 0..H, row H staying 0 throughout; agent i's tables at [i*(H + 1)*S, (i + 1)*(H + 1)*S).
  const wsV = Array.from({ length: m }, () => createSigmaWorkspace(S));
  const wsB = Array.from({ length: m }, () => createSigmaWorkspace(S));
  const wsC = Array.from({ length: m }, () => createSigmaWorkspace(S));
  const T = (H + 1) * S;
  if (shared !== undefined && shared.length !== 3 * m * T) throw new RangeError(`createRecursions: expected ${3 * m * T} table entries, got ${shared.length}`);
  const table = (k: number): Float64Array => (shared === undefined ? new Float64Array(T) : shared.subarray(k * T, (k + 1) * T));
  const tabV = Array.from({ length: m }, (_, i) => table(i));
  const tabB = Array.from({ length: m }, (_, i) => table(m + i));
  const tabC = Array.from({ length: m }, (_, i) => table(2 * m + i));
  const sigV = new Float64Array(S * J);
  const sigB = new Float64Array(S * J);
  const sigC = new Float64Array(S * J);
  // marg[(i*S + s)*J + o]: the others' marginal of pi_h(.|s) at profile o < J/A_i, for agent i, at the current step.
  const marg = new Float64Array(m * S * J);
  // pos[i*J + j] = a_i(j)*Jo + o(j) with Jo = J/A_i: joint action j's place in an A_i x Jo matrix (agent i's action,
  // then the others' profile), so that the deviation sums of `mix` run over contiguous rows.
  const pos = new Int32Array(m * J);
  for (let i = 0; i < m; i++) for (let j = 0; j < J; j++) pos[i * J + j] = actionOf[j * m + i] * (J / A[i]) + other[i * J + j];
  // Per (h, s): Q_B((b, o)) at qB[b*Jo + o], Q_C((b, o)) at qC[b*Jo + o], pi((a, o)|s) at pt[a*Jo + o].
  const qB = new Float64Array(J);
  const qC = new Float64Array(J);
  const pt = new Float64Array(J);
  // need[(i*S + s)*J + j]: bit q set when agent i's recursion q (in the order of the tables passed) reads row (s, j)
  // at the current step; union[s*J + j]: any agent reads it (the rows the guard checks).
  const need = new Uint8Array(m * S * J);
  const union = new Uint8Array(S * J);
  const needOf = Array.from({ length: m }, (_, i) => need.subarray(i * S * J, (i + 1) * S * J));
  // What the hot loops read, in one object of one shape for every evaluator, read into locals by module-level
  // functions. Loops reading a closure's variables ran ~10% slower (whole evaluation) once a process had made a second
  // evaluator, as the bench does and the two-thread pass always does (V8 specializes a closure's code to its context
  // only while it is the only closure of its kind).
  const st: RecState = { m, S, J, A: Int32Array.from(A), reward: game.reward, other, pos, tabV, tabB, tabC, sigV, sigB, sigC, marg, need, union, qB, qC, pt };

  /**
   * The requested recursions of agents i0..i1-1 in one backward pass, step h outer, so each step's kernel rows are
   * read while in cache by every agent and recursion:
   *   tabV[i][h*S + s] = V_{i,h}(s)   (eq. 13; rows (s, j) with pi_h(j|s) > 0),
   *   tabB[i][h*S + s] = B_{i,h}(s)   (best response to the others' joint marginal),
   *   tabC[i][h*S + s] = C_{i,h}(s)   (best strategy modification phi_{h,s}: A_i -> A_i),
   * the last two on the rows (s, (b, a_-i)) whose others' part a_-i has positive marginal weight.
   */
  function run(
    pi: Float64Array,
    i0: number,
    i1: number,
    doV: boolean,
    doB: boolean,
    doC: boolean,
    guardRows: ((h: number, mask: Uint8Array) => void) | null,
    part: StatePart | null = null,
  ): void {
    // This thread's states [s0, s1); the row masks over [m0, m1): every state when the guard is to see them all.
    const s0 = part === null ? 0 : part.s0;
    const s1 = part === null ? S : part.s1;
    const m0 = guardRows === null ? s0 : 0;
    const m1 = guardRows === null ? s1 : S;
    let bitV = 0, bitB = 0, bitC = 0, k = 0;
    if (doV) bitV = 1 << k++;
    if (doB) bitB = 1 << k++;
    if (doC) bitC = 1 << k++;
    const bitBC = bitB | bitC;
    const wss: ReturnType<typeof createSigmaWorkspace>[][] = [];
    const tables: Float64Array[][] = [];
    const outs: Float64Array[] = [];
    if (doV) outs.push(sigV);
    if (doB) outs.push(sigB);
    if (doC) outs.push(sigC);
    for (let i = 0; i < m; i++) {
      const w: ReturnType<typeof createSigmaWorkspace>[] = [];
      const t: Float64Array[] = [];
      if (doV) { w.push(wsV[i]); t.push(tabV[i]); }
      if (doB) { w.push(wsB[i]); t.push(tabB[i]); }
      if (doC) { w.push(wsC[i]); t.push(tabC[i]); }
      wss.push(w);
      tables.push(t);
    }
    for (let h = H - 1; h >= 0; h--) {
      stepMasks(st, pi, h, i0, i1, m0, m1, s0, s1, bitV, bitB, bitBC);
      if (guardRows !== null) guardRows(h, union);
      for (let i = i0; i < i1; i++) {
        robustExpectationSteps(game, wss[i], h, i, tables[i], (h + 1) * S, outs, needOf[i], s0, s1);
        mix(st, pi, h, i, doV, doB, doC, s0, s1);
      }
      if (part !== null) part.step(h);
    }
  }

  return { tabV, tabB, tabC, wsV, run };
}

/**
 * max_b sum_o w[wo + o] q[b*Jo + o] over the J/Jo rows b of q (J = Jo A_i). Four rows at a time, each w[o] loaded
 * once for them: four independent chains of additions keep the processor busy where one chain makes it wait for each
 * add (~1.8x measured at 5 x 5); every sum still adds its terms one by one, o ascending.
 */
function bestRow(w: Float64Array, wo: number, q: Float64Array, Jo: number, J: number): number {
  let best = -Infinity;
  let bo = 0;
  const b4 = J - 3 * Jo;
  for (; bo < b4; bo += 4 * Jo) {
    const q1 = bo + Jo, q2 = q1 + Jo, q3 = q2 + Jo;
    let x0 = 0, x1 = 0, x2 = 0, x3 = 0;
    for (let o = 0; o < Jo; o++) {
      const u = w[wo + o];
      x0 += u * q[bo + o];
      x1 += u * q[q1 + o];
      x2 += u * q[q2 + o];
      x3 += u * q[q3 + o];
    }
    if (x0 > best) best = x0;
    if (x1 > best) best = x1;
    if (x2 > best) best = x2;
    if (x3 > best) best = x3;
  }
  for (; bo < J; bo += Jo) {
    let x = 0;
    for (let o = 0; o < Jo; o++) x += w[wo + o] * q[bo + o];
    if (x > best) best = x;
  }
  return best;
}

/** The buffers and sizes of one `createRecursions`, read by the module-level loops below (see `Recursions`). */
interface RecState {
  readonly m: number;
  readonly S: number;
  readonly J: number;
  readonly A: Int32Array;
  /** The game's rewards: r_i(h, s, j) at reward[((h*S + s)*J + j)*m + i]. */
  readonly reward: Float64Array;
  readonly other: Int32Array;
  readonly pos: Int32Array;
  readonly tabV: readonly Float64Array[];
  readonly tabB: readonly Float64Array[];
  readonly tabC: readonly Float64Array[];
  readonly sigV: Float64Array;
  readonly sigB: Float64Array;
  readonly sigC: Float64Array;
  readonly marg: Float64Array;
  readonly need: Uint8Array;
  readonly union: Uint8Array;
  readonly qB: Float64Array;
  readonly qC: Float64Array;
  readonly pt: Float64Array;
}

/**
 * The row masks of step h: need[(i*S + s)*J + j] (bit q: agent i's recursion q reads row (s, j)) for agents i0..i1-1
 * and states m0..m1-1, and their union over agents; the others' marginals marg where this thread's mix (states
 * s0..s1-1) or the masks need them.
 */
function stepMasks(
  st: RecState, pi: Float64Array, h: number, i0: number, i1: number, m0: number, m1: number, s0: number, s1: number,
  bitV: number, bitB: number, bitBC: number,
): void {
  const S = st.S, J = st.J, A = st.A, SJ = S * J;
  const U = st.union, N = st.need, M = st.marg, O = st.other;
  U.fill(0);
  for (let s = m0; s < m1; s++) {
    const base = (h * S + s) * J;
    const sb = s * J;
    // A row of pi without zeros: every recursion of every agent reads every row (s, j); the others' marginals are
    // then needed only by the best response's mix, at this thread's states.
    let dense = i1 > i0;
    for (let j = 0; j < J; j++) {
      if (pi[base + j] === 0) {
        dense = false;
        break;
      }
    }
    const own = s >= s0 && s < s1;
    if (dense) U.fill(bitV | bitBC, sb, sb + J);
    for (let i = i0; i < i1; i++) {
      const oi = i * J;
      const Jo = J / A[i];
      const nb = i * SJ + sb;
      if (dense) {
        N.fill(bitV | bitBC, nb, nb + J);
        if (bitB !== 0 && own) {
          for (let o = 0; o < Jo; o++) M[nb + o] = 0;
          for (let j = 0; j < J; j++) M[nb + O[oi + j]] += pi[base + j];
        }
      } else if (bitBC !== 0) {
        for (let o = 0; o < Jo; o++) M[nb + o] = 0;
        for (let j = 0; j < J; j++) M[nb + O[oi + j]] += pi[base + j];
        for (let j = 0; j < J; j++) {
          const bits = (pi[base + j] !== 0 ? bitV : 0) | (M[nb + O[oi + j]] !== 0 ? bitBC : 0);
          N[nb + j] = bits;
          U[sb + j] |= bits;
        }
      } else {
        for (let j = 0; j < J; j++) {
          const bits = pi[base + j] !== 0 ? bitV : 0;
          N[nb + j] = bits;
          U[sb + j] |= bits;
        }
      }
    }
  }
}

/**
 * Step h of agent i's recursions at the states s0 <= s < s1 from the step's sigma buffers, with
 * Q_q(j) = r_i(h, s, j) + sigma[q_{h+1}](j):
 *   V(s) = sum_j pi(j) Q_V(j),   B(s) = max_b sum_o pi_-i(o) Q_B((b, o)),
 *   C(s) = sum_a max_b sum_o pi((a, o)) Q_C((b, o)),
 * the deviations on A_i x Jo matrices (qB, qC, pt: agent i's action, then the others' profile o; see `pos`), so that
 * each inner sum runs over contiguous entries, in registers, o ascending. A term of weight 0 adds exactly 0 (Q is
 * finite: rows not asked for hold sigma 0), so no branch skips it.
 */
function mix(st: RecState, pi: Float64Array, h: number, i: number, doV: boolean, doB: boolean, doC: boolean, s0: number, s1: number): void {
  const J = st.J, S = st.S, m = st.m, P = st.pos, M = st.marg, R = st.reward;
  const sV = st.sigV, sB = st.sigB, sC = st.sigC, QB = st.qB, QC = st.qC, PT = st.pt;
  const Jo = J / st.A[i];
  const pi0 = i * J;
  const TV = st.tabV[i], TB = st.tabB[i], TC = st.tabC[i];
  const mb = i * S * J;
  for (let s = s0; s < s1; s++) {
    const base = (h * S + s) * J;
    const sb = s * J;
    const t = h * S + s;
    // One pass over the joint actions: V's sum, and the matrices of the deviations.
    let v = 0;
    for (let j = 0; j < J; j++) {
      const k = P[pi0 + j], r = R[(base + j) * m + i], p = pi[base + j];
      if (doV) v += p * (r + sV[sb + j]);
      if (doB) QB[k] = r + sB[sb + j];
      if (doC) {
        QC[k] = r + sC[sb + j];
        PT[k] = p;
      }
    }
    if (doV) TV[t] = v;
    if (doB) TB[t] = bestRow(M, mb + sb, QB, Jo, J);
    if (doC) {
      let c = 0;
      for (let ao = 0; ao < J; ao += Jo) {
        let mass = 0;
        for (let o = 0; o < Jo; o++) mass += PT[ao + o];
        if (mass === 0) continue; // recommendation a is never made: it adds max_b 0 = 0
        c += bestRow(PT, ao, QC, Jo, J);
      }
      TC[t] = c;
    }
  }
}
