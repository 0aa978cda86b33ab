/**
 * Exact robust evaluation of a joint (possibly correlated) Markov policy: each agent's robust value,
 * best response against the others' joint marginal (NE/CCE deviation), swap best response (CE
 * deviation), the gaps, and the worst-case kernel that realises an agent's robust value.
 *
 * Robust Bellman recursion (paper Prop. 1, eq. 13; best response eq. 3), for agent i with radius rho_i, V_{i,H} = 0:
 *   V_{i,h}(s) = sum_j pi_h(j|s) [ r_i(h,s,j) + sigma_{i,h,s,j}[V_{i,h+1}] ]
 *   B_{i,h}(s) = max_b sum_o pi_{-i,h}(o|s) [ r_i(h,s,(b,o)) + sigma_{i,h,s,(b,o)}[B_{i,h+1}] ]
 *   C_{i,h}(s) = sum_a max_b sum_o pi_h((a,o)|s) [ r_i(h,s,(b,o)) + sigma_{i,h,s,(b,o)}[C_{i,h+1}] ]
 * where o ranges over the other agents' action profiles a_{-i} and pi_{-i,h}(o|s) = sum_a pi_h((a,o)|s).
 * The sets are (s,a)-rectangular, so the max over deviation policies / strategy modifications
 * commutes with the recursion and each is one backward pass. For a product policy C = B exactly
 * (the recommendation carries no information about the others), so its swap pass is not run.
 *
 * Layouts (game's, see tabular-game.ts): pi[(h*S + s)*J + j], R[((h*S + s)*J + j)*m + i],
 * rho[(i*H + h)*S + s]; value tables T[h*S + s], h = 0..H, with row H equal to 0; the sigma buffer
 * sig[s*J + j] for one step; the others' index o(j) = other[i*J + j] in 0..J/A_i - 1.
 */
import { DrmgError, createGameGuard, createSigmaWorkspace, describeValue, inputError, loadValues, robustExpectationStep, worstCaseRow } from '@drmg/core';
import type { Kernel, Policy, TabularGame } from '@drmg/core';
import { jointPolicyTable } from './joint-policy-table.ts';

/** The exact robust evaluation of one policy: per-agent values at step 0 ([i*S + s]) and per-state gaps. */
export interface RobustEvaluation {
  /** Number of agents. */
  readonly m: number;
  /** Number of states. */
  readonly S: number;
  /** value[i*S + s] = V^{pi,rho_i}_{i,0}(s), agent i's robust value (eq. 13). */
  readonly value: Float64Array;
  /** bestResponse[i*S + s] = V^{dag,pi_-i,rho_i}_{i,0}(s) (eq. 3): max over agent i's policies, the others' joint marginal fixed. */
  readonly bestResponse: Float64Array;
  /** swapBestResponse[i*S + s] = max over agent i's strategy modifications phi_{h,s}: A_i -> A_i. */
  readonly swapBestResponse: Float64Array;
  /** gap[s] = max_i (bestResponse - value): the robust NE / CCE gap (not clipped). */
  readonly gap: Float64Array;
  /** ceGap[s] = max_i (swapBestResponse - value): the robust CE gap. */
  readonly ceGap: Float64Array;
}

/** Which deviations to compute; a skipped one is filled with the value (so its gap reads 0). */
export interface EvaluateOptions {
  /** Compute the best response (NE / CCE deviation); default true. */
  bestResponse?: boolean;
  /** Compute the swap best response (CE deviation); default true. */
  swap?: boolean;
}

/** Exact robust evaluation of policies on one game, holding every buffer; reuse it across policies. */
export interface Evaluator {
  /** The game this evaluator belongs to. */
  readonly game: TabularGame;
  /**
   * Robust values (eq. 13), best responses (eq. 3), swap best responses (phi o pi, Sec. 2) and gaps of `policy`.
   * Each call compares the checksums of what it reads of the game (at most O(size) once; see createGameGuard in @drmg/core).
   * @throws DrmgError ('input') when the policy does not match the game, or the game's arrays were changed after
   * validation; ('internal') if a value came out of [0, H] (a drmg failure, never returned as a number).
   */
  evaluate(policy: Policy, options?: EvaluateOptions): RobustEvaluation;
  /**
   * Agent i's robust value table V_{i,h}(s) at [h*S + s], h = 0..H (row H is 0), a fresh array.
   * @throws DrmgError ('input') when the policy does not match the game or i is not an agent.
   */
  valueTable(policy: Policy, i: number): Float64Array;
  /**
   * Agent i's best-response table B_{i,h}(s) at [h*S + s], h = 0..H (row H is 0), a fresh array.
   * @throws DrmgError ('input') when the policy does not match the game or i is not an agent.
   */
  bestResponseTable(policy: Policy, i: number): Float64Array;
  /**
   * The kernel that realises agent i's robust value: row (h*S + s)*J + j is the worst-case
   * distribution of sigma_{i,h,s,j}[V_{i,h+1}] (TV may add a lowest-value state to the support; KL keeps it).
   * @throws DrmgError ('input') when the policy does not match the game or i is not an agent.
   */
  worstCaseKernel(policy: Policy, i: number): Kernel;
}

