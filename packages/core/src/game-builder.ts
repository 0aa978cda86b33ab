/**
 * The game builder: a TabularGame written from functions (reward, transition, radius) instead of
 * arrays. It tabulates the functions into the layouts of `tabular-game.ts` — R[((h*S + s)*J + j)*m + i],
 * CSR kernel rows r = (h*S + s)*J + j, rho[(i*H + h)*S + s] — and hands them to createTabularGame.
 */
import { inputError } from './drmg-error.ts';
import { createTabularGame } from './create-tabular-game.ts';
import { jointActionLayout } from './joint-action.ts';
import { stateIndexArray } from './kernel-index.ts';
import type { Divergence, GameLabels, TabularGame } from './tabular-game.ts';
import {
  MAX_DENSE_ENTRIES,
  SUM_TOLERANCE,
  checkActionCounts,
  checkDenseSize,
  checkPositiveInteger,
  describeValue,
  formatNumber,
  isFiniteNumber,
} from './input-checks.ts';

/** The builder: a game written from functions instead of arrays. */
export interface GameSpec {
  /** Name for reports. */
  name?: string;
  /** Number of states S. */
  states: number;
  /** Horizon H (steps 0..H-1). */
  horizon: number;
  /** Actions per agent A[i]. */
  actions: readonly number[];
  /** A distribution over states, or a single start state. */
  initial: readonly number[] | number;
  /** Agent i's reward in [0, 1] at step h, state s, action profile a. */
  reward: (h: number, s: number, a: readonly number[], i: number) => number;
  /** The nominal next-state distribution P*_h(.|s, a): a dense row of length S, or sparse {sp: prob}. */
  transition: (h: number, s: number, a: readonly number[]) => readonly number[] | Record<number, number>;
  /** Divergence of the uncertainty sets. */
  divergence: Divergence;
  /** One radius for all; one per agent; or rho_i(h, s). */
  radius: number | readonly number[] | ((i: number, h: number, s: number) => number);
  /** failureStates[i]: agent i's failure states (Assumption 1), checked. */
  failureStates?: readonly (readonly number[])[];
  /** Optional names of states and actions. */
  labels?: GameLabels;
}

function callPath(fn: string, h: number, s: number, a: readonly number[], extra = ''): string {
  return `${fn}(h=${h}, s=${s}, a=[${a.join(', ')}]${extra})`;
}

/**
 * Builds a TabularGame by tabulating `spec`'s functions: R_i(h, s, a) = reward(h, s, a, i),
 * P*_h(.|s, a) = transition(h, s, a) (zeros dropped, rows renormalised to sum to exactly 1),
 * rho_i(h, s) = radius(i, h, s). Each action profile `a` handed to the functions is a fresh frozen array.
 * @throws DrmgError('input', ...) naming the function call, e.g. `transition(h=0, s=1, a=[1, 0])`,
 *   when a function returns something bad (not a number, reward outside [0, 1], negative entry,
 *   row not summing to 1, wrong length, next state out of range), or when a size is bad or too large.
 * @example buildGame({ states: 1, horizon: 1, actions: [2], initial: 0, reward: (h, s, a) => a[0],
 *   transition: () => [1], divergence: 'tv', radius: 0 })
 */
