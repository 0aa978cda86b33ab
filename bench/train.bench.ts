/**
 * The training pipeline (packages/experiments) at S = 10, H = 5, two agents x 3 actions (J = 6),
 * random TV game: episodes per second of train(...) to completion with the uniform random learner
 * and with MORNAVI-TV (CCE), without evaluation and with the exact robust gap of every episode's
 * policy (withRobustGap every 1 + cumulativeRegret); events per second with step events on.
 * Also the bare loop (TrainingRun.episode into a no-op sink, no Observable) to show what RxJS adds.
 * Median of several whole runs after a warm-up run. The target for MORNAVI-TV with CCE and
 * the gap every episode at this size: over 500 episodes/s.
 */
import { randomGame } from '../packages/core/src/index.ts';
import { createTabularEnv } from '../packages/envs/src/index.ts';
import { cumulativeRegret, train, TrainingRun, withRobustGap, type EventSink, type LearnerSource, type TrainEvent } from '../packages/experiments/src/index.ts';
import { listLearners } from '../packages/learners/src/index.ts';
import type { Observable } from '../packages/experiments/src/index.ts';

function runToEnd(stream: Observable<TrainEvent>): Promise<number> {
  return new Promise((resolve, reject) => {
    let events = 0;
    stream.subscribe({ next: () => void events++, error: reject, complete: () => resolve(events) });
  });
}

/** Median milliseconds and the event count of whole runs of `make()` (after one warm-up run). */
async function medianRun(make: () => Observable<TrainEvent>, reps: number): Promise<{ ms: number; events: number }> {
  let events = await runToEnd(make());
  const t: number[] = [];
  for (let q = 0; q < reps; q++) {
    const t0 = performance.now();
    events = await runToEnd(make());
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return { ms: t[Math.floor(t.length / 2)], events };
}

/** Median milliseconds of K episodes of the bare TrainingRun loop (no Observable, no events kept). */
function bareLoop(make: () => TrainingRun, K: number, reps: number): number {
  const sink: EventSink = { next() {}, closed: false };
  const t: number[] = [];
  for (let q = 0; q <= reps; q++) {
    const run = make();
    const t0 = performance.now();
    for (let k = 0; k < K; k++) run.episode(k, sink);
    if (q > 0) t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

export async function run(): Promise<void> {
  const game = randomGame(7, { S: 10, H: 5, A: [2, 3], divergence: 'tv', maxRadius: 0.3 });
  const learners: { label: string; source: LearnerSource; K: number; reps: number }[] = [{ label: 'random', source: { name: 'random' }, K: 20_000, reps: 7 }];
  let names: string[] = [];
  try {
    names = listLearners().map((d) => d.name);
  } catch {
    // the registry is not available
  }
  if (!names.includes('random')) learners.length = 0;
  if (names.includes('mornavi-tv')) learners.push({ label: 'mornavi-tv (cce)', source: { name: 'mornavi-tv', params: { equilibrium: 'cce' } }, K: 2_000, reps: 5 });
  if (learners.length === 0) {
    console.log('train.bench: no learner registry (@drmg/learners listLearners) yet: nothing to measure');
    return;
  }
  console.log(`train pipeline, S = ${game.S}, H = ${game.H}, actions [${game.A.join(', ')}] (J = ${game.J}), TV`);
  for (const { label, source, K, reps } of learners) {
    const plain = await medianRun(() => train({ env: createTabularEnv(game), learner: source, episodes: K, seed: 1, steps: false }), reps);
    const gap = await medianRun(
      () => train({ env: createTabularEnv(game), learner: source, episodes: K, seed: 1, steps: false }).pipe(withRobustGap(game, { every: 1 }), cumulativeRegret()),
      reps,
    );
    const steps = await medianRun(() => train({ env: createTabularEnv(game), learner: source, episodes: K, seed: 1, steps: true }), reps);
    const bare = bareLoop(() => new TrainingRun({ env: createTabularEnv(game), learner: source, episodes: K, seed: 1, steps: false }), K, reps);
    const eps = (r: { ms: number }) => ((1000 * K) / r.ms).toFixed(0).padStart(8);
    console.log(`  ${label.padEnd(18)} K = ${String(K).padStart(6)}  no gap: ${eps(plain)} episodes/s   gap every episode: ${eps(gap)} episodes/s`);
    console.log(
      `  ${''.padEnd(18)} ${''.padEnd(10)}  steps on: ${eps(steps)} episodes/s = ${((1000 * steps.events) / steps.ms).toFixed(0).padStart(8)} events/s (${steps.events / K} events per episode)`,
    );
    console.log(`  ${''.padEnd(18)} ${''.padEnd(10)}  bare loop (no Observable, no policy events kept): ${eps({ ms: bare })} episodes/s`);
  }
}
