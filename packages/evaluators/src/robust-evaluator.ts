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
import { DrmgError, createGameGuard, describeValue, inputError, loadValues, stateIndexArray, worstCaseRow } from '@drmg/core';
import type { Kernel, Policy, TabularGame } from '@drmg/core';
import { jointPolicyTable } from './joint-policy-table.ts';
import { createRecursions } from './recursions.ts';
import type { Recursions } from './recursions.ts';
import { coreIsFree, createParallelHelper, wantsParallel } from './parallel-evaluation.ts';
import { denseTvView, wantsDenseTvView } from './dense-tv-view.ts';
import type { ParallelHelper } from './parallel-evaluation.ts';

/** Thrown through this thread's recursions when the worker of a two-thread evaluation failed or timed out. */
const WORKER_LOST = new Error('the evaluation worker failed');

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

/** Options of `createEvaluator`. */
export interface EvaluatorOptions {
  /**
   * Threads of `evaluate`: 1; 2 (the states of every step split between this thread and a worker that reads shared
   * copies of the kernel, this thread's share measured to leave it time for the game's checksums);
   * or 'auto' (the default): 2 on the main thread for games with at least two agents and 0.4 M to 8 M stored kernel
   * entries on a machine with two cores or more that is not oversubscribed (load average < cores + 0.5), else 1. The results do not depend on it (bit for bit). A worker starts in the background
   * and serves from the first evaluation after it is up.
   */
  threads?: 'auto' | 1 | 2;
}