export function buildGame(spec: GameSpec): TabularGame {
  if (spec === null || typeof spec !== 'object') inputError('spec', `expected a game spec object, got ${describeValue(spec)}`);
  const S = checkPositiveInteger(spec.states, 'states');
  const H = checkPositiveInteger(spec.horizon, 'horizon');
  const Jf = checkActionCounts(spec.actions, 'actions');
  checkDenseSize(H * S * Jf * spec.actions.length, 'H*S*J*m', 'reward');
  checkDenseSize(H * S * Jf, 'H*S*J', 'transition');
  const layout = jointActionLayout(spec.actions, 'actions');
  const { m, J } = layout;
  const rows = H * S * J;
  const div = spec.divergence as unknown;
  if (div !== 'tv' && div !== 'kl') inputError('divergence', `expected "tv" or "kl", got ${div === undefined ? 'nothing (missing)' : JSON.stringify(div)}`);
  if (typeof spec.reward !== 'function') inputError('reward', `expected a function (h, s, a, i) => number, got ${describeValue(spec.reward)}`);
  if (typeof spec.transition !== 'function') inputError('transition', `expected a function (h, s, a) => number[] | {sp: prob}, got ${describeValue(spec.transition)}`);

  // Initial distribution: a start state, or a distribution (checked by createTabularGame).
  let initial: ArrayLike<number>;
  if (typeof spec.initial === 'number') {
    const s0 = spec.initial;
    if (!Number.isInteger(s0) || s0 < 0 || s0 >= S) inputError('initial', `expected a state in [0, ${S - 1}] or a distribution over states, got ${describeValue(s0)}`);
    const mu = new Float64Array(S);
    mu[s0] = 1;
    initial = mu;
  } else {
    initial = spec.initial;
  }

  const profiles: (readonly number[])[] = new Array(J);
  for (let j = 0; j < J; j++) {
    const a = new Array<number>(m);
    for (let i = 0; i < m; i++) a[i] = layout.actionOf[j * m + i];
    profiles[j] = Object.freeze(a);
  }

  // Rewards R[((h*S + s)*J + j)*m + i].
  const reward = new Float64Array(rows * m);
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < J; j++) {
        const a = profiles[j];
        const base = ((h * S + s) * J + j) * m;
        for (let i = 0; i < m; i++) {
          const x = spec.reward(h, s, a, i);
          if (!isFiniteNumber(x) || x < 0 || x > 1) {
            inputError(callPath('reward', h, s, a, `, i=${i}`), `returned ${describeValue(x)}, expected a number in [0, 1]`);
          }
          reward[base + i] = x;
        }
      }
    }
  }

  // Kernel: CSR built directly from the returned rows (dense or sparse), zeros dropped.
  const rowStart = new Int32Array(rows + 1);
  let cap = Math.min(Math.max(rows * Math.min(S, 4), 16), MAX_DENSE_ENTRIES);
  let next = stateIndexArray(S, cap);
  let prob = new Float64Array(cap);
  let nnz = 0;
  const push = (sp: number, x: number): void => {
    if (nnz === cap) {
      if (cap >= MAX_DENSE_ENTRIES) inputError('transition', `too large: more than 2^27 = ${MAX_DENSE_ENTRIES} nonzero kernel entries`);
      cap = Math.min(cap * 2, MAX_DENSE_ENTRIES);
      const n2 = stateIndexArray(S, cap);
      n2.set(next);
      next = n2;
      const p2 = new Float64Array(cap);
      p2.set(prob);
      prob = p2;
    }
    next[nnz] = sp;
    prob[nnz] = x;
    nnz++;
  };
  for (let h = 0; h < H; h++) {
    for (let s = 0; s < S; s++) {
      for (let j = 0; j < J; j++) {
        const r = (h * S + s) * J + j;
        const a = profiles[j];
        rowStart[r] = nnz;
        const row = spec.transition(h, s, a) as unknown;
        let sum = 0;
        if (Array.isArray(row)) {
          if (row.length !== S) inputError(callPath('transition', h, s, a), `returned ${row.length} entries, expected ${S} (S) or a sparse {nextState: prob} object`);
          for (let sp = 0; sp < S; sp++) {
            const x = row[sp] as unknown;
            if (!isFiniteNumber(x) || x < 0) inputError(`${callPath('transition', h, s, a)}[${sp}]`, `returned ${describeValue(x)}, expected a probability >= 0`);
            if (x > 0) push(sp, x);
            sum += x;
          }
        } else if (row !== null && typeof row === 'object') {
          const keys = Object.keys(row);
          const sps = new Array<number>(keys.length);
          for (let k = 0; k < keys.length; k++) {
            const sp = Number(keys[k]);
            if (!Number.isInteger(sp) || sp < 0 || sp >= S) inputError(callPath('transition', h, s, a), `returned next state ${JSON.stringify(keys[k])}, expected a state in [0, ${S - 1}]`);
            sps[k] = sp;
          }
          sps.sort((x, y) => x - y);
          for (let k = 0; k < sps.length; k++) {
            const sp = sps[k];
            const x = (row as Record<number, unknown>)[sp];
            if (!isFiniteNumber(x) || x < 0) inputError(`${callPath('transition', h, s, a)}[${sp}]`, `returned ${describeValue(x)}, expected a probability >= 0`);
            if (x > 0) push(sp, x);
            sum += x;
          }
        } else {
          inputError(callPath('transition', h, s, a), `returned ${describeValue(row)}, expected an array of ${S} probabilities or a sparse {nextState: prob} object`);
        }
        if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) inputError(callPath('transition', h, s, a), `row sums to ${formatNumber(sum)}, expected 1`);
      }
    }
  }
  rowStart[rows] = nnz;

  // Radius rho[(i*H + h)*S + s].
  let radius: number | readonly number[] | Float64Array;
  const rs = spec.radius as unknown;
  if (typeof rs === 'function') {
    const rho = new Float64Array(m * H * S);
    for (let i = 0; i < m; i++) {
      for (let h = 0; h < H; h++) {
        for (let s = 0; s < S; s++) {
          const x = rs(i, h, s) as unknown;
          if (!isFiniteNumber(x) || x < 0) inputError(`radius(i=${i}, h=${h}, s=${s})`, `returned ${describeValue(x)}, expected a finite number >= 0`);
          rho[(i * H + h) * S + s] = x;
        }
      }
    }
    radius = rho;
  } else if (typeof rs === 'number') {
    if (!isFiniteNumber(rs) || rs < 0) inputError('radius', `expected a finite number >= 0, got ${describeValue(rs)}`);
    radius = rs;
  } else if (Array.isArray(rs)) {
    if (rs.length !== m) inputError('radius', `expected ${m} entries (one per agent), got ${rs.length}`);
    for (let i = 0; i < m; i++) if (!isFiniteNumber(rs[i]) || rs[i] < 0) inputError(`radius[${i}]`, `expected a finite number >= 0, got ${describeValue(rs[i])}`);
    radius = rs as number[];
  } else {
    return inputError('radius', `expected a number, an array of ${m} numbers (one per agent) or a function (i, h, s) => number, got ${describeValue(rs)}`);
  }

  return createTabularGame({
    name: spec.name,
    S,
    H,
    A: layout.A,
    initial,
    reward,
    kernel: { rowStart, next: next.slice(0, nnz), prob: prob.slice(0, nnz) },
    divergence: div,
    radius,
    failureStates: spec.failureStates,
    labels: spec.labels,
  });
}
