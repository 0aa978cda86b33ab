/**
 * `runCompare`: the cells of a compare experiment, one per (learner, seed) (`planCompare`: each with its content
 * hash, compare-cell.ts), run by an executor: the worker threads of this process by default (`localExecutor`), or
 * a queue (`bullmqExecutor`). Each cell is a pure function of its task (`runCompareTask`), so the results do not
 * depend on the executor, the number of workers or the order in which cells finish: they are collected by cell
 * index, learner by learner in config order, seed by seed.
 *
 * Cells already done (`done`, from a run folder's journal) are never recomputed; every cell computed here is
 * handed to `onCell` as it finishes (the journal line), before anything else sees it.
 *
 * Stopping: when `signal` aborts (Ctrl-C), cells not yet started are dropped, running ones are stopped, and the
 * outcome keeps every cell that finished (`interrupted: true`).
 */
import { randomUUID } from 'node:crypto';
import type { CompareConfig } from './compare-config.ts';
import { cellHash, scenarioIdentity, type CompareCell } from './compare-cell.ts';
import { makeScenarioEnv, planLearner, type LearnerPlan } from './compare-scenario.ts';
import type { CompareRunOutput, CompareRunProgress, CompareTask } from './compare-task.ts';
import type { CompareExecutor } from './executors/executor.ts';
import { localExecutor } from './executors/local.ts';

export { resolveWorkers } from './executors/local.ts';

/** One run as the progress display sees it. */
export interface CompareRunInfo {
  /** Index in the outcome's run order (learner-major, seed-minor over the learners that run). */
  readonly index: number;
  readonly learner: string;
  readonly seed: number;
  readonly episodes: number;
}

/** Where the runs go and what is done already, as `CompareProgressSink.start` receives it. */
export interface CompareStartInfo {
  /** `the main thread`, `2 worker threads`, `2 drmg workers on the bullmq queue ...`. */
  readonly where?: string;
  /** Indexes of the runs done already (a resumed run). */
  readonly done?: readonly number[];
}

/** Receives progress: the list of runs, updates while they train, and each run's end. */
export interface CompareProgressSink {
  start(runs: readonly CompareRunInfo[], workers: number, info?: CompareStartInfo): void;
  update(index: number, progress: CompareRunProgress): void;
  /** A run finished (`output`) or was stopped / failed (null). */
  finish(index: number, output: CompareRunOutput | null): void;
  /** Everything ended (also after an interruption). */
  end(interrupted: boolean): void;
}

/** Options of `runCompare`. */
export interface RunCompareOptions {
  /** Worker threads of the default local executor: 1 runs on the main thread, n >= 2 on a pool of n threads; default (0) one per core, capped at the cores. */
  readonly workers?: number;
  /** Let the local executor start more threads than cores. */
  readonly oversubscribe?: boolean;
  /** What runs the cells (default: `localExecutor({ workers, oversubscribe })`). */
  readonly executor?: CompareExecutor;
  /** Stops the experiment, keeping what finished (see the file header). */
  readonly signal?: AbortSignal;
  readonly progress?: CompareProgressSink;
  /** Outputs of cells done already, by cell hash: never recomputed. */
  readonly done?: ReadonlyMap<string, CompareRunOutput>;
  /** Called once per cell computed by this call, as it finishes; an exception (a write error) stops the run and is rethrown. */
  readonly onCell?: (cell: CompareCell, output: CompareRunOutput) => void;
  /** A stable id of the run (names its jobs on a queue across resumes; default: a random one). */
  readonly runId?: string;
  /** The plan, when the caller made it already (`planCompare`). */
  readonly plan?: ComparePlan;
}

/** How each learner of the config takes part. */
export interface LearnerTakePart {
  readonly label: string;
  readonly name: string;
  readonly plan: LearnerPlan;
}

/** The cells of an experiment, in run order. */
export interface ComparePlan {
  readonly config: CompareConfig;
  readonly learners: readonly LearnerTakePart[];
  readonly cells: readonly CompareCell[];
  /** The cells as the progress display sees them. */
  readonly planned: readonly CompareRunInfo[];
}

