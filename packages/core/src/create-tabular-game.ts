/**
 * Construction and validation of a TabularGame from raw arrays.
 *
 * Layouts are those of `tabular-game.ts`: R[((h*S + s)*J + j)*m + i]; dense kernel
 * P[((h*S + s)*J + j)*S + sp] (row r = (h*S + s)*J + j), stored as CSR; rho[(i*H + h)*S + s].
 * Error paths use the drmg-game/1 field names (`states`, `transition[h][s][j]`, `uncertainty.radius[i]`),
 * so a file reader that flattens its nested arrays reports the file's own indices.
 */
import { inputError } from './drmg-error.ts';
import { jointActionLayout } from './joint-action.ts';
import { sealGame } from './game-seal.ts';
import { stateIndexArray } from './kernel-index.ts';
import type { Divergence, GameLabels, Kernel, TabularGame } from './tabular-game.ts';
import {
  SUM_TOLERANCE,
  checkActionCounts,
  checkDenseSize,
  checkPositiveInteger,
  describeValue,
  formatNumber,
  isFiniteNumber,
  normaliseSlice,
} from './input-checks.ts';

/** Raw parts of a game; dense kernel = Float64Array of H*S*J*S (row r = (h*S+s)*J+j) or a CSR Kernel. */
export interface TabularGameParts {
  /** Name for reports; defaults to `unnamed`. */
  name?: string;
  /** Number of states. */
  S: number;
  /** Horizon. */
  H: number;
  /** Actions per agent. */
  A: readonly number[];
  /** Initial distribution mu[s]. */
  initial: ArrayLike<number>;
  /** R[((h*S+s)*J+j)*m+i] in [0, 1]. */
  reward: ArrayLike<number>;
  /** Nominal kernel: CSR (its `next` an Int32Array, a Uint16Array or plain numbers; stored as `stateIndexArray(S)`), or dense P[((h*S+s)*J+j)*S+sp]. */
  kernel: Kernel | ArrayLike<number>;
  /** Divergence of the uncertainty sets. */
  divergence: Divergence;
  /** One number for all; per agent (length m); or rho[(i*H+h)*S+s] (length m*H*S). */
  radius: number | readonly number[] | ArrayLike<number>;
  /** failureStates[i]: agent i's failure states (Assumption 1), checked. */
  failureStates?: readonly (readonly number[])[];
  /** Optional names of states and actions. */
  labels?: GameLabels;
  /** Extra top-level fields to keep (written back by gameToJson). */
  extra?: Record<string, unknown>;
}

/**
 * The model parts of a game, as `createTabularGame` takes them (name, sizes, initial distribution, rewards, kernel,
 * divergence, radii; not labels, failure states or extra fields): the start of every game derived from another one.
 * @example createTabularGame({ ...gameParts(game), radius: 0 }) // the nominal twin
 */
export function gameParts(game: TabularGame): TabularGameParts {
  const { name, S, H, A, initial, reward, kernel, divergence, radius } = game;
  return { name, S, H, A, initial, reward, kernel, divergence, radius };
}

/** `transition[h][s][j]` for kernel row r = (h*S + s)*J + j. */
function rowPath(r: number, S: number, J: number): string {
  const j = r % J;
  const hs = (r - j) / J;
  const s = hs % S;
  return `transition[${(hs - s) / S}][${s}][${j}]`;
}

function isKernel(k: Kernel | ArrayLike<number>): k is Kernel {
  return typeof k === 'object' && k !== null && 'rowStart' in k;
}

/**
 * Validates the dense kernel P[r*S + sp] (entries finite, >= 0; rows summing to 1 within 1e-9),
 * drops zeros into CSR and renormalises every row to sum to exactly 1.
 */
