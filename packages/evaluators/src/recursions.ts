/**
 * The backward recursions of an exact robust evaluation (see robust-evaluator.ts for the equations and layouts):
 * agent i's value V, best response B and swap best response C, step by step, on any game-shaped data. Kept apart
 * from the evaluator so that a worker thread can run some agents' recursions on shared copies of the game's arrays
 * while the calling thread runs the others' (`parallel-evaluation.ts`).
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
   */
  run(pi: Float64Array, i0: number, i1: number, doV: boolean, doB: boolean, doC: boolean, guardRows: ((h: number, mask: Uint8Array) => void) | null): void;
}

/** The recursions of `game` with their buffers allocated once (O(m H S + m S J) memory). */
export function createRecursions(game: TabularGame): Recursions {
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
  // firstOf[i*J + o] = the joint action (0, a_-i = o) of agent i's action 0 and the others' profile o < J/A_i:
  // (b, o) is firstOf[i*J + o] + b*stride[i].
  const firstOf = new Int32Array(m * J);
  for (let i = 0; i < m; i++) for (let j = 0; j < J; j++) if (actionOf[j * m + i] === 0) firstOf[i * J + other[i * J + j]] = j;

  // Per agent and recursion (value, best response, swap): a workspace (its V's order and exp tables) and a value
  // table T[h*S + s], rows 0..H, row H staying 0 throughout; agent i's tables at [i*(H + 1)*S, (i + 1)*(H + 1)*S).
  const wsV = Array.from({ length: m }, () => createSigmaWorkspace(S));
  const wsB = Array.from({ length: m }, () => createSigmaWorkspace(S));
  const wsC = Array.from({ length: m }, () => createSigmaWorkspace(S));
  const tabV = Array.from({ length: m }, () => new Float64Array((H + 1) * S));
  const tabB = Array.from({ length: m }, () => new Float64Array((H + 1) * S));
  const tabC = Array.from({ length: m }, () => new Float64Array((H + 1) * S));
  const sigV = new Float64Array(S * J);
  const sigB = new Float64Array(S * J);
  const sigC = new Float64Array(S * J);
  // marg[(i*S + s)*J + o]: the others' marginal of pi_h(.|s) at profile o < J/A_i, for agent i, at the current step.
  const marg = new Float64Array(m * S * J);
  const q = new Float64Array(J); // Q of one (h, s) and recursion, per joint action
  // need[(i*S + s)*J + j]: bit q set when agent i's recursion q (in the order of the tables passed) reads row (s, j)
  // at the current step; union[s*J + j]: any agent reads it (the rows the guard checks).
  const need = new Uint8Array(m * S * J);
  const union = new Uint8Array(S * J);

  /**
   * The requested recursions of agents i0..i1-1 in one backward pass, step h outer, so each step's kernel rows are
   * read while in cache by every agent and recursion:
   *   tabV[i][h*S + s] = V_{i,h}(s)   (eq. 13; rows (s, j) with pi_h(j|s) > 0),
   *   tabB[i][h*S + s] = B_{i,h}(s)   (best response to the others' joint marginal),
   *   tabC[i][h*S + s] = C_{i,h}(s)   (best strategy modification phi_{h,s}: A_i -> A_i),
   * the last two on the rows (s, (b, a_-i)) whose others' part a_-i has positive marginal weight.
   */
  function run(pi: Float64Array, i0: number, i1: number, doV: boolean, doB: boolean, doC: boolean, guardRows: ((h: number, mask: Uint8Array) => void) | null): void {
    const R = game.reward;
    const SJ = S * J;
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
      union.fill(0);
      for (let i = i0; i < i1; i++) {
        const oi = i * J;
        const Jo = J / A[i];
        for (let s = 0; s < S; s++) {
          const base = (h * S + s) * J;
          const sb = s * J;
          const nb = i * SJ + sb;
          if (bitBC !== 0) {
            for (let o = 0; o < Jo; o++) marg[nb + o] = 0;
            for (let j = 0; j < J; j++) marg[nb + other[oi + j]] += pi[base + j];
            for (let j = 0; j < J; j++) {
              const bits = (pi[base + j] !== 0 ? bitV : 0) | (marg[nb + other[oi + j]] !== 0 ? bitBC : 0);
              need[nb + j] = bits;
              union[sb + j] |= bits;
            }
          } else {
            for (let j = 0; j < J; j++) {
              const bits = pi[base + j] !== 0 ? bitV : 0;
              need[nb + j] = bits;
              union[sb + j] |= bits;
            }
          }
        }
      }
      if (guardRows !== null) guardRows(h, union);
      for (let i = i0; i < i1; i++) {
        robustExpectationSteps(game, wss[i], h, i, tables[i], (h + 1) * S, outs, need.subarray(i * SJ, (i + 1) * SJ));
        mix(pi, h, i, doV, doB, doC, R);
      }
    }
  }

  /**
   * Step h of agent i's recursions from the step's sigma buffers, with Q_q(j) = r_i(h, s, j) + sigma[q_{h+1}](j):
   *   V(s) = sum_j pi(j) Q_V(j),   B(s) = max_b sum_o pi_-i(o) Q_B((b, o)),
   *   C(s) = sum_a max_b sum_o pi((a, o)) Q_C((b, o)),
   * each inner sum over the others' profiles o in registers (no accumulator array).
   */
  function mix(pi: Float64Array, h: number, i: number, doV: boolean, doB: boolean, doC: boolean, R: Float64Array): void {
    const Ai = A[i];
    const st = stride[i];
    const Jo = J / Ai;
    const fi = i * J;
    const TV = tabV[i], TB = tabB[i], TC = tabC[i];
    const mb = i * S * J;
    for (let s = 0; s < S; s++) {
      const base = (h * S + s) * J;
      const sb = s * J;
      if (doV) {
        let v = 0;
        for (let j = 0; j < J; j++) {
          const p = pi[base + j];
          if (p !== 0) v += p * (R[(base + j) * m + i] + sigV[sb + j]);
        }
        TV[h * S + s] = v;
      }
      if (doB) {
        for (let j = 0; j < J; j++) q[j] = R[(base + j) * m + i] + sigB[sb + j];
        let best = -Infinity;
        for (let b = 0; b < Ai; b++) {
          const bs = b * st;
          let sum = 0;
          for (let o = 0; o < Jo; o++) {
            const w = marg[mb + sb + o];
            if (w !== 0) sum += w * q[firstOf[fi + o] + bs];
          }
          if (sum > best) best = sum;
        }
        TB[h * S + s] = best;
      }
      if (doC) {
        // Rows no recommendation leads to hold sigma 0 and enter only with weight 0.
        for (let j = 0; j < J; j++) q[j] = R[(base + j) * m + i] + sigC[sb + j];
        let c = 0;
        for (let a = 0; a < Ai; a++) {
          const as = a * st;
          let mass = 0;
          for (let o = 0; o < Jo; o++) mass += pi[base + firstOf[fi + o] + as];
          if (mass === 0) continue; // recommendation a is never made: it adds max_b 0 = 0
          let best = -Infinity;
          for (let b = 0; b < Ai; b++) {
            const bs = b * st;
            let sum = 0;
            for (let o = 0; o < Jo; o++) {
              const j0 = firstOf[fi + o];
              const w = pi[base + j0 + as];
              if (w !== 0) sum += w * q[j0 + bs];
            }
            if (sum > best) best = sum;
          }
          c += best;
        }
        TC[h * S + s] = c;
      }
    }
  }

  return { tabV, tabB, tabC, wsV, run };
}
