/**
 * Issue 12: exact robust evaluation near the machine's limit, each figure next to its target and to a plain
 * reference evaluator (test/reference-evaluator.ts: nested arrays, a sort per TV row, golden-section KL) timed in
 * the same run, so every speedup is a ratio measured side by side.
 *
 * Games: dense kernels (every row on all S next states), radii per (i, h, s) uniform in [0, 0.5), a random
 * correlated joint policy (every joint action played), value + best response + swap best response in one call.
 *  - TV S = 20, H = 10, 3 x 3; TV S = 50, H = 20, 5 x 5 (target <= 4 ms); TV S = 100, H = 20, 4 x 4 (<= 15 ms);
 *    KL S = 50, H = 20, 5 x 5 (<= 30 ms).
 *  - TV, H = 20, 4 x 4, S in {25, 50, 100, 200}: time against S (growth H S^2 J), and at S = 200 (12.8 M kernel
 *    entries, 102 MB of probabilities) the target <= 80 ms and the memory: the peak of the JavaScript heap and array
 *    buffers in use (heapUsed + arrayBuffers) during evaluation, above what was in use before the game was made,
 *    against the kernel's bytes (prob alone; the CSR `next` array, 16-bit states for S <= 65,536, adds a quarter of
 *    that again). The peak counts the evaluations' garbage until a scavenge frees it; the figure retained after a
 *    collection (game and evaluator) is printed beside it.
 * Games of 0.4 M to 8 M kernel entries run on two threads ('auto', see parallel-evaluation.ts); their one-thread time is
 * printed below them. `pnpm bench exact` runs only this file; `DRMG_BENCH_QUICK=1` skips the slow references.
 */
import { createRng, createTabularGame } from '../packages/core/src/index.ts';
import type { Divergence, JointPolicy, TabularGame } from '../packages/core/src/index.ts';
import { createEvaluator } from '../packages/evaluators/src/index.ts';
import { refEvaluate, tabularToDense } from '../test/reference-evaluator.ts';
import { startWorker } from './timing.ts';
import type { DensePolicy } from '../test/reference-evaluator.ts';
import { loadavg } from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';

/** A dense random game with radii in [0, 0.5) per (i, h, s), built from flat arrays (no nested copy). */
function denseGame(seed: number, S: number, H: number, A: number[], divergence: Divergence): TabularGame {
  const rng = createRng(seed);
  const m = A.length;
  const J = A.reduce((x, y) => x * y, 1);
  const rows = H * S * J;
  const reward = new Float64Array(rows * m);
  for (let k = 0; k < reward.length; k++) reward[k] = rng();
  const kernel = new Float64Array(rows * S);
  for (let r = 0; r < rows; r++) {
    let sum = 0;
    for (let sp = 0; sp < S; sp++) sum += kernel[r * S + sp] = 0.05 + rng();
    for (let sp = 0; sp < S; sp++) kernel[r * S + sp] /= sum;
  }
  const radius = new Float64Array(m * H * S);
  for (let k = 0; k < radius.length; k++) radius[k] = 0.5 * rng();
  const initial = new Float64Array(S).fill(1 / S);
  return createTabularGame({ name: `dense-${S}`, S, H, A, initial, reward, kernel, divergence, radius });
}

/** A random correlated joint policy with every joint action played. */
function randomJoint(game: TabularGame, seed: number): JointPolicy {
  const rng = createRng(seed);
  const { H, S, J } = game;
  const prob = new Float64Array(H * S * J);
  for (let r = 0; r < H * S; r++) {
    let sum = 0;
    for (let j = 0; j < J; j++) sum += prob[r * J + j] = 0.05 + rng();
    for (let j = 0; j < J; j++) prob[r * J + j] /= sum;
  }
  return { kind: 'joint', H, S, J, prob };
}