function denseToCsr(P: ArrayLike<number>, rows: number, S: number, J: number): Kernel {
  if (P.length !== rows * S) inputError('transition', `expected H*S*J*S = ${rows * S} entries, got ${P.length}`);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * S;
    let sum = 0;
    for (let sp = 0; sp < S; sp++) {
      const x = P[base + sp];
      if (!isFiniteNumber(x)) inputError(`${rowPath(r, S, J)}[${sp}]`, `expected a finite number, got ${describeValue(x)}`);
      if (x < 0) inputError(`${rowPath(r, S, J)}[${sp}]`, `expected a probability >= 0, got ${formatNumber(x)}`);
      if (x > 0) nnz++;
      sum += x;
    }
    if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) inputError(rowPath(r, S, J), `row sums to ${formatNumber(sum)}, expected 1`);
  }
  const rowStart = new Int32Array(rows + 1);
  const next = stateIndexArray(S, nnz);
  const prob = new Float64Array(nnz);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    const base = r * S;
    rowStart[r] = k;
    for (let sp = 0; sp < S; sp++) {
      const x = P[base + sp];
      if (x > 0) {
        next[k] = sp;
        prob[k] = x;
        k++;
      }
    }
    normaliseSlice(prob, rowStart[r], k);
  }
  rowStart[rows] = k;
  return { rowStart, next, prob };
}

/** Validates a CSR kernel (row bounds, next states in range and strictly increasing, rows summing to 1), copying it without zeros. */
function copyCsr(K: Kernel, rows: number, S: number, J: number): Kernel {
  const { rowStart: rs, next: nx, prob: pr } = K;
  if (rs === undefined || rs === null || typeof rs.length !== 'number' || rs.length !== rows + 1) {
    inputError('kernel.rowStart', `expected H*S*J + 1 = ${rows + 1} entries, got ${rs && typeof rs.length === 'number' ? rs.length : describeValue(rs)}`);
  }
  const total = rs[rows];
  if (!Number.isInteger(total) || total < 0) inputError(`kernel.rowStart[${rows}]`, `expected a non-negative integer (the number of stored entries), got ${describeValue(total)}`);
  if (rs[0] !== 0) inputError('kernel.rowStart[0]', `expected 0, got ${describeValue(rs[0])}`);
  if (nx === undefined || nx === null || nx.length !== total) inputError('kernel.next', `expected rowStart[H*S*J] = ${total} entries, got ${nx ? nx.length : describeValue(nx)}`);
  if (pr === undefined || pr === null || pr.length !== total) inputError('kernel.prob', `expected rowStart[H*S*J] = ${total} entries, got ${pr ? pr.length : describeValue(pr)}`);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    const a = rs[r];
    const b = rs[r + 1];
    if (!Number.isInteger(b) || b < a || b > total) inputError(`kernel.rowStart[${r + 1}]`, `expected a non-decreasing integer in [${a}, ${total}], got ${describeValue(b)}`);
    let sum = 0;
    let prev = -1;
    for (let k = a; k < b; k++) {
      const sp = nx[k];
      const x = pr[k];
      if (!Number.isInteger(sp) || sp < 0 || sp >= S) inputError(`kernel.next[${k}]`, `expected a state in [0, ${S - 1}], got ${describeValue(sp)} (row ${rowPath(r, S, J)})`);
      if (sp <= prev) inputError(`kernel.next[${k}]`, `next states must be strictly increasing within a row, got ${sp} after ${prev} (row ${rowPath(r, S, J)})`);
      prev = sp;
      if (!isFiniteNumber(x)) inputError(`${rowPath(r, S, J)}[${sp}]`, `expected a finite number, got ${describeValue(x)}`);
      if (x < 0) inputError(`${rowPath(r, S, J)}[${sp}]`, `expected a probability >= 0, got ${formatNumber(x)}`);
      if (x > 0) nnz++;
      sum += x;
    }
    if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) inputError(rowPath(r, S, J), `row sums to ${formatNumber(sum)}, expected 1`);
  }
  const rowStart = new Int32Array(rows + 1);
  const next = stateIndexArray(S, nnz);
  const prob = new Float64Array(nnz);
  let c = 0;
  for (let r = 0; r < rows; r++) {
    rowStart[r] = c;
    for (let k = rs[r]; k < rs[r + 1]; k++) {
      const x = pr[k];
      if (x > 0) {
        next[c] = nx[k];
        prob[c] = x;
        c++;
      }
    }
    normaliseSlice(prob, rowStart[r], c);
  }
  rowStart[rows] = c;
  return { rowStart, next, prob };
}

