/**
 * Learner speed (issue 5, item 7) on random TV games (dense kernels are the worst case for sigma):
 * - MORNAVI-TV with CCE at S = 10, H = 5, 2 x 3 actions, the episode policy's exact robust gap evaluated every
 *   episode (evaluator call included): episodes/s, median over chunks of 200 episodes after 300 warm-up episodes.
 *   Target: > 500 episodes/s.
 * - The same at S = 50, H = 20, 2 x 5 actions, with and without the evaluation: target >= 300 episodes/s (issue 12;
 *   it was > 10 in issue 5); and with a
 *   tiny bonus and known rewards, so that no Q_bar is clipped and every stage game is a real LP (the worst case).
 * - Peak resident memory (process.memoryUsage().rss) during a 20,000-episode run at the small size, and the counts'
 *   pool size.
 * - The known-model planner: one planning pass at S = 50, H = 20, 2 x 5 with CCE: target < 60 ms.
 */
import { createRng, randomGame, uniformPolicy } from '../packages/core/src/index.ts';
import type { TabularGame } from '../packages/core/src/index.ts';
import { createEvaluator } from '../packages/evaluators/src/index.ts';
import { createMornavi, learnerContext, planRobustEquilibrium, runEpisode } from '../packages/learners/src/index.ts';
import { medianMs, startWorker } from './timing.ts';

/**
 * Median episodes/s over `chunks` chunks of `size` episodes, after `warmup` episodes. The evaluator's worker thread,
 * if it gets one, is up before the first episode (`startWorker`), as in a training run of thousands of episodes:
 * otherwise a 60-episode measurement would time mostly its start.
 */
async function episodesPerSecond(game: TabularGame, evaluate: boolean, warmup: number, chunks: number, size: number, bonusScale?: number): Promise<{ rate: number; solved: number; reused: number }> {
  const total = warmup + chunks * size;
  const learner =
    bonusScale === undefined ? createMornavi(learnerContext(game, total)) : createMornavi(learnerContext(game, total, true), { bonus: 'scaled', bonusScale, rewards: 'known' });
  const ev = createEvaluator(game);
  if (evaluate) await startWorker(ev, uniformPolicy(game));
  const rng = createRng(1);
  let sink = 0;
  let k = 0;
  for (; k < warmup; k++) {
    const r = runEpisode(game, learner, k, rng);
    if (evaluate) sink += ev.evaluate(r.policy, { swap: false }).gap[0];
  }
  const rates: number[] = [];
  for (let c = 0; c < chunks; c++) {
    const t0 = performance.now();
    for (let e = 0; e < size; e++, k++) {
      const r = runEpisode(game, learner, k, rng);
      if (evaluate) sink += ev.evaluate(r.policy, { swap: false }).gap[0];
    }
    rates.push((size * 1000) / (performance.now() - t0));
  }
  if (Number.isNaN(sink)) console.log('(NaN gap)');
  rates.sort((a, b) => a - b);
  return { rate: rates[Math.floor(rates.length / 2)], solved: learner.stats.solved, reused: learner.stats.reused };
}

export async function run(): Promise<void> {
  const small = randomGame(7, { S: 10, H: 5, A: [2, 3], divergence: 'tv', maxRadius: 0.3 });
  const big = randomGame(7, { S: 50, H: 20, A: [5, 5], divergence: 'tv', maxRadius: 0.3 });

  const a = await episodesPerSecond(small, true, 300, 10, 200);
  console.log(`MORNAVI-TV CCE, S = 10, H = 5, 2 x 3, exact gap every episode: ${a.rate.toFixed(0)} episodes/s (target > 500); stage games solved ${a.solved}, reused ${a.reused}`);
  const b = await episodesPerSecond(small, false, 300, 10, 200);
  console.log(`MORNAVI-TV CCE, S = 10, H = 5, 2 x 3, learner only:               ${b.rate.toFixed(0)} episodes/s`);

  const c = await episodesPerSecond(big, true, 10, 5, 10);
  console.log(`MORNAVI-TV CCE, S = 50, H = 20, 5 x 5, exact gap every episode: ${c.rate.toFixed(1)} episodes/s (issue 12 target >= 300: ${c.rate >= 300 ? 'met' : 'NOT met'}); stage games solved ${c.solved}, reused ${c.reused}`);
  const d = await episodesPerSecond(big, false, 10, 5, 10);
  console.log(`MORNAVI-TV CCE, S = 50, H = 20, 5 x 5, learner only:             ${d.rate.toFixed(1)} episodes/s`);
  // With the default (bonus=valid) most Q_bar of this size stay clipped at H - h for thousands of episodes (constant
  // stage games); known rewards and the scaled heuristic with a tiny multiplier make every stage game a real one from
  // the start: the planning worst case.
  const e = await episodesPerSecond(big, true, 10, 5, 10, 1e-6);
  console.log(`  same, rewards=known, bonus=scaled x 1e-6 (real stage games), with exact gap: ${e.rate.toFixed(1)} episodes/s; solved ${e.solved}, reused ${e.reused}`);
  const f = await episodesPerSecond(big, false, 10, 5, 10, 1e-6);
  console.log(`  same, rewards=known, bonus=scaled x 1e-6, learner only:            ${f.rate.toFixed(1)} episodes/s`);

  // Peak memory of a 20,000-episode run at the small size (evaluation included).
  const before = process.memoryUsage().rss;
  let peak = before;
  {
    const K = 20000;
    const learner = createMornavi(learnerContext(small, K));
    const ev = createEvaluator(small);
    const rng = createRng(2);
    const t0 = performance.now();
    for (let k = 0; k < K; k++) {
      ev.evaluate(runEpisode(small, learner, k, rng).policy, { swap: false });
      if (k % 500 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const secs = (performance.now() - t0) / 1000;
    console.log(
      `20,000-episode run (S = 10, H = 5, 2 x 3, exact gap every episode): ${secs.toFixed(1)} s, peak rss ${(peak / 2 ** 20).toFixed(0)} MiB (rss before ${(before / 2 ** 20).toFixed(0)} MiB); counts pool ${learner.counts.used} entries for ${learner.counts.len.reduce((x, y) => x + y, 0)} distinct (h, s, j, s')`,
    );
  }

  for (const equilibrium of ['cce', 'ce'] as const) {
    const ms = medianMs(() => planRobustEquilibrium(big, { equilibrium }), 10, 2);
    console.log(`planRobustEquilibrium ${equilibrium.toUpperCase()}, S = 50, H = 20, 5 x 5: ${ms.toFixed(1)} ms per plan${equilibrium === 'cce' ? ' (target < 60 ms)' : ''}`);
  }
}