/** Median ms of fn over at least `minMs` ms of runs (and at least `minReps` runs) after `warmup` runs. */
function medianOver(fn: () => void, minMs: number, minReps: number, warmup: number): number {
  for (let k = 0; k < warmup; k++) fn();
  const t: number[] = [];
  const start = performance.now();
  while (t.length < minReps || performance.now() - start < minMs) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

/** The reference evaluator's time (ms, median of `reps` runs) on the same game and policy. */
function referenceMs(game: TabularGame, policy: JointPolicy, reps: number): number {
  const g = tabularToDense(game);
  const { H, S, J } = game;
  const pi: DensePolicy = Array.from({ length: H }, (_, h) => Array.from({ length: S }, (_, s) => Array.from(policy.prob.subarray((h * S + s) * J, (h * S + s + 1) * J))));
  const t: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    refEvaluate(g, pi);
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

function line(label: string, ms: number, target: number | null, ref: number | null, threads = 1): void {
  const tgt = target === null ? '' : ` (target <= ${target} ms: ${ms <= target ? 'met' : 'NOT met'})`;
  const r = ref === null ? '' : `; reference ${ref.toFixed(0)} ms, ${(ref / ms).toFixed(0)}x`;
  console.log(`${label}: value+BR+swap ${ms.toFixed(2)} ms on ${threads} thread${threads > 1 ? 's' : ''}${tgt}${r}`);
}

/**
 * A garbage collection on demand (for the memory figure), without the --expose-gc flag. Two collections: V8 frees
 * the memory of dead array buffers on a background thread after a collection, and `arrayBuffers` counts it until
 * then (the freed dense input of a game, say, 102 MB at S = 200, in about one run of three); the next collection
 * first waits for that sweep to finish.
 */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

/** Live bytes of the process's JavaScript heap and array buffers. */
function liveBytes(): number {
  const u = process.memoryUsage();
  return u.heapUsed + u.arrayBuffers;
}

/**
 * One point of the time-against-S series (TV, H = 20, 4 x 4, one thread) with, at S = 200, the memory figure. A
 * function of its own so that the previous point's game and evaluator die with its frame: the collection before
 * `base` frees them (a loop body's variables can outlive their iteration in the caller's frame, and would count in
 * `base` and not in the game).
 */
function timeAgainstS(S: number, quick: boolean, gc: () => void): { ms: number; threads: number } {
  gc();
  const base = liveBytes();
  const game = denseGame(13, S, 20, [4, 4], 'tv');
  const policy = randomJoint(game, 14);
  gc();
  const withGame = liveBytes();
  // One thread throughout, so that the series shows the growth of the work alone (S = 200 is on one thread anyway).
  const ev = createEvaluator(game, { threads: 1 });
  let sink = 0;
  let peak = liveBytes();
  const ms = medianOver(() => {
    sink += ev.evaluate(policy).gap[0];
    const b = liveBytes();
    if (b > peak) peak = b;
  }, S >= 200 ? 3000 : 2000, 5, 2);
  gc();
  const retained = liveBytes();
  if (S === 200) {
    const probBytes = game.kernel.prob.byteLength;
    const nextBytes = game.kernel.next.byteLength;
    const ref = quick ? null : referenceMs(game, policy, 1);
    line(`TV S = 200, H = 20, 4 x 4 (${(game.kernel.prob.length / 1e6).toFixed(1)} M kernel entries, ${(probBytes / 1e6).toFixed(0)} MB)`, ms, 80, ref, ev.threads);
    console.log(
      `  memory: game + evaluator + evaluations at peak ${((peak - base) / 1e6).toFixed(0)} MB = ${((peak - base) / probBytes).toFixed(3)} x the kernel's ` +
        `probabilities (target <= 1.3 x: ${(peak - base) / probBytes <= 1.3 ? 'met' : 'NOT met'}); of which the game ${((withGame - base) / 1e6).toFixed(0)} MB (CSR prob ${(probBytes / 1e6).toFixed(0)} MB + next ` +
        `${(nextBytes / 1e6).toFixed(0)} MB), the evaluator and its evaluations ${((peak - withGame) / 1e6).toFixed(1)} MB = ${((peak - withGame) / probBytes).toFixed(3)} x; ` +
        `retained after a collection (game + evaluator, no garbage) ${((retained - base) / 1e6).toFixed(0)} MB = ${((retained - base) / probBytes).toFixed(3)} x`,
    );
  }
  if (!Number.isFinite(sink)) console.log('(non-finite result)');
  return { ms, threads: ev.threads };
}

export async function run(): Promise<void> {
  const quick = process.env.DRMG_BENCH_QUICK === '1';
  const gc = collector();
  console.log(`dense kernels, radii in [0, 0.5) per (i, h, s), random correlated policy (every joint action played); load average ${loadavg()[0].toFixed(2)}`);
  const cases: [Divergence, number, number, number[], number | null][] = [
    ['tv', 20, 10, [3, 3], null],
    ['tv', 50, 20, [5, 5], 4],
    ['tv', 100, 20, [4, 4], 15],
    ['kl', 50, 20, [5, 5], 30],
  ];
  for (const [divergence, S, H, A, target] of cases) {
    const game = denseGame(11, S, H, A, divergence);
    const policy = randomJoint(game, 12);
    const ev = createEvaluator(game);
    let sink = 0;
    await startWorker(ev, policy);
    const ms = medianOver(() => (sink += ev.evaluate(policy).gap[0]), 2000, 10, 3);
    const threads = ev.threads;
    const ref = quick && (S >= 100 || divergence === 'kl') ? null : referenceMs(game, policy, divergence === 'kl' ? 1 : 3);
    line(`${divergence.toUpperCase()} S = ${S}, H = ${H}, ${A.join(' x ')}`, ms, target, ref, threads);
    if (threads === 2) {
      const single = createEvaluator(game, { threads: 1 });
      const one = medianOver(() => (sink += single.evaluate(policy).gap[0]), 2000, 10, 3);
      console.log(`  on one thread: ${one.toFixed(2)} ms${ref === null ? '' : ` (${(ref / one).toFixed(0)}x the reference)`}`);
    }
    if (divergence === 'tv' && S === 50) {
      // The floor of the exact TV evaluation: the same game with every radius 0 skips the walks down the sorted
      // order and leaves the nominal expectations (3 m multiply-adds per kernel entry), the guard and the mixing.
      const flat = createTabularGame({ S, H, A, initial: game.initial, reward: game.reward, kernel: game.kernel, divergence, radius: 0 });
      const evFlat = createEvaluator(flat);
      const floor = medianOver(() => (sink += evFlat.evaluate(policy).gap[0]), 1000, 10, 3);
      console.log(`  the same game with every radius 0 (nominal expectations, guard and mixing; no walks): ${floor.toFixed(2)} ms`);
    }
    if (!Number.isFinite(sink)) console.log('(non-finite result)');
  }

  // Time against S (H = 20, 4 x 4, TV, one thread): growth H S^2 J; the last point is the large game of the issue.
  const sizes = [25, 50, 100, 200];
  const runs = sizes.map((S) => timeAgainstS(S, quick, gc));
  const times = runs.map((x) => x.ms);
  const threadsUsed = runs.map((x) => x.threads);
  const perUnit = times.map((t, k) => (t * 1e6) / (20 * sizes[k] * sizes[k] * 16));
  console.log(`TV H = 20, 4 x 4, time against S: ${sizes.map((S, k) => `S = ${S}: ${times[k].toFixed(2)} ms (${threadsUsed[k]} thr.)`).join(', ')}`);
  console.log(`  ns per H S^2 J: ${perUnit.map((x) => x.toFixed(3)).join(', ')} (flat = H S^2 J growth)`);
}