/** Expands the radius argument into rho[(i*H + h)*S + s], checking finiteness and rho >= 0. */
function expandRadius(radius: TabularGameParts['radius'], m: number, H: number, S: number): Float64Array {
  const HS = H * S;
  const rho = new Float64Array(m * HS);
  const check = (x: unknown, path: string): number => {
    if (!isFiniteNumber(x)) inputError(path, `expected a finite number, got ${describeValue(x)}`);
    if (x < 0) inputError(path, `expected a radius >= 0, got ${formatNumber(x)}`);
    return x + 0; // -0 -> 0
  };
  if (typeof radius === 'number') {
    rho.fill(check(radius, 'uncertainty.radius'));
    return rho;
  }
  if (radius === null || typeof radius !== 'object' || typeof radius.length !== 'number') {
    inputError('uncertainty.radius', `expected a number or an array of ${m} (one per agent) or ${m * HS} (m*H*S) numbers, got ${describeValue(radius)}`);
  }
  if (radius.length === m) {
    for (let i = 0; i < m; i++) rho.fill(check(radius[i], `uncertainty.radius[${i}]`), i * HS, (i + 1) * HS);
    return rho;
  }
  if (radius.length === m * HS) {
    for (let i = 0; i < m; i++) {
      for (let h = 0; h < H; h++) {
        for (let s = 0; s < S; s++) {
          const k = (i * H + h) * S + s;
          rho[k] = check(radius[k], `uncertainty.radius[${i}][${h}][${s}]`);
        }
      }
    }
    return rho;
  }
  return inputError('uncertainty.radius', `expected one number, ${m} numbers (one per agent) or ${m * HS} numbers (m*H*S), got ${radius.length}`);
}

function checkLabels(labels: unknown, S: number, A: readonly number[]): GameLabels {
  if (labels === null || typeof labels !== 'object' || Array.isArray(labels)) inputError('labels', `expected an object {states?, actions?}, got ${describeValue(labels)}`);
  const { states, actions } = labels as { states?: unknown; actions?: unknown };
  const stringArray = (v: unknown, n: number, what: string, path: string): string[] => {
    if (!Array.isArray(v)) inputError(path, `expected an array of ${n} strings (${what}), got ${describeValue(v)}`);
    if (v.length !== n) inputError(path, `expected ${n} entries (${what}), got ${v.length}`);
    for (let k = 0; k < n; k++) if (typeof v[k] !== 'string') inputError(`${path}[${k}]`, `expected a string, got ${describeValue(v[k])}`);
    return [...(v as string[])];
  };
  const out: { states?: string[]; actions?: string[][] } = {};
  if (states !== undefined) out.states = stringArray(states, S, 'S', 'labels.states');
  if (actions !== undefined) {
    if (!Array.isArray(actions)) inputError('labels.actions', `expected an array of ${A.length} arrays (one per agent), got ${describeValue(actions)}`);
    if (actions.length !== A.length) inputError('labels.actions', `expected ${A.length} entries (m), got ${actions.length}`);
    out.actions = A.map((Ai, i) => stringArray(actions[i], Ai, `A[${i}]`, `labels.actions[${i}]`));
  }
  return out;
}

function checkFailureStateLists(fs: unknown, m: number, S: number): number[][] {
  if (!Array.isArray(fs)) inputError('failureStates', `expected an array of ${m} arrays of states (one per agent), got ${describeValue(fs)}`);
  if (fs.length !== m) inputError('failureStates', `expected ${m} entries (m), got ${fs.length}`);
  const out: number[][] = [];
  for (let i = 0; i < m; i++) {
    const list = fs[i] as unknown;
    if (!Array.isArray(list)) inputError(`failureStates[${i}]`, `expected an array of states, got ${describeValue(list)}`);
    const seen = new Set<number>();
    for (let k = 0; k < list.length; k++) {
      const s = list[k] as unknown;
      if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s >= S) inputError(`failureStates[${i}][${k}]`, `expected a state in [0, ${S - 1}], got ${describeValue(s)}`);
      if (seen.has(s)) inputError(`failureStates[${i}][${k}]`, `state ${s} is listed twice`);
      seen.add(s);
    }
    out.push([...seen].sort((a, b) => a - b));
  }
  return out;
}

