/**
 * The joint distribution of independent mixed strategies: dist[j] = prod_i marginals[i][a_i(j)]
 * (a product policy, formats.md: "a product policy is written as the product of its marginals").
 */
import { inputError } from '@drmg/core';
import type { JointActionLayout } from '@drmg/core';

/**
 * Fills `out` (length J, default new) with the product distribution prod_i marginals[i][a_i(j)] and returns it.
 * @throws DrmgError when the number of marginals or a marginal's length does not match the layout.
 * @example productDistribution(jointActionLayout([2, 2]), [[0.5, 0.5], [1, 0]]) // [0.5, 0, 0.5, 0]
 */
export function productDistribution(layout: JointActionLayout, marginals: readonly ArrayLike<number>[], out = new Float64Array(layout.J)): Float64Array {
  const { m, J, A, actionOf } = layout;
  if (marginals.length !== m) inputError('marginals', `expected ${m} marginals, got ${marginals.length}`);
  for (let i = 0; i < m; i++) if (marginals[i].length !== A[i]) inputError(`marginals[${i}]`, `expected ${A[i]} probabilities, got ${marginals[i].length}`);
  if (out.length !== J) inputError('out', `expected length ${J}, got ${out.length}`);
  for (let j = 0; j < J; j++) {
    let p = 1;
    for (let i = 0; i < m; i++) p *= marginals[i][actionOf[j * m + i]];
    out[j] = p;
  }
  return out;
}