/** What `runCompare` returns. */
export interface CompareOutcome {
  readonly config: CompareConfig;
  readonly learners: readonly LearnerTakePart[];
  /** Every run planned (skipped learners have none), in order. */
  readonly planned: readonly CompareRunInfo[];
  /** The cells, in the same order (hash and task). */
  readonly cells: readonly CompareCell[];
  /** runs[index]: the output of planned run `index`, or null when it did not finish. */
  readonly runs: readonly (CompareRunOutput | null)[];
  /** True when the signal stopped the experiment before every run finished. */
  readonly interrupted: boolean;
  /** Workers used (threads of this process, 1: the main thread; or drmg workers seen on a queue). */
  readonly workers: number;
  /** Where the runs went, as text (`2 worker threads`, ...). */
  readonly where: string;
  /** Runs that were done already (a resumed run) and were not recomputed. */
  readonly reused: number;
  /** Wall-clock milliseconds of the runs computed by this call. */
  readonly wallMs: number;
}

/**
 * The cells of `config` (see the file header); modules registering custom environments or learners must be
 * imported, and a simulator's model loaded (`loadScenarioModel`).
 * @throws DrmgError ('input') when a game file or a module cannot be read.
 */
export function planCompare(config: CompareConfig): ComparePlan {
  const game = makeScenarioEnv(config).model;
  const learners: LearnerTakePart[] = config.learners.map((l) => ({ label: l.label, name: l.name, plan: planLearner(config, game, l.name) }));
  const identity = scenarioIdentity(config);
  const cells: CompareCell[] = [];
  const planned: CompareRunInfo[] = [];
  learners.forEach((l, n) => {
    if (l.plan.kind === 'skip') return;
    for (const seed of config.seeds) {
      const index = cells.length;
      const task: CompareTask = { config, learner: n, plan: l.plan, seed };
      cells.push({ index, hash: cellHash(config, identity, n, l.plan, seed), task, learner: l.label, seed });
      planned.push({ index, learner: l.label, seed, episodes: config.episodes });
    }
  });
  return { config, learners, cells, planned };
}

/**
 * Runs every cell of `config` not done already (see the file header); modules registering custom environments
 * or learners must already be imported on this thread (`importCompareModules`).
 * @throws DrmgError (rejects) when a learner cannot be created or a cell fails on bad input (after its retries, on a
 * queue), or when `onCell` throws; other errors as they come.
 */
export async function runCompare(config: CompareConfig, options: RunCompareOptions = {}): Promise<CompareOutcome> {
  const plan = options.plan ?? planCompare(config);
  const { cells, planned, learners } = plan;
  const executor = options.executor ?? localExecutor({ workers: options.workers, oversubscribe: options.oversubscribe });
  const runs: (CompareRunOutput | null)[] = cells.map((c) => options.done?.get(c.hash) ?? null);
  const reused = runs.filter((r) => r !== null).length;
  const todo = cells.filter((c) => runs[c.index] === null);
  const progress = options.progress;
  const signal = options.signal ?? new AbortController().signal;
  let where = '';
  let workers = 0;
  const t0 = performance.now();
  let failure: unknown = null;
  try {
    const summary = await executor.run(
      todo,
      {
        start(place) {
          where = place.text;
          workers = place.workers;
          progress?.start(planned, place.workers, { where: place.text, done: runs.flatMap((r, k) => (r !== null ? [k] : [])) });
        },
        progress(index, p) {
          progress?.update(index, p);
        },
        done(index, output) {
          if (runs[index] !== null) return; // a queue may deliver a cell twice (a redelivered job): the first one counts
          options.onCell?.(cells[index], output);
          runs[index] = output;
          progress?.finish(index, output);
        },
      },
      { signal, runId: options.runId ?? randomUUID().replace(/-/g, '').slice(0, 16), finished: cells.filter((c) => runs[c.index] !== null).map((c) => c.hash) },
    );
    where = summary.text;
    workers = summary.workers;
  } catch (e) {
    failure = e;
  }
  runs.forEach((r, k) => {
    if (r === null) progress?.finish(k, null);
  });
  const interrupted = runs.some((r) => r === null);
  progress?.end(interrupted && failure === null);
  if (failure !== null) throw failure;
  return { config, learners, planned, cells, runs, interrupted, workers, where, reused, wallMs: performance.now() - t0 };
}