/** The first failure-state violation as [agent, message], or null; see checkFailureStates. */
function findFailureStateViolation(game: TabularGame, failureStates: readonly (readonly number[])[]): [number, string] | null {
  const { m, S, H, J, reward } = game;
  const { rowStart, next, prob } = game.kernel;
  if (failureStates.length !== m) return [0, `expected ${m} failure-state lists (one per agent), got ${failureStates.length}`];
  const inSet = new Uint8Array(S);
  for (let i = 0; i < m; i++) {
    const list = failureStates[i];
    inSet.fill(0);
    for (const s of list) {
      if (!Number.isInteger(s) || s < 0 || s >= S) return [i, `agent ${i}: failure state ${s} is not a state in [0, ${S - 1}]`];
      inSet[s] = 1;
    }
    for (let h = 0; h < H; h++) {
      for (const s of list) {
        for (let j = 0; j < J; j++) {
          const r = (h * S + s) * J + j;
          const rew = reward[r * m + i];
          if (rew !== 0) return [i, `agent ${i}, h ${h}, s ${s}, j ${j}: reward is ${formatNumber(rew)}, expected 0 in a failure state`];
          let mass = 0;
          for (let k = rowStart[r]; k < rowStart[r + 1]; k++) if (inSet[next[k]] === 1) mass += prob[k];
          if (mass < 1 - SUM_TOLERANCE) {
            return [
              i,
              `agent ${i}, h ${h}, s ${s}, j ${j}: the nominal kernel keeps ${formatNumber(mass)} of its mass inside the failure set ` +
                `{${list.join(', ')}}, expected at least 1 - 1e-9 (failure states must be absorbing)`,
            ];
          }
        }
      }
    }
  }
  return null;
}

/**
 * Checks agent i's failure states (Assumption 1, paper Sec. 5.1): for every i, h, s in S_i^f and j,
 * r_i(h, s, j) = 0 and P*_h(S_i^f | s, j) >= 1 - 1e-9.
 * @returns null when the claim holds for every agent, else a message naming the agent, h, s, j and why.
 */
export function checkFailureStates(game: TabularGame, failureStates: readonly (readonly number[])[]): string | null {
  const v = findFailureStateViolation(game, failureStates);
  return v === null ? null : v[1];
}

/**
 * Validates everything (sizes, finite numbers, rewards in [0,1], rows >= 0 summing to 1 within 1e-9
 * then renormalised exactly, radius >= 0 and finite, divergence known, failure-state claim holds,
 * memory limit), drops zero entries into CSR (next strictly increasing), and returns a TabularGame.
 * The arrays are copied: the game never aliases the caller's buffers.
 * @throws DrmgError('input', path, detail) naming the field and index (drmg-game/1 names, e.g. `transition[2][0]`).
 * @example createTabularGame({ S: 1, H: 1, A: [2], initial: [1], reward: [0, 1], kernel: [1, 1], divergence: 'tv', radius: 0 })
 */