/** Exact robust evaluation of policies on one game, holding every buffer; reuse it across policies. */
export interface Evaluator {
  /** The game this evaluator belongs to. */
  readonly game: TabularGame;
  /** The threads the last `evaluate` ran on: 1, or 2 with the worker of `EvaluatorOptions.threads`. */
  readonly threads: number;
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

/** The unused `out` of a joint policy's table (`jointPolicyTable` returns the policy's own array). */
const NO_TABLE = new Float64Array(0);

/**
 * The dense view of `game`'s kernel, made from rows just checked against the game's checksums (a view made from a
 * kernel changed and later restored would otherwise hold the change while every later check passes).
 */
function checkedDenseView(game: TabularGame, guard: ReturnType<typeof createGameGuard>): TabularGame {
  guard.all();
  return denseTvView(game);
}

/**
 * An evaluator for `game`: allocates once the sigma workspace, the step buffers and the value tables,
 * then evaluates any number of policies by backward induction (eq. 13), each step's kernel rows read once for every
 * agent and recursion (value, best response, swap); large games on two threads (`EvaluatorOptions.threads`).
 * A game that is not the output of createTabularGame (assembled by hand) is validated in full first.
 * @throws DrmgError ('input', `game...`) when the game is not valid or was changed after validation.
 * @example const ev = createEvaluator(game).evaluate(policy); ev.gap[0];
 */
export function createEvaluator(game: TabularGame, options?: EvaluatorOptions): Evaluator {
  // A game assembled by hand is validated here in full; then every call checks the checksums of what it reads.
  const guard = createGameGuard(game);
  const { m, S, H, J } = game;
  if (options !== undefined && (options === null || typeof options !== 'object')) inputError('options', `expected {threads?}, got ${describeValue(options)}`);
  const threads = options?.threads ?? 'auto';
  if (threads !== 'auto' && threads !== 1 && threads !== 2) inputError('options.threads', `expected "auto", 1 or 2, got ${describeValue(threads)}`);
  // A TV kernel of rows of S/4 to S entries is read through a dense copy made once here (`dense-tv-view.ts`): rows
  // read in place instead of scattered into a block at every step of every evaluation. The guard checks the game's rows.
  const kview = wantsDenseTvView(game) ? checkedDenseView(game, guard) : game;
  let parallel = wantsParallel(kview, threads);
  let helper: ParallelHelper | null = null;
  let sharedRec: Recursions | null = null;

  const rec = createRecursions(kview);
  const { tabV, tabB, wsV } = rec;
  // A product policy's joint table is expanded into a buffer made on first use (H*S*J doubles: 0.5 MB at S = 200,
  // 4 x 4); a joint policy's table is its own array.
  let expanded: Float64Array | null = null;
  const tableOf = (policy: Policy): Float64Array =>
    jointPolicyTable(game, policy, policy !== null && typeof policy === 'object' && policy.kind === 'product' ? (expanded ??= new Float64Array(H * S * J)) : NO_TABLE);
  const dense = new Float64Array(S);
  const guardRows = (h: number, mask: Uint8Array): void => guard.rows(h, mask);
  function passes(pi: Float64Array, i0: number, i1: number, doV: boolean, doB: boolean, doC: boolean): void {
    rec.run(pi, i0, i1, doV, doB, doC, guardRows);
  }

  function checkAgent(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= m) inputError('agent', `expected an integer in [0, ${m - 1}], got ${describeValue(i)}`);
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
    const pi = tableOf(policy);
    if (options !== undefined && (options === null || typeof options !== 'object')) inputError('options', `expected {bestResponse?, swap?}, got ${describeValue(options)}`);
    const doBest = options?.bestResponse ?? true;
    const doSwap = options?.swap ?? true;
    const value = new Float64Array(m * S);
    const bestResponse = new Float64Array(m * S);
    const swapBestResponse = new Float64Array(m * S);
    // For a product policy pi_h((a, o)|s) = pi_{i,h}(a|s) pi_{-i,h}(o|s), so the swap recursion
    // sum_a pi_i(a) max_b sum_o pi_-i(o) Q(b, o) is the best-response recursion: C = B exactly, one pass.
    const product = policy.kind === 'product';
    const doB = doBest || (product && doSwap);
    const doC = doSwap && !product;
    // States [0, split) of every step on this thread, [split, S) on the worker when it is up (see parallel-evaluation.ts).
    if (parallel && helper === null) {
      // The worker reads copies: taken from rows checked against the game's checksums just now (the rest by begin()).
      for (let h = 0; h < H; h++) guard.rows(h, null);
      helper = createParallelHelper(kview, evaluator);
      // This thread reads the game's own arrays (the same numbers as the copies; or its dense view's): the guard has
      // just read the step's rows, so its share of them is in cache; the worker's share is in the other core's.
      if (helper !== null) sharedRec = createRecursions(kview, helper.tables);
    }
    if (helper === null) parallel = false;
    let two = false;
    if (helper !== null && helper.ready() && (threads === 2 || coreIsFree())) {
      const h2 = helper;
      const split = h2.split();
      if (h2.start(pi, split, true, doB, doC)) {
        try {
          // This thread checks, before each step, the rows of every state that either thread reads at that step.
          (sharedRec as Recursions).run(h2.pi, 0, m, true, doB, doC, guardRows, {
            s0: 0,
            s1: split,
            step(h) {
              if (!h2.step(h)) throw WORKER_LOST;
            },
          });
          h2.finish();
          two = true;
        } catch (e) {
          if (e !== WORKER_LOST) {
            h2.abort();
            throw e;
          }
        }
      }
      // A worker that failed or timed out is retired (by the helper): this evaluation and the next run on one thread.
      if (!two) {
        helper = null;
        parallel = false;
      }
    }
    if (!two) passes(pi, 0, m, true, doB, doC);
    evaluator.threads = two ? 2 : 1;
    const own = two ? (sharedRec as Recursions) : rec;
    for (let i = 0; i < m; i++) {
      const row = i * S;
      value.set(own.tabV[i].subarray(0, S), row);
      if (doB) bestResponse.set(own.tabB[i].subarray(0, S), row);
      if (doC) swapBestResponse.set(own.tabC[i].subarray(0, S), row);
      // Now value, bestResponse (B, when doB) and swapBestResponse (C, when doC) hold row i.
      if (!doSwap) swapBestResponse.set(value.subarray(row, row + S), row);
      else if (product) swapBestResponse.set(bestResponse.subarray(row, row + S), row);
      if (!doBest) bestResponse.set(value.subarray(row, row + S), row);
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
    const pi = tableOf(policy);
    checkAgent(i);
    passes(pi, i, i + 1, true, false, false);
    return tabV[i].slice();
  }

  function bestResponseTable(policy: Policy, i: number): Float64Array {
    guard.begin();
    const pi = tableOf(policy);
    checkAgent(i);
    passes(pi, i, i + 1, false, true, false);
    return tabB[i].slice();
  }

  function worstCaseKernel(policy: Policy, i: number): Kernel {
    guard.begin();
    const pi = tableOf(policy);
    checkAgent(i);
    passes(pi, i, i + 1, true, false, false);
    const table = tabV[i];
    const ws = wsV[i];
    const rows = H * S * J;
    const rowStart = new Int32Array(rows + 1);
    // TV adds at most one state per row to the nominal support; KL keeps it: this capacity suffices
    // for the sigma contract, and growth below covers anything else.
    let capacity = game.kernel.next.length + rows;
    let next = stateIndexArray(S, capacity);
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
            const nn = stateIndexArray(S, capacity);
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

  const evaluator = { game, evaluate, valueTable, bestResponseTable, worstCaseKernel, threads: 1 };
  return evaluator;
}