/**
 * An evaluator for `game`: allocates once the sigma workspace, the step buffers and the value tables,
 * then evaluates any number of policies by backward induction (eq. 13), one sigma pass per (h, agent, kind).
 * A game that is not the output of createTabularGame (assembled by hand) is validated in full first.
 * @throws DrmgError ('input', `game...`) when the game is not valid or was changed after validation.
 * @example const ev = createEvaluator(game).evaluate(policy); ev.gap[0];
 */
export function createEvaluator(game: TabularGame): Evaluator {
  // A game assembled by hand is validated here in full; then every call checks the checksums of what it reads.
  const guard = createGameGuard(game);
  const { m, S, H, J, A } = game;
  const actionOf = game.layout.actionOf;
  const stride = game.layout.stride;

  // other[i*J + j]: index of a_{-i}(j) among the J/A_i profiles of the others (order of j kept).
  const other = new Int32Array(m * J);
  let maxA = 1;
  for (let i = 0; i < m; i++) {
    const st = stride[i];
    const block = st * A[i];
    if (A[i] > maxA) maxA = A[i];
    for (let j = 0; j < J; j++) other[i * J + j] = Math.floor(j / block) * st + (j % st);
  }

  const ws = createSigmaWorkspace(S);
  const sig = new Float64Array(S * J);
  const marg = new Float64Array(S * J); // marg[s*J + o]: the others' marginal of pi_h(.|s) at profile o < J/A_i
  const acc = new Float64Array(maxA * maxA);
  const need = new Uint8Array(S * J); // need[s*J + j]: row (s, j) enters a best-response or swap pass at the current step
  const expanded = new Float64Array(H * S * J);
  const table = new Float64Array((H + 1) * S); // rows 0..H; row H stays 0 throughout
  const dense = new Float64Array(S);

  function checkAgent(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= m) inputError('agent', `expected an integer in [0, ${m - 1}], got ${describeValue(i)}`);
  }

  /** T[h*S + s] = V_{i,h}(s) for h = H-1..0 (eq. 13), T row H = 0. */
  function valuePass(pi: Float64Array, i: number, T: Float64Array): void {
    const R = game.reward;
    for (let h = H - 1; h >= 0; h--) {
      // Only the joint actions pi plays at (h, s) enter V_{i,h}(s): the policy row itself is the row mask.
      const played = pi.subarray(h * S * J, (h + 1) * S * J);
      guard.rows(h, played);
      robustExpectationStep(game, ws, h, i, T, (h + 1) * S, sig, played);
      for (let s = 0; s < S; s++) {
        const base = (h * S + s) * J;
        const sb = s * J;
        let v = 0;
        for (let j = 0; j < J; j++) {
          const p = pi[base + j];
          if (p !== 0) v += p * (R[(base + j) * m + i] + sig[sb + j]);
        }
        T[h * S + s] = v;
      }
    }
  }

  /**
   * Fills marg with the others' marginal of pi_h(.|s) for every s, and need[s*J + j] = 1 when it gives the others'
   * part of j positive weight: exactly the rows (s, (b, a_-i)) that the best-response and swap passes of agent i read
   * at step h; the rest are skipped.
   */
  function fillOthersMarginal(pi: Float64Array, h: number, i: number): void {
    const Jo = J / A[i];
    const oi = i * J;
    for (let s = 0; s < S; s++) {
      const base = (h * S + s) * J;
      const mb = s * J;
      for (let o = 0; o < Jo; o++) marg[mb + o] = 0;
      for (let j = 0; j < J; j++) marg[mb + other[oi + j]] += pi[base + j];
      for (let j = 0; j < J; j++) need[mb + j] = marg[mb + other[oi + j]] !== 0 ? 1 : 0;
    }
  }

  /** T[h*S + s] = B_{i,h}(s): agent i's best response to the others' joint marginal. */
  function bestResponsePass(pi: Float64Array, i: number, T: Float64Array): void {
    const R = game.reward;
    const Ai = A[i];
    const oi = i * J;
    for (let h = H - 1; h >= 0; h--) {
      fillOthersMarginal(pi, h, i);
      guard.rows(h, need);
      robustExpectationStep(game, ws, h, i, T, (h + 1) * S, sig, need);
      for (let s = 0; s < S; s++) {
        const base = (h * S + s) * J;
        const sb = s * J;
        for (let b = 0; b < Ai; b++) acc[b] = 0;
        for (let j = 0; j < J; j++) {
          const w = marg[sb + other[oi + j]];
          if (w !== 0) acc[actionOf[j * m + i]] += w * (R[(base + j) * m + i] + sig[sb + j]);
        }
        let best = acc[0];
        for (let b = 1; b < Ai; b++) if (acc[b] > best) best = acc[b];
        T[h * S + s] = best;
      }
    }
  }

  /** T[h*S + s] = C_{i,h}(s): agent i's best strategy modification phi_{h,s}: A_i -> A_i. */
  function swapPass(pi: Float64Array, i: number, T: Float64Array): void {
    const R = game.reward;
    const Ai = A[i];
    const st = stride[i];
    for (let h = H - 1; h >= 0; h--) {
      // The swap pass reads rows (s, (b, a_-i)) for recommended (a_i, a_-i) with positive weight: the same rows.
      fillOthersMarginal(pi, h, i);
      guard.rows(h, need);
      robustExpectationStep(game, ws, h, i, T, (h + 1) * S, sig, need);
      for (let s = 0; s < S; s++) {
        const base = (h * S + s) * J;
        const sb = s * J;
        // acc[a*Ai + b] = sum_o pi((a,o)|s) * Q((b,o)): the gain table of recommendation a, deviation b.
        for (let k = 0; k < Ai * Ai; k++) acc[k] = 0;
        for (let j = 0; j < J; j++) {
          const w = pi[base + j];
          if (w === 0) continue;
          const a = actionOf[j * m + i];
          const j0 = j - a * st;
          const row = a * Ai;
          for (let b = 0; b < Ai; b++) {
            const jb = j0 + b * st;
            acc[row + b] += w * (R[(base + jb) * m + i] + sig[sb + jb]);
          }
        }
        let c = 0;
        for (let a = 0; a < Ai; a++) {
          const row = a * Ai;
          let best = acc[row];
          for (let b = 1; b < Ai; b++) if (acc[row + b] > best) best = acc[row + b];
          c += best;
        }
        T[h * S + s] = c;
      }
    }
  }

  /**
   * The guard on results (cheap, O(m*S)): every value lies in [0, H] (rewards in [0, 1], H steps). The
   * game's checksums make a corrupted game an input error before its numbers are used, so a value
   * outside that range is a drmg failure: it is reported, never returned.
   */
  function checkRange(table: Float64Array, what: string): void {
    const hi = H * (1 + 1e-9) + 1e-9;
    for (let k = 0; k < table.length; k++) {
      const v = table[k];
      if (!(v >= -1e-9 && v <= hi)) {
        const i = Math.floor(k / S);
        throw new DrmgError('internal', `evaluate: ${what}[${i}][${k - i * S}]`, `the value ${v} is outside [0, H = ${H}]`);
      }
    }
  }

  function evaluate(policy: Policy, options?: EvaluateOptions): RobustEvaluation {
    guard.begin();
    const pi = jointPolicyTable(game, policy, expanded);
    if (options !== undefined && (options === null || typeof options !== 'object')) inputError('options', `expected {bestResponse?, swap?}, got ${describeValue(options)}`);
    const doBest = options?.bestResponse ?? true;
    const doSwap = options?.swap ?? true;
    const value = new Float64Array(m * S);
    const bestResponse = new Float64Array(m * S);
    const swapBestResponse = new Float64Array(m * S);
    // For a product policy pi_h((a, o)|s) = pi_{i,h}(a|s) pi_{-i,h}(o|s), so the swap recursion
    // sum_a pi_i(a) max_b sum_o pi_-i(o) Q(b, o) is the best-response recursion: C = B exactly, one pass.
    const product = policy.kind === 'product';
    for (let i = 0; i < m; i++) {
      const row = i * S;
      valuePass(pi, i, table);
      value.set(table.subarray(0, S), row);
      if (doBest || (product && doSwap)) {
        bestResponsePass(pi, i, table);
        if (doBest) bestResponse.set(table.subarray(0, S), row);
        if (product && doSwap) swapBestResponse.set(table.subarray(0, S), row);
      }
      if (!doBest) bestResponse.set(value.subarray(row, row + S), row);
      if (!doSwap) swapBestResponse.set(value.subarray(row, row + S), row);
      else if (!product) {
        swapPass(pi, i, table);
        swapBestResponse.set(table.subarray(0, S), row);
      }
    }
    checkRange(value, 'value');
    checkRange(bestResponse, 'bestResponse');
    checkRange(swapBestResponse, 'swapBestResponse');
    const gap = new Float64Array(S);
    const ceGap = new Float64Array(S);
    for (let s = 0; s < S; s++) {
      let g = -Infinity;
      let c = -Infinity;
      for (let i = 0; i < m; i++) {
        const v = value[i * S + s];
        const dg = bestResponse[i * S + s] - v;
        const dc = swapBestResponse[i * S + s] - v;
        if (dg > g) g = dg;
        if (dc > c) c = dc;
      }
      gap[s] = g;
      ceGap[s] = c;
    }
    return { m, S, value, bestResponse, swapBestResponse, gap, ceGap };
  }

  function valueTable(policy: Policy, i: number): Float64Array {
    guard.begin();
    const pi = jointPolicyTable(game, policy, expanded);
    checkAgent(i);
    const T = new Float64Array((H + 1) * S);
    valuePass(pi, i, T);
    return T;
  }

  function bestResponseTable(policy: Policy, i: number): Float64Array {
    guard.begin();
    const pi = jointPolicyTable(game, policy, expanded);
    checkAgent(i);
    const T = new Float64Array((H + 1) * S);
    bestResponsePass(pi, i, T);
    return T;
  }

  function worstCaseKernel(policy: Policy, i: number): Kernel {
    guard.begin();
    const pi = jointPolicyTable(game, policy, expanded);
    checkAgent(i);
    valuePass(pi, i, table);
    const rows = H * S * J;
    const rowStart = new Int32Array(rows + 1);
    // TV adds at most one state per row to the nominal support; KL keeps it: this capacity suffices
    // for the sigma contract, and growth below covers anything else.
    let capacity = game.kernel.next.length + rows;
    let next = new Int32Array(capacity);
    let prob = new Float64Array(capacity);
    let n = 0;
    const rho = game.radius;
    for (let h = 0; h < H; h++) {
      loadValues(ws, table, (h + 1) * S);
      guard.rows(h, null);
      for (let s = 0; s < S; s++) {
        const radius = rho[(i * H + h) * S + s];
        for (let j = 0; j < J; j++) {
          const r = (h * S + s) * J + j;
          // worstCaseRow writes all S entries of the dense row (zeros included).
          worstCaseRow(ws, game.divergence, game.kernel, r, radius, dense, 0);
          if (n + S > capacity) {
            capacity = Math.max(2 * capacity, n + S);
            const nn = new Int32Array(capacity);
            nn.set(next.subarray(0, n));
            next = nn;
            const np = new Float64Array(capacity);
            np.set(prob.subarray(0, n));
            prob = np;
          }
          const start = n;
          let sum = 0;
          for (let sp = 0; sp < S; sp++) {
            const q = dense[sp];
            if (q > 0) {
              next[n] = sp;
              prob[n] = q;
              sum += q;
              n++;
            }
          }
          if (!(sum > 0)) {
            throw new DrmgError('internal', `worstCaseKernel row (h=${h}, s=${s}, j=${j})`, `the worst-case row has no positive mass (sum ${sum})`);
          }
          // Renormalise so the row is a distribution up to rounding, as the Kernel contract asks.
          if (sum !== 1) for (let k = start; k < n; k++) prob[k] /= sum;
          rowStart[r + 1] = n;
        }
      }
    }
    return { rowStart, next: next.slice(0, n), prob: prob.slice(0, n) };
  }

  return { game, evaluate, valueTable, bestResponseTable, worstCaseKernel };
}
