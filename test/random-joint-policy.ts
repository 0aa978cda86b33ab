/**
 * A random correlated joint policy for evaluation tests: each (h, s) row leaves about 30% of the joint actions
 * unplayed (so the value recursion's rows and the deviations' rows differ) and draws the rest uniformly, normalised.
 */
import { createRng } from '@drmg/core';
import type { JointPolicy, TabularGame } from '@drmg/core';

/** The joint policy of seed `seed` on `game` (a row with every action unplayed plays joint action 0). */
export function randomJointPolicy(game: TabularGame, seed: number): JointPolicy {
  const rng = createRng(seed);
  const { H, S, J } = game;
  const prob = new Float64Array(H * S * J);
  for (let r = 0; r < H * S; r++) {
    let sum = 0;
    for (let j = 0; j < J; j++) sum += prob[r * J + j] = rng() < 0.3 ? 0 : rng();
    if (sum === 0) prob[r * J] = sum = 1;
    for (let j = 0; j < J; j++) prob[r * J + j] /= sum;
  }
  return { kind: 'joint', H, S, J, prob };
}
