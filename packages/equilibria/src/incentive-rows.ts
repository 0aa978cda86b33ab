/**
 * The incentive constraints of the CCE and CE linear programs, one row per (player, deviation):
 * - CCE row (i, b):    sum_j x_j (U_i(b, j_-i) - U_i(j)) <= 0                      (sum_i A_i rows)
 * - CE  row (i, a, b): sum_{j: j_i = a} x_j (U_i(b, j_-i) - U_i(j)) <= 0, b != a    (sum_i A_i (A_i - 1) rows)
 * Layout: row k has player[k], from[k] (a, or -1 for CCE) and to[k] (b); G[k][j] is computed on demand.
 */
import type { JointActionLayout } from '@drmg/core';

/** Which correlated equilibrium: coarse correlated (CCE) or correlated (CE). */
export type CorrelatedKind = 'cce' | 'ce';

/** Row descriptors of the incentive constraints (see the file header). */
export interface IncentiveRows {
  /** Number of rows R. */
  readonly R: number;
  /** player[k]: the deviating player i. */
  readonly player: Int32Array;
  /** from[k]: the recommendation a the row conditions on (CE), or -1 (CCE: unconditional). */
  readonly from: Int32Array;
  /** to[k]: the deviation b. */
  readonly to: Int32Array;
}

/**
 * The incentive rows for actions A: CCE rows (i, b) for every b, CE rows (i, a, b) for every a != b.
 */
export function incentiveRows(A: readonly number[], kind: CorrelatedKind): IncentiveRows {
  let R = 0;
  for (let i = 0; i < A.length; i++) R += kind === 'cce' ? A[i] : A[i] * (A[i] - 1);
  const player = new Int32Array(R);
  const from = new Int32Array(R);
  const to = new Int32Array(R);
  let k = 0;
  for (let i = 0; i < A.length; i++) {
    for (let a = kind === 'cce' ? -1 : 0; a < (kind === 'cce' ? 0 : A[i]); a++) {
      for (let b = 0; b < A[i]; b++) {
        if (b === a) continue;
        player[k] = i;
        from[k] = a;
        to[k] = b;
        k++;
      }
    }
  }
  return { R, player, from, to };
}

/**
 * Fills g[j] = G[k][j], the coefficient of x_j in incentive row k: [from < 0 or j_i = from] (U_i(to, j_-i) - U_i(j)).
 */
export function incentiveRow(layout: JointActionLayout, rows: IncentiveRows, k: number, payoff: Float64Array, g: Float64Array): void {
  const { m, J, stride, actionOf } = layout;
  const i = rows.player[k];
  const a = rows.from[k];
  const b = rows.to[k];
  const st = stride[i];
  for (let j = 0; j < J; j++) {
    const aj = actionOf[j * m + i];
    if (a >= 0 && aj !== a) {
      g[j] = 0;
      continue;
    }
    g[j] = payoff[(j + (b - aj) * st) * m + i] - payoff[j * m + i];
  }
}
