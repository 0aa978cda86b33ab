/**
 * The executor of a compare run: what runs its cells. One interface, two implementations:
 *  - `localExecutor` (the default): the worker threads of this process, or its main thread (executors/local.ts);
 *  - `bullmqExecutor`: jobs on a BullMQ queue in Redis, run by `drmg worker` processes on any machine (executors/bullmq.ts).
 *
 * An executor only computes: `runCompare` plans the cells, skips those already done (a resumed run), and receives each
 * output through `ExecutorHooks.done` as it arrives (the journal line is written there); the order in which cells
 * finish never changes the results, which are collected by cell index.
 */
import type { CompareCell } from '../compare-cell.ts';
import type { CompareRunOutput, CompareRunProgress } from '../compare-task.ts';

/** Where the cells run, as the progress line and the summary say it. */
export interface ExecutorPlace {
  /** Workers used: threads of this process (1: the main thread) or worker processes seen on the queue. */
  readonly workers: number;
  /** `the main thread`, `2 worker threads`, `2 drmg workers on the bullmq queue drmg-compare at redis://...`. */
  readonly text: string;
}

/** What an executor reports while it runs (called on the main thread). */
export interface ExecutorHooks {
  /** Before the first cell: where the cells run. */
  start(place: ExecutorPlace): void;
  /** A cell's progress (throttled by the worker). */
  progress(index: number, progress: CompareRunProgress): void;
  /** A cell's output, once per cell; an exception thrown here (a write error) stops the run and is rethrown by `run`. */
  done(index: number, output: CompareRunOutput): void;
}

/** The context of one execution. */
export interface ExecutorContext {
  /** Stops the run: cells not started are dropped, running ones stopped (local) or handed back (queue). */
  readonly signal: AbortSignal;
  /** A stable id of the run (its folder): names its jobs on a queue across resumes. */
  readonly runId: string;
  /**
   * Hashes of the run's cells already in its journal (a resume): a queue removes whatever it still holds for them
   * (a coordinator killed between writing a cell's line and removing its job leaves the job behind).
   */
  readonly finished?: readonly string[];
}

/** What ran the cells, when `run` returns. */
export interface ExecutorSummary extends ExecutorPlace {
  /** Distinct workers that finished cells (bullmq: host:pid of each `drmg worker`); empty for local. */
  readonly seen: readonly string[];
}

/** Runs compare cells (see the file header). */
export interface CompareExecutor {
  /** `local` or `bullmq`. */
  readonly kind: string;
  /** Checks that the executor can run (a queue: its Redis answers), before the run folder is claimed. @throws DrmgError ('input') when not. */
  check?(): Promise<void>;
  /**
   * Runs `cells` (all of them, or until `context.signal` aborts), reporting through `hooks`.
   * @throws DrmgError (rejects) naming the cell when a cell fails (after its retries, on a queue); the cells done before are reported.
   */
  run(cells: readonly CompareCell[], hooks: ExecutorHooks, context: ExecutorContext): Promise<ExecutorSummary>;
}