export function createTabularGame(parts: TabularGameParts): TabularGame {
  if (parts === null || typeof parts !== 'object') inputError('game', `expected an object of game parts, got ${describeValue(parts)}`);
  const name = parts.name === undefined ? 'unnamed' : parts.name;
  if (typeof name !== 'string') inputError('name', `expected a string, got ${describeValue(name)}`);
  const S = checkPositiveInteger(parts.S, 'states');
  const H = checkPositiveInteger(parts.H, 'horizon');
  // Sizes are checked before anything of that size (the layout's J*m table included) is allocated.
  const Jf = checkActionCounts(parts.A, 'actions');
  checkDenseSize(H * S * Jf * parts.A.length, 'H*S*J*m', 'reward');
  checkDenseSize(H * S * Jf, 'H*S*J', 'transition');
  const K = parts.kernel;
  if (K === null || typeof K !== 'object') inputError('transition', `expected a dense array of H*S*J*S numbers or a CSR kernel, got ${describeValue(K)}`);
  if (!isKernel(K)) checkDenseSize(H * S * Jf * S, 'H*S*J*S', 'transition');
  const layout = jointActionLayout(parts.A, 'actions');
  const { m, J } = layout;
  const A = layout.A;
  const rows = H * S * J;

  const div = parts.divergence as unknown;
  if (div !== 'tv' && div !== 'kl') inputError('uncertainty.divergence', `expected "tv" or "kl", got ${div === undefined ? 'nothing (missing)' : JSON.stringify(div)}`);

  // Initial distribution.
  const init = parts.initial;
  if (init === null || typeof init !== 'object' || typeof init.length !== 'number') inputError('initial', `expected an array of ${S} numbers (S), got ${describeValue(init)}`);
  if (init.length !== S) inputError('initial', `expected ${S} entries (S), got ${init.length}`);
  const initial = new Float64Array(S);
  let initSum = 0;
  for (let s = 0; s < S; s++) {
    const x = init[s];
    if (!isFiniteNumber(x)) inputError(`initial[${s}]`, `expected a finite number, got ${describeValue(x)}`);
    if (x < 0) inputError(`initial[${s}]`, `expected a probability >= 0, got ${formatNumber(x)}`);
    initial[s] = x + 0; // -0 -> 0
    initSum += x;
  }
  if (!(Math.abs(initSum - 1) <= SUM_TOLERANCE)) inputError('initial', `sums to ${formatNumber(initSum)}, expected 1 (a distribution over states)`);
  normaliseSlice(initial, 0, S);

  // Rewards in [0, 1].
  const R = parts.reward;
  if (R === null || typeof R !== 'object' || typeof R.length !== 'number') inputError('reward', `expected H*S*J*m = ${rows * m} numbers, got ${describeValue(R)}`);
  if (R.length !== rows * m) inputError('reward', `expected H*S*J*m = ${rows * m} entries, got ${R.length}`);
  const reward = new Float64Array(rows * m);
  for (let k = 0; k < rows * m; k++) {
    const x = R[k];
    if (!isFiniteNumber(x) || x < 0 || x > 1) {
      const i = k % m;
      const path = `${rowPath((k - i) / m, S, J).replace('transition', 'reward')}[${i}]`;
      if (!isFiniteNumber(x)) inputError(path, `expected a finite number, got ${describeValue(x)}`);
      inputError(path, `expected a reward in [0, 1], got ${formatNumber(x)}`);
    }
    reward[k] = x + 0; // -0 -> 0
  }

  // Kernel: dense or CSR, into a fresh CSR without zeros and with exactly normalised rows.
  const kernel = isKernel(K) ? copyCsr(K, rows, S, J) : denseToCsr(K, rows, S, J);

  const radius = expandRadius(parts.radius, m, H, S);

  let failureStates: number[][] | undefined;
  if (parts.failureStates !== undefined) failureStates = checkFailureStateLists(parts.failureStates, m, S);
  const labels = parts.labels === undefined ? undefined : checkLabels(parts.labels, S, A);
  let extra: Record<string, unknown> | undefined;
  if (parts.extra !== undefined) {
    if (parts.extra === null || typeof parts.extra !== 'object' || Array.isArray(parts.extra)) inputError('extra', `expected an object, got ${describeValue(parts.extra)}`);
    extra = { ...parts.extra };
  }

  const game: TabularGame = {
    name,
    m,
    S,
    H,
    A,
    J,
    layout,
    initial,
    reward,
    kernel,
    divergence: div,
    radius,
    ...(failureStates ? { failureStates } : {}),
    ...(labels ? { labels } : {}),
    ...(extra ? { extra } : {}),
  };
  if (failureStates) {
    const v = findFailureStateViolation(game, failureStates);
    if (v !== null) inputError(`failureStates[${v[0]}]`, v[1]);
  }
  // Frozen, with checksums of its typed arrays: the evaluator notices any later write (game-seal.ts).
  return sealGame(game);
}
