/** The AgentContext of agent i in a learner context: its action count and its own radius table. */
import { inputError } from '@drmg/core';
import type { AgentContext } from './agent.ts';
import type { LearnerContext } from './learner.ts';

/**
 * What agent i is told: its index and action count, S, H, K, the divergence and its own radii
 * rho_i[h*S + s] (a copy of context.radius[(i*H + h)*S + s]).
 * @throws DrmgError ('input') when i is not an agent index of the context.
 */
export function agentContext(context: LearnerContext, i: number): AgentContext {
  const { m, S, H, A, episodes, divergence } = context;
  if (!(Number.isInteger(i) && i >= 0 && i < m)) inputError('agent', `expected an agent index in [0, ${m - 1}], got ${i}`);
  return { agent: i, actions: A[i], S, H, episodes, divergence, radius: context.radius.slice(i * H * S, (i + 1) * H * S) };
}
