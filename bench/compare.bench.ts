/**
 * The pieces of `drmg compare` on its default scenario (bridge-crossing-v0: S = 36, H = 6, 2 x 3 actions):
 * the cost of one run's parts, which is what the default budget (under 3 minutes on 2 cores) is made of.
 *  - training: milliseconds per episode of each default learner (bare TrainingRun loop, whole runs of the default K);
 *  - one exact gap evaluation of an episode policy (withRobustGap's work, 150 of them per run);
 *  - deploying an output policy (7 radii exact + 10 random kernels x 200 episodes each);
 *  - rendering the three plots (Vega-Lite -> SVG -> PNG) of a 5-learner, 5-seed summary.
 * Medians after warm-up; then the estimate of the default run's total on 2 workers.
 */
import { uniformPolicy } from '../packages/core/src/index.ts';
import { make } from '../packages/envs/src/index.ts';
import { createEvaluator } from '../packages/evaluators/src/index.ts';
import {
  comparePlotSpecs,
  deployPolicy,
  renderComparePlots,
  resolveCompareConfig,
  summarizeLearner,
  type CompareRunResult,
} from '../packages/compare/src/index.ts';
import { TrainingRun, type EventSink } from '../packages/experiments/src/index.ts';
import { createLearner, learnerContext } from '../packages/learners/src/index.ts';
import { medianMs } from './timing.ts';

/**
 * Median milliseconds per episode over whole runs of `K` episodes of a fresh learner `name` (3 runs after a
 * short warm-up run): whole runs, because a model-based learner's episode gets dearer as its counts grow.
 */
function perEpisode(name: string, params: Readonly<Record<string, unknown>>, K: number): number {
  const sink: EventSink = { next() {}, closed: false };
  const t: number[] = [];
  for (let q = 0; q < 4; q++) {
    const episodes = q === 0 ? Math.min(K, 200) : K;
    const env = make('bridge-crossing-v0');
    const learner = createLearner(name, learnerContext(name === 'mornavi-kl' ? make('bridge-crossing-v0', { divergence: 'kl' }).model : env.model, episodes, name === 'planner'), params);
    const run = new TrainingRun({ env, learner, episodes, seed: q, steps: false, policies: false });
    const t0 = performance.now();
    for (let k = 0; k < episodes; k++) run.episode(k, sink);
    if (q > 0) t.push((performance.now() - t0) / episodes);
  }
  t.sort((a, b) => a - b);
  return t[1];
}

export async function run(): Promise<void> {
  const config = resolveCompareConfig({});
  const game = make(config.env, config.envParams).model;
  const K = config.episodes;
  let episodeMs = 0;
  console.log(`training, bridge-crossing-v0 (S = ${game.S}, H = ${game.H}, J = ${game.J}), ms per episode (median of 3 whole runs of K = ${K}):`);
  for (const l of config.learners) {
    const ms = perEpisode(l.name, l.params, K);
    episodeMs += ms;
    console.log(`  ${l.label.padEnd(14)} ${ms.toFixed(3)} ms  (${(1000 / ms).toFixed(0)} episodes/s)`);
  }
  const policy = uniformPolicy(game);
  const ev = createEvaluator(game);
  const gapMs = medianMs(() => ev.evaluate(policy, { bestResponse: true, swap: false }), 50, 10);
  console.log(`exact robust gap of one policy: ${gapMs.toFixed(3)} ms`);
  const deployOptions = { radii: config.radii, randomKernels: config.randomKernels, rolloutEpisodes: config.rolloutEpisodes, seed: 'bench' };
  const deployMs = medianMs(() => deployPolicy(game, policy, deployOptions), 5, 1);
  console.log(`deploying one output policy (${config.radii.length} radii, ${config.randomKernels} kernels per agent x ${config.rolloutEpisodes} episodes): ${deployMs.toFixed(0)} ms`);

  // A synthetic summary of the default size for the plots.
  const runs: CompareRunResult[] = [0, 1, 2, 3, 4].map((seed) => ({
    learner: 'x',
    name: 'x',
    seed,
    episodes: Array.from({ length: 150 }, (_, q) => 20 * (q + 1)),
    regret: Array.from({ length: 150 }, (_, q) => 10 * Math.sqrt(20 * (q + 1)) + seed),
    gap: Array.from({ length: 150 }, () => 0.1),
    certifiedGap: null,
    boundGap: null,
    outputGap: 0,
    robustValue: [3, 3],
    nominalGap: 0,
    nominalValue: [3, 3],
    worstCase: config.radii.map((r) => [3 - r, 3]),
    randomMean: config.radii.map(() => [3, 3]),
    randomStdErr: config.radii.map(() => [0.01, 0.01]),
    randomTeamMean: config.radii.map(() => 6),
    randomTeamStdErr: config.radii.map(() => 0.01),
  }));
  const summaries = config.learners.map((l) => summarizeLearner(l.label, l.name, '', runs.map((r) => ({ ...r, learner: l.label })), config.radii));
  await renderComparePlots(comparePlotSpecs(summaries, config.radii, '5 seeds')); // warm-up (loads Vega)
  const t: number[] = [];
  for (let q = 0; q < 3; q++) {
    const t0 = performance.now();
    await renderComparePlots(comparePlotSpecs(summaries, config.radii, '5 seeds'));
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  console.log(`rendering the 3 plots (SVG + PNG): ${t[1].toFixed(0)} ms`);

  const runsPerLearner = config.seeds.length;
  const perRunEval = config.evalPoints * gapMs + deployMs;
  const cpuSeconds = (runsPerLearner * (config.episodes * episodeMs + config.learners.length * perRunEval)) / 1000;
  console.log(
    `default compare (${config.learners.length} learners x ${runsPerLearner} seeds x K = ${config.episodes}): about ${cpuSeconds.toFixed(0)} CPU seconds of runs, ` +
      `${(cpuSeconds / 2).toFixed(0)} s on 2 workers, plus worker start-up and about ${(t[1] / 1000).toFixed(1)} s of plots ` +
      `(issue 12 target: pnpm start <= 15 s of compute on 2 cores: ${cpuSeconds / 2 + t[1] / 1000 <= 15 ? 'met' : 'NOT met'})`,
  );
}
