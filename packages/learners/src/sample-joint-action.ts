/**
 * Drawing a joint action from a tabular policy at (h, s): one uniform per draw for a joint policy
 * (pi[(h*S + s)*J + j]), one per agent for a product policy (marginals[i][(h*S + s)*A[i] + a], agent 0 first).
 */
import { inputError, sampleIndex } from '@drmg/core';
import type { JointActionLayout, Policy, Rng } from '@drmg/core';

/**
 * A joint action j ~ pi_h(. | s) encoded in `layout` (agent 0 most significant).
 * @throws DrmgError when h or s is out of the policy's range.
 */
export function sampleJointAction(policy: Policy, layout: JointActionLayout, h: number, s: number, rng: Rng): number {
  const { H, S } = policy;
  if (!(Number.isInteger(h) && h >= 0 && h < H)) inputError('h', `expected a step in [0, ${H - 1}], got ${h}`);
  if (!(Number.isInteger(s) && s >= 0 && s < S)) inputError('s', `expected a state in [0, ${S - 1}], got ${s}`);
  if (policy.kind === 'joint') return sampleIndex(rng, policy.prob, (h * S + s) * policy.J, policy.J);
  const { A, m } = layout;
  let j = 0;
  for (let i = 0; i < m; i++) {
    const Ai = A[i];
    j = j * Ai + sampleIndex(rng, policy.marginals[i], (h * S + s) * Ai, Ai);
  }
  return j;
}
