/**
 * Exact robust evaluation at S = 50, H = 20, two agents x 5 actions (J = 25), random kernel (each row on a
 * random support of 1..S next states, mean ~S/2; randomGame's default), radii per agent in [0, 0.3):
 * median wall time of value + best response + swap best response (3 passes x 2 agents x 25,000 sigma
 * rows) for a random correlated policy, of the value pass alone, of a product policy (whose swap pass is
 * skipped: C = B), and of one worst-case kernel, for TV and KL.
 * Targets (brief): full evaluation under 10 ms (TV) and 100 ms (KL).
 * Also prints the median process CPU time of the full evaluation and the 1-minute load average: on a
 * shared machine the wall median moves with the load, the CPU time much less.
 */
import { createProductPolicy, createRng, deterministicPolicy, randomGame } from '../packages/core/src/index.ts';
import type { JointPolicy, TabularGame } from '../packages/core/src/index.ts';
import { createEvaluator } from '../packages/evaluators/src/index.ts';
import { loadavg } from 'node:os';
import { medianMs } from './timing.ts';

/** Median process CPU time (user + system, ms) of `fn` over `reps` runs after `warmup` runs. */
function medianCpuMs(fn: () => void, reps: number, warmup: number): number {
  for (let k = 0; k < warmup; k++) fn();
  const t: number[] = [];
  for (let k = 0; k < reps; k++) {
    const c0 = process.cpuUsage();
    fn();
    const c = process.cpuUsage(c0);
    t.push((c.user + c.system) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

function randomJointPolicy(game: TabularGame, seed: number): JointPolicy {
  const rng = createRng(seed);
  const prob = new Float64Array(game.H * game.S * game.J);
  for (let r = 0; r < game.H * game.S; r++) {
    let sum = 0;
    for (let j = 0; j < game.J; j++) sum += prob[r * game.J + j] = rng();
    for (let j = 0; j < game.J; j++) prob[r * game.J + j] /= sum;
  }
  return { kind: 'joint', H: game.H, S: game.S, J: game.J, prob };
}

export async function run(): Promise<void> {
  const S = 50;
  const H = 20;
  const A = [5, 5];
  for (const divergence of ['tv', 'kl'] as const) {
    const game = randomGame(7, { S, H, A, divergence, maxRadius: 0.3 });
    const policy = randomJointPolicy(game, 8);
    const evaluator = createEvaluator(game);
    const reps = divergence === 'tv' ? 60 : 20;
    let sink = 0;
    const full = medianMs(() => (sink += evaluator.evaluate(policy).gap[0]), reps, 5);
    const value = medianMs(() => (sink += evaluator.evaluate(policy, { bestResponse: false, swap: false }).value[0]), reps, 5);
    const uniform = createProductPolicy(game, (i) => new Array<number>(A[i]).fill(1 / A[i]));
    const product = medianMs(() => (sink += evaluator.evaluate(uniform).gap[0]), reps, 5);
    const fullCpu = medianCpuMs(() => (sink += evaluator.evaluate(policy).gap[0]), reps, 2);
    const valueCpu = medianCpuMs(() => (sink += evaluator.evaluate(policy, { bestResponse: false, swap: false }).value[0]), reps, 2);
    const kernel = medianMs(() => (sink += evaluator.worstCaseKernel(policy, 0).prob[0]), Math.max(10, reps / 2), 3);
    const rows = 3 * 2 * H * S * game.J;
    const label = divergence.toUpperCase();
    console.log(`evaluation ${label} S=${S} H=${H} A=[5,5]: value+BR+swap ${full.toFixed(2)} ms (${((rows / full) * 1e-3).toFixed(2)} M sigma rows/s)`);
    console.log(`evaluation ${label} S=${S} H=${H} A=[5,5]: CPU time value+BR+swap ${fullCpu.toFixed(2)} ms, value only ${valueCpu.toFixed(2)} ms (load average ${loadavg()[0].toFixed(2)})`);
    console.log(`evaluation ${label} S=${S} H=${H} A=[5,5]: value only ${value.toFixed(2)} ms; product policy (swap = BR, 2 passes) ${product.toFixed(2)} ms; worst-case kernel (one agent) ${kernel.toFixed(2)} ms`);
    // A deterministic joint policy (what learners converge to): the evaluator computes only the rows it plays
    // (value pass) and the rows of deviations against it (best-response and swap passes).
    const pure = deterministicPolicy(game, (h, s) => (h * 7 + s * 3) % game.J);
    const pureMs = medianMs(() => (sink += evaluator.evaluate(pure).gap[0]), reps, 5);
    console.log(`evaluation ${label} S=${S} H=${H} A=[5,5]: deterministic joint policy, value+BR+swap ${pureMs.toFixed(2)} ms`);
    if (!Number.isFinite(sink)) console.log('(non-finite result)');
  }
}
