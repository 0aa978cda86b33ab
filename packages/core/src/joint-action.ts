/**
 * Joint-action layout: agent 0 most significant, row-major
 * (`j = ((a_0 * A_1 + a_1) * A_2 + a_2) ...`, numpy's `ravel_multi_index(a, actions)`).
 */
import { inputError } from './drmg-error.ts';
import { describeValue } from './input-checks.ts';

/** Encoding and decoding of joint actions for agents with `A[i]` actions each. */
export interface JointActionLayout {
  /** Number of agents. */
  readonly m: number;
  /** Actions per agent. */
  readonly A: readonly number[];
  /** Number of joint actions, prod A[i]. */
  readonly J: number;
  /** stride[i] = prod_{i' > i} A[i']; a_i = floor(j / stride[i]) % A[i]. */
  readonly stride: Int32Array;
  /** actionOf[j*m + i] = agent i's action in joint action j (precomputed, hot-path friendly). */
  readonly actionOf: Int32Array;
}

/**
 * Builds the layout for actions `A` (each >= 1).
 * @throws DrmgError when an action count is not a positive integer or J overflows 2^31.
 * @example jointActionLayout([2, 3]).J === 6
 */
export function jointActionLayout(A: readonly number[], path = 'actions'): JointActionLayout {
  if (!Array.isArray(A) || A.length === 0) inputError(path, `expected a non-empty array of action counts, got ${describeValue(A)}`);
  const m = A.length;
  let J = 1;
  for (let i = 0; i < m; i++) {
    const a = A[i];
    if (typeof a !== 'number' || !Number.isInteger(a) || a < 1) inputError(`${path}[${i}]`, `expected a positive integer, got ${describeValue(a)}`);
    J *= a;
    if (J > 2 ** 31 - 1) inputError(path, `the number of joint actions exceeds 2^31-1`);
  }
  const stride = new Int32Array(m);
  let st = 1;
  for (let i = m - 1; i >= 0; i--) {
    stride[i] = st;
    st *= A[i];
  }
  const actionOf = new Int32Array(J * m);
  for (let j = 0; j < J; j++) for (let i = 0; i < m; i++) actionOf[j * m + i] = Math.floor(j / stride[i]) % A[i];
  return { m, A: [...A], J, stride, actionOf };
}

/** Joint index of the action profile `a` (agent 0 most significant). */
export function encodeJointAction(layout: JointActionLayout, a: readonly number[]): number {
  if (!Array.isArray(a)) inputError('jointAction', `expected an array of ${layout.m} actions, got ${describeValue(a)}`);
  if (a.length !== layout.m) inputError('jointAction', `expected ${layout.m} actions, got ${a.length}`);
  let j = 0;
  for (let i = 0; i < layout.m; i++) {
    const ai = a[i];
    if (!Number.isInteger(ai) || ai < 0 || ai >= layout.A[i]) inputError(`jointAction[${i}]`, `expected an integer in [0, ${layout.A[i] - 1}], got ${describeValue(ai)}`);
    j = j * layout.A[i] + ai;
  }
  return j;
}

/** The action profile of joint index `j`. */
export function decodeJointAction(layout: JointActionLayout, j: number): number[] {
  if (!Number.isInteger(j) || j < 0 || j >= layout.J) inputError('jointAction', `expected an integer in [0, ${layout.J - 1}], got ${describeValue(j)}`);
  const out = new Array<number>(layout.m);
  for (let i = 0; i < layout.m; i++) out[i] = layout.actionOf[j * layout.m + i];
  return out;
}
