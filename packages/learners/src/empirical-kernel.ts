/**
 * Transition counts and the empirical nominal kernel of eq. 4,
 *   P_hat_h(sp | s, j) = N_h(s, j, sp) / N_h(s, j)   when N_h(s, j) > 0   (else 1/S, handled by the planner),
 * stored so that memory grows with what was visited, not with H*S*J*S.
 *
 * Layout: row r = (h*S + s)*J + j. visits[r] = N_h(s, j) and start[r], len[r] (flat, H*S*J each); a visited row's
 * entries occupy the pools at [start[r], start[r] + len[r]): next states strictly increasing (the CSR convention
 * of `tabular-game.ts`, which the TV sigma relies on for full rows), counts N_h(s, j, sp) and probabilities
 * count / N. A row that outgrows its capacity moves to the end of the pools with twice the room (pools double
 * too), so storage is at most a small constant times the number of distinct (h, s, j, sp) seen.
 */
import { inputError, stateIndexArray } from '@drmg/core';
import type { Kernel, StateIndexArray } from '@drmg/core';

/** Counts and empirical kernel rows (see the file header for the layout). */
export interface EmpiricalKernel {
  readonly H: number;
  readonly S: number;
  readonly J: number;
  /** visits[r] = N_h(s, j), the number of observed transitions out of row r. */
  readonly visits: Int32Array;
  /** start[r]: first pool entry of row r (meaningful when visits[r] > 0). */
  readonly start: Int32Array;
  /** len[r]: number of distinct next states seen from row r. */
  readonly len: Int32Array;
  /** Pool of next states, `stateIndexArray(S)` (replaced when the pools grow: read it after the last `add`). */
  readonly next: StateIndexArray;
  /** Pool of counts N_h(s, j, sp). */
  readonly count: Int32Array;
  /** Pool of probabilities P_hat_h(sp | s, j) = count / N. */
  readonly prob: Float64Array;
  /** Number of pool entries in use (including space left behind by moved rows). */
  readonly used: number;
  /** Records one transition (h, s, j) -> sp. @throws DrmgError when an index is out of range. */
  add(h: number, s: number, j: number, sp: number): void;
  /**
   * A one-row CSR kernel whose row 0 is P_hat row r (a visited row), for `robustExpectationRow`; the same object
   * is refilled by every call, so use it before the next one.
   */
  view(r: number): Kernel;
}

/** Mutable internals behind the public readonly view. */
interface KernelState extends EmpiricalKernel {
  next: StateIndexArray;
  count: Int32Array;
  prob: Float64Array;
  used: number;
}

/**
 * Empty counts for horizon H, S states and J joint actions (flat per-row arrays of H*S*J, pools that grow).
 * @throws DrmgError when a size is not a positive integer.
 */
export function createEmpiricalKernel(H: number, S: number, J: number): EmpiricalKernel {
  for (const [name, v] of [['H', H], ['S', S], ['J', J]] as const) {
    if (!Number.isInteger(v) || v < 1) inputError(name, `expected a positive integer, got ${v}`);
  }
  const rows = H * S * J;
  const cap = new Int32Array(rows);
  const rowStart = new Int32Array(2);
  const viewKernel: { rowStart: Int32Array; next: StateIndexArray; prob: Float64Array } = { rowStart, next: stateIndexArray(S, 0), prob: new Float64Array(0) };
  const k: KernelState = {
    H,
    S,
    J,
    visits: new Int32Array(rows),
    start: new Int32Array(rows),
    len: new Int32Array(rows),
    next: stateIndexArray(S, 64),
    count: new Int32Array(64),
    prob: new Float64Array(64),
    used: 0,
    add(h: number, s: number, j: number, sp: number): void {
      if (!(Number.isInteger(h) && h >= 0 && h < H)) inputError('h', `expected a step in [0, ${H - 1}], got ${h}`);
      if (!(Number.isInteger(s) && s >= 0 && s < S)) inputError('s', `expected a state in [0, ${S - 1}], got ${s}`);
      if (!(Number.isInteger(j) && j >= 0 && j < J)) inputError('j', `expected a joint action in [0, ${J - 1}], got ${j}`);
      if (!(Number.isInteger(sp) && sp >= 0 && sp < S)) inputError('sp', `expected a next state in [0, ${S - 1}], got ${sp}`);
      const r = (h * S + s) * J + j;
      let a = k.start[r];
      let n = k.len[r];
      // Find sp in the sorted row, or the place to insert it.
      let t = 0;
      while (t < n && k.next[a + t] < sp) t++;
      if (t < n && k.next[a + t] === sp) {
        k.count[a + t]++;
      } else {
        if (n === cap[r]) {
          const c = n === 0 ? 2 : 2 * n;
          reserve(k.used + c);
          k.next.copyWithin(k.used, a, a + n);
          k.count.copyWithin(k.used, a, a + n);
          a = k.start[r] = k.used;
          cap[r] = c;
          k.used += c;
        }
        for (let u = n; u > t; u--) {
          k.next[a + u] = k.next[a + u - 1];
          k.count[a + u] = k.count[a + u - 1];
        }
        k.next[a + t] = sp;
        k.count[a + t] = 1;
        n = ++k.len[r];
      }
      const N = ++k.visits[r];
      const inv = 1 / N;
      for (let u = 0; u < n; u++) k.prob[a + u] = k.count[a + u] * inv;
    },
    view(r: number): Kernel {
      const a = k.start[r];
      rowStart[0] = a;
      rowStart[1] = a + k.len[r];
      viewKernel.next = k.next;
      viewKernel.prob = k.prob;
      return viewKernel;
    },
  };

  /** Grows the pools (doubling) to hold at least `size` entries. */
  function reserve(size: number): void {
    if (size <= k.next.length) return;
    let c = k.next.length;
    while (c < size) c *= 2;
    const next = stateIndexArray(S, c);
    next.set(k.next);
    const count = new Int32Array(c);
    count.set(k.count);
    const prob = new Float64Array(c);
    prob.set(k.prob);
    k.next = next;
    k.count = count;
    k.prob = prob;
  }
  return k;
}
