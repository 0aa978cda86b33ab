/**
 * `runCompare`: every (learner, seed) run of a compare experiment, on a piscina pool of worker threads
 * (or on the main thread with `workers: 1`). Each run is a pure function of its task (`runCompareTask`),
 * so the results do not depend on the number of threads or the order in which runs finish: they are
 * collected by task index, learner by learner in config order, seed by seed.
 *
 * Stopping: when `signal` aborts (Ctrl-C), runs not yet started are dropped, running ones are stopped
 * (their worker threads terminated; on the main thread, at the next episode chunk), and the outcome
 * keeps every run that finished (`interrupted: true`).
 */
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { DrmgError, inputError } from '@drmg/core';
import type { CompareConfig } from './compare-config.ts';
import { makeScenarioEnv, planLearner, type LearnerPlan } from './compare-scenario.ts';
import { runCompareTask, type CompareRunOutput, type CompareRunProgress, type CompareTask } from './compare-task.ts';
import type { CompareWorkerOutput } from './compare-worker.ts';

/** One run as the progress display sees it. */
export interface CompareRunInfo {
  /** Index in the outcome's run order (learner-major, seed-minor over the learners that run). */
  readonly index: number;
  readonly learner: string;
  readonly seed: number;
  readonly episodes: number;
}

/** Receives progress: the list of runs, updates while they train, and each run's end. */
export interface CompareProgressSink {
  start(runs: readonly CompareRunInfo[], workers: number): void;
  update(index: number, progress: CompareRunProgress): void;
  /** A run finished (`output`) or was stopped / failed (null). */
  finish(index: number, output: CompareRunOutput | null): void;
  /** Everything ended (also after an interruption). */
  end(interrupted: boolean): void;
}

/** Options of `runCompare`. */
export interface RunCompareOptions {
  /** Worker threads: 1 runs on the main thread, n >= 2 on a pool of n threads; default (0) os.availableParallelism(). */
  readonly workers?: number;
  /** Stops the experiment, keeping what finished (see the file header). */
  readonly signal?: AbortSignal;
  readonly progress?: CompareProgressSink;
}

/** How each learner of the config takes part. */
export interface LearnerTakePart {
  readonly label: string;
  readonly name: string;
  readonly plan: LearnerPlan;
}

/** What `runCompare` returns. */
export interface CompareOutcome {
  readonly config: CompareConfig;
  readonly learners: readonly LearnerTakePart[];
  /** Every run planned (skipped learners have none), in order. */
  readonly planned: readonly CompareRunInfo[];
  /** runs[index]: the output of planned run `index`, or null when it did not finish. */
  readonly runs: readonly (CompareRunOutput | null)[];
  /** True when the signal stopped the experiment before every run finished. */
  readonly interrupted: boolean;
  /** Worker threads used (1: the main thread). */
  readonly workers: number;
  /** Wall-clock milliseconds of all runs together. */
  readonly wallMs: number;
}

/** A rough relative cost per episode of a learner, to start the slow runs first (it never changes results). */
function costOf(name: string): number {
  if (name === 'planner' || name === 'random') return 0.1;
  if (name === 'independent-q') return 0.3;
  return 1;
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || /abort/i.test(e.message));
}

/** The number of threads `workers` stands for (0: every core). */
export function resolveWorkers(workers: number | undefined): number {
  const n = workers ?? 0;
  if (!Number.isSafeInteger(n) || n < 0) inputError('workers', `expected an integer >= 0 (0: one per core), got ${JSON.stringify(workers)}`);
  return n === 0 ? Math.max(1, availableParallelism()) : n;
}

/**
 * Runs every (learner, seed) of `config` (see the file header); modules registering custom
 * environments or learners must already be imported on this thread (`importCompareModules`).
 * @throws DrmgError (rejects) when a learner cannot be created or a run fails on bad input; other errors as they come.
 */
export async function runCompare(config: CompareConfig, options: RunCompareOptions = {}): Promise<CompareOutcome> {
  const workers = resolveWorkers(options.workers);
  const game = makeScenarioEnv(config).model;
  const learners: LearnerTakePart[] = config.learners.map((l) => ({ label: l.label, name: l.name, plan: planLearner(config, game, l.name) }));
  const tasks: CompareTask[] = [];
  const planned: CompareRunInfo[] = [];
  learners.forEach((l, n) => {
    if (l.plan.kind === 'skip') return;
    for (const seed of config.seeds) {
      planned.push({ index: planned.length, learner: l.label, seed, episodes: config.episodes });
      tasks.push({ config, learner: n, plan: l.plan, seed });
    }
  });
  const runs: (CompareRunOutput | null)[] = tasks.map(() => null);
  const progress = options.progress;
  const signal = options.signal;
  progress?.start(planned, workers);
  const t0 = performance.now();
  let failure: unknown = null;
  // Slow learners first (a stable sort keeps config order among equals): better packing on the pool.
  const order = tasks.map((_, k) => k).sort((a, b) => costOf(config.learners[tasks[b].learner].name) - costOf(config.learners[tasks[a].learner].name));
  const inner = new AbortController();
  setMaxListeners(0, inner.signal); // one listener per queued run on the pool
  const onAbort = (): void => inner.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) inner.abort();

  const settle = (k: number, out: CompareRunOutput | null, e?: unknown): void => {
    if (out !== null) runs[k] = out;
    else if (e !== undefined && !isAbort(e) && failure === null) {
      failure = e;
      inner.abort(); // one failed run stops the experiment
    }
    progress?.finish(k, out);
  };

  try {
    if (workers === 1) {
      for (const k of order) {
        if (inner.signal.aborted) break;
        try {
          settle(k, await runCompareTask(tasks[k], { signal: inner.signal, progress: (p) => progress?.update(k, p) }));
        } catch (e) {
          settle(k, null, e);
        }
      }
    } else {
      const { Piscina } = await import('piscina');
      const pool = new Piscina({
        // From the TypeScript sources (inside the repository) the dev entry loads them with tsx; built, plain JS.
        filename: new URL(import.meta.url.endsWith('.ts') ? './compare-worker-dev.mjs' : './compare-worker.js', import.meta.url).href,
        minThreads: Math.min(workers, tasks.length || 1),
        maxThreads: workers,
        idleTimeout: 1000,
      });
      try {
        await Promise.all(
          order.map(async (k) => {
            const channel = new MessageChannel();
            channel.port2.on('message', (p: CompareRunProgress) => progress?.update(k, p));
            try {
              const answer = (await pool.run({ task: tasks[k], port: channel.port1 }, { transferList: [channel.port1], signal: inner.signal })) as CompareWorkerOutput;
              if ('error' in answer) throw new DrmgError(answer.error.kind, answer.error.path, answer.error.detail);
              settle(k, answer.ok);
            } catch (e) {
              settle(k, null, e);
            } finally {
              channel.port2.close();
            }
          }),
        );
      } finally {
        await pool.destroy();
      }
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const interrupted = runs.some((r) => r === null);
  progress?.end(interrupted);
  if (failure !== null) throw failure;
  return { config, learners, planned, runs, interrupted, workers, wallMs: performance.now() - t0 };
}
