/** One-shot exact robust evaluation of a policy on a game. */
import type { Policy, TabularGame } from '@drmg/core';
import { createEvaluator } from './robust-evaluator.ts';
import type { EvaluateOptions, RobustEvaluation } from './robust-evaluator.ts';

/**
 * Robust values V^{pi,rho_i}_{i,0}, best responses, swap best responses and the NE/CCE and CE gaps of
 * `policy` on `game` by the robust Bellman recursion (eq. 13); for many policies reuse `createEvaluator`.
 * @throws DrmgError ('input') when the policy's H, S, J or actions do not match the game.
 * @example evaluatePolicy(game, uniformPolicy(game)).gap
 */
export function evaluatePolicy(game: TabularGame, policy: Policy, options?: EvaluateOptions): RobustEvaluation {
  return createEvaluator(game).evaluate(policy, options);
}
