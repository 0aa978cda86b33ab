/**
 * The `local` executor (the default): the cells of a compare run on a piscina pool of worker threads of this
 * process, or on its main thread with `workers: 1` (training yields every 30 ms there, so that a signal is seen).
 * Threads are capped at the cores available (os.availableParallelism()) unless `oversubscribe` is set, and never
 * outnumber the cells to run: the place reported is the number actually started. Slow learners start first (a
 * better packing; it never changes the results). The first cell that fails stops the others and is rethrown.
 */
import { availableParallelism } from 'node:os';
import { setMaxListeners } from 'node:events';
import { inputError } from '@drmg/core';
import type { CompareCell } from '../compare-cell.ts';
import { runCompareTask } from '../compare-task.ts';
import type { CompareExecutor, ExecutorContext, ExecutorHooks, ExecutorSummary } from './executor.ts';
import { createComparePool, isAbortError, runOnPool } from './thread-pool.ts';

/** Options of `localExecutor`. */
export interface LocalExecutorOptions {
  /** Worker threads: 1 runs on the main thread, n >= 2 on a pool of n threads; 0 or absent: one per core. */
  readonly workers?: number;
  /** Allow more threads than cores (default false: `workers` is capped at the cores available). */
  readonly oversubscribe?: boolean;
}

/** The number of threads `workers` stands for (0: every core), before any cap. */
export function resolveWorkers(workers: number | undefined): number {
  const n = workers ?? 0;
  if (!Number.isSafeInteger(n) || n < 0) inputError('workers', `expected an integer >= 0 (0: one per core), got ${JSON.stringify(workers)}`);
  return n === 0 ? Math.max(1, availableParallelism()) : n;
}

/**
 * A rough relative cost per episode of a learner, to start the slow runs first (it never changes results). Measured
 * by `pnpm bench compare` on the default scenario: MORNAVI-KL (KL sigma in every planning step) about twice
 * MORNAVI-TV and Nash-VI; the decentralised and known-model learners a small fraction.
 */
function costOf(name: string): number {
  if (name === 'planner' || name === 'random') return 0.1;
  if (name === 'independent-q' || name === 'v-learning' || name === 'robust-v-learning' || name === 'robust-q') return 0.3;
  if (name === 'mornavi-kl') return 2;
  return 1;
}

/** The threads a run of `cells` cells uses: 1 on the main thread, or a pool size (see the file header). */
export function localThreads(options: LocalExecutorOptions, cells: number): { threads: number; mainThread: boolean; note: string } {
  const asked = resolveWorkers(options.workers);
  const cores = Math.max(1, availableParallelism());
  const capped = options.oversubscribe === true ? asked : Math.min(asked, cores);
  const note = capped < asked ? ` (--workers ${asked} capped at the ${cores} cores available; --oversubscribe to use more)` : '';
  if (capped === 1) return { threads: 1, mainThread: true, note };
  return { threads: Math.max(1, Math.min(capped, cells)), mainThread: false, note };
}

/** The local executor (see the file header). */
export function localExecutor(options: LocalExecutorOptions = {}): CompareExecutor {
  resolveWorkers(options.workers);
  return {
    kind: 'local',
    async run(cells: readonly CompareCell[], hooks: ExecutorHooks, context: ExecutorContext): Promise<ExecutorSummary> {
      const { threads, mainThread, note } = localThreads(options, cells.length);
      const place = { workers: threads, text: `${mainThread ? 'the main thread' : `${threads} worker thread${threads === 1 ? '' : 's'}`}${note}` };
      hooks.start(place);
      if (cells.length === 0) return { ...place, seen: [] };
      const inner = new AbortController();
      setMaxListeners(0, inner.signal); // one listener per queued cell on the pool
      const onAbort = (): void => inner.abort();
      context.signal.addEventListener('abort', onAbort, { once: true });
      if (context.signal.aborted) inner.abort();
      let failure: unknown = null;
      const fail = (e: unknown): void => {
        if (failure === null) failure = e;
        inner.abort(); // one failed cell (or a journal that cannot be written) stops the run
      };
      const order = [...cells].sort((a, b) => costOf(b.task.config.learners[b.task.learner].name) - costOf(a.task.config.learners[a.task.learner].name));
      try {
        if (mainThread) {
          for (const cell of order) {
            if (inner.signal.aborted) break;
            try {
              const out = await runCompareTask(cell.task, { signal: inner.signal, progress: (p) => hooks.progress(cell.index, p) });
              hooks.done(cell.index, out);
            } catch (e) {
              if (!isAbortError(e)) fail(e);
            }
          }
        } else {
          const pool = await createComparePool(threads);
          try {
            await Promise.all(
              order.map(async (cell) => {
                try {
                  const out = await runOnPool(pool, cell.task, inner.signal, (p) => hooks.progress(cell.index, p));
                  hooks.done(cell.index, out);
                } catch (e) {
                  if (!isAbortError(e)) fail(e);
                }
              }),
            );
          } finally {
            await pool.destroy();
          }
        }
      } finally {
        context.signal.removeEventListener('abort', onAbort);
      }
      if (failure !== null) throw failure;
      return { ...place, seen: [] };
    },
  };
}
