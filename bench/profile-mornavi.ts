/**
 * A profiling driver (not a bench): MORNAVI-TV CCE at S = 50, H = 20, 5 x 5 with the exact gap every episode, for
 * `node --cpu-prof --import tsx bench/profile-mornavi.ts [episodes]` (the `pnpm bench learners` line's loop).
 */
import { createRng, randomGame } from '../packages/core/src/index.ts';
import { createEvaluator } from '../packages/evaluators/src/index.ts';
import { createMornavi, learnerContext, runEpisode } from '../packages/learners/src/index.ts';

const K = Number(process.argv[2] ?? 300);
const game = randomGame(7, { S: 50, H: 20, A: [5, 5], divergence: 'tv', maxRadius: 0.3 });
const learner = createMornavi(learnerContext(game, K));
const ev = createEvaluator(game);
const rng = createRng(1);
let sink = 0;
let tEval = 0;
const t0 = performance.now();
for (let k = 0; k < K; k++) {
  const r = runEpisode(game, learner, k, rng);
  const t1 = performance.now();
  sink += ev.evaluate(r.policy, { swap: false }).gap[0];
  tEval += performance.now() - t1;
}
const ms = performance.now() - t0;
console.log(`${K} episodes: ${((1000 * K) / ms).toFixed(1)} episodes/s; evaluation ${(tEval / K).toFixed(2)} ms/episode, learner ${((ms - tEval) / K).toFixed(2)} ms/episode (sink ${sink.toFixed(3)})`);
