/** Shared timing helpers for benchmarks: warm up, then the median of repeated runs; an evaluator's second thread up. */
import type { Policy } from '../packages/core/src/index.ts';
import type { Evaluator } from '../packages/evaluators/src/index.ts';
import { PARALLEL_MAX_ENTRIES, PARALLEL_MIN_ENTRIES, coreIsFree } from '../packages/evaluators/src/parallel-evaluation.ts';

/** Median milliseconds of `fn` over `reps` runs after `warmup` runs. */
export function medianMs(fn: () => void, reps = 30, warmup = 5): number {
  for (let k = 0; k < warmup; k++) fn();
  const t: number[] = [];
  for (let k = 0; k < reps; k++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  t.sort((a, b) => a - b);
  return t[Math.floor(t.length / 2)];
}

/**
 * Evaluates `policy` until an evaluator that will use two threads has its worker up (it starts in the background,
 * ~0.1-0.3 s from the sources; at most ~5 s; not on a busy machine), so that a timing measures evaluations, not the
 * worker's start.
 */
export async function startWorker(ev: Evaluator, policy: Policy): Promise<void> {
  ev.evaluate(policy);
  const entries = ev.game.kernel.prob.length;
  const eligible = ev.game.m >= 2 && entries >= PARALLEL_MIN_ENTRIES && entries <= PARALLEL_MAX_ENTRIES;
  for (let k = 0; k < 100 && eligible && coreIsFree() && ev.threads !== 2; k++) {
    await new Promise((r) => setTimeout(r, 50));
    ev.evaluate(policy);
  }
}
