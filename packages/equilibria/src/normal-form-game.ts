/**
 * Normal-form (matrix) games for m players, general sum.
 *
 * Layout (row-major, written once here):
 * - joint action j: agent 0 most significant (formats.md; `jointActionLayout` of @drmg/core).
 * - payoff:  U[j*m + i]   player i's payoff at joint action j.
 * A stage game of the paper's EQUILIBRIUM subroutine (eq. 7) is exactly this: U[j*m + i] = Q_bar_{i,h}(s, j).
 */
import { jointActionLayout, inputError, describeValue } from '@drmg/core';
import type { JointActionLayout } from '@drmg/core';

/** An m-player normal-form game: actions A[i], payoffs U[j*m + i] over joint actions j (agent 0 most significant). */
export interface NormalFormGame {
  /** Number of players. */
  readonly m: number;
  /** Actions per player. */
  readonly A: readonly number[];
  /** Number of joint actions, prod A[i]. */
  readonly J: number;
  /** Joint-action encode/decode tables. */
  readonly layout: JointActionLayout;
  /** U[j*m + i]: player i's payoff at joint action j. */
  readonly payoff: Float64Array;
}

/**
 * Builds a normal-form game from action counts and a flat payoff table U[j*m + i] (copied).
 * @throws DrmgError when `A` is not a list of positive integers, or `payoff` has the wrong length or a non-finite entry.
 * @example createNormalFormGame([2, 2], [1, -1, -1, 1, -1, 1, 1, -1]) // matching pennies
 */
export function createNormalFormGame(A: readonly number[], payoff: ArrayLike<number>, path = 'game'): NormalFormGame {
  const layout = jointActionLayout(A, `${path}.actions`);
  const { m, J } = layout;
  if (payoff == null || typeof payoff.length !== 'number') inputError(`${path}.payoff`, 'expected an array of numbers');
  if (payoff.length !== J * m) inputError(`${path}.payoff`, `expected ${J * m} entries (J = ${J} joint actions x m = ${m} players), got ${payoff.length}`);
  const U = new Float64Array(J * m);
  for (let k = 0; k < J * m; k++) {
    const v = payoff[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      inputError(`${path}.payoff[${Math.floor(k / m)}][${k % m}]`, `expected a finite number, got ${describeValue(v)}`);
    }
    U[k] = v;
  }
  return { m, A: layout.A, J, layout, payoff: U };
}

/**
 * Builds a game from a function of the action profile: U[j*m + i] = f(a)[i], with a = decode(j).
 * @throws DrmgError when `f` returns a list of the wrong length or a non-finite payoff.
 * @example normalFormGameFromFunction([2, 2], ([a, b]) => (a === b ? [1, -1] : [-1, 1]))
 */
export function normalFormGameFromFunction(A: readonly number[], f: (a: readonly number[]) => readonly number[]): NormalFormGame {
  const layout = jointActionLayout(A);
  const { m, J } = layout;
  const U = new Array<number>(J * m);
  const a = new Array<number>(m);
  for (let j = 0; j < J; j++) {
    for (let i = 0; i < m; i++) a[i] = layout.actionOf[j * m + i];
    const u = f(a);
    if (!u || u.length !== m) inputError(`payoff(${a.join(',')})`, `expected ${m} payoffs, got ${u ? u.length : u}`);
    for (let i = 0; i < m; i++) U[j * m + i] = u[i];
  }
  return createNormalFormGame(A, U);
}

/**
 * A two-player game from its payoff matrices: U[(a*n2 + b)*2] = rowPayoff[a][b], U[(a*n2 + b)*2 + 1] = colPayoff[a][b].
 * @throws DrmgError when the matrices are empty, ragged, of different shapes or hold non-finite numbers.
 * @example bimatrixGame([[2, 0], [0, 1]], [[1, 0], [0, 2]]) // battle of the sexes
 */
export function bimatrixGame(rowPayoff: readonly (readonly number[])[], colPayoff: readonly (readonly number[])[]): NormalFormGame {
  const n1 = rowPayoff.length;
  if (n1 === 0 || !Array.isArray(rowPayoff[0])) inputError('rowPayoff', 'expected a non-empty matrix');
  const n2 = rowPayoff[0].length;
  if (n2 === 0) inputError('rowPayoff[0]', 'expected a non-empty row');
  if (colPayoff.length !== n1) inputError('colPayoff', `expected ${n1} rows like rowPayoff, got ${colPayoff.length}`);
  const U = new Array<number>(n1 * n2 * 2);
  for (let a = 0; a < n1; a++) {
    const ra = rowPayoff[a];
    const ca = colPayoff[a];
    if (!Array.isArray(ra) || ra.length !== n2) inputError(`rowPayoff[${a}]`, `expected ${n2} entries`);
    if (!Array.isArray(ca) || ca.length !== n2) inputError(`colPayoff[${a}]`, `expected ${n2} entries`);
    for (let b = 0; b < n2; b++) {
      U[(a * n2 + b) * 2] = ra[b];
      U[(a * n2 + b) * 2 + 1] = ca[b];
    }
  }
  return createNormalFormGame([n1, n2], U);
}
