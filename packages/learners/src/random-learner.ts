/** The uniform random learner: every agent picks each of its actions with probability 1/A[i], every episode. */
import type { Policy, ProductPolicy, Rng } from '@drmg/core';
import { defineLearner, type Learner, type LearnerContext } from './learner.ts';

/**
 * A learner that never learns: pi_{i,h}(a | s) = 1/A[i] (a product policy), for reference curves.
 * @example const learner = createRandomLearner(context);
 */
export function createRandomLearner(context: LearnerContext): Learner {
  const { H, S, A, J } = context;
  const policy: ProductPolicy = { kind: 'product', H, S, A: [...A], marginals: A.map((n) => new Float64Array(H * S * n).fill(1 / n)) };
  return {
    name: 'random',
    beginEpisode(): Policy {
      return policy;
    },
    act(_h: number, _s: number, rng: Rng): number {
      const j = Math.floor(rng() * J);
      return j < J ? j : J - 1;
    },
    observe(): void {},
    endEpisode() {
      return {};
    },
    outputPolicy(): Policy {
      return policy;
    },
  };
}

/** `random`: the uniform random product policy. */
export const randomDefinition = defineLearner({
  name: 'random',
  description: 'uniform random actions (the product of uniform marginals)',
  params: {},
  create: (context) => createRandomLearner(context),
});
