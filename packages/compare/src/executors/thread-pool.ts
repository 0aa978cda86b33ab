/**
 * The worker threads that compute compare cells: a piscina pool whose entry is compare-worker.ts (built:
 * dist/compare-worker.js, plain node; from the TypeScript sources: compare-worker-dev.mjs, which registers tsx's
 * loader in the thread first). Used by the local executor and by `drmg worker`, whose main thread then stays free
 * for the queue (lock renewal, progress) while the threads compute.
 */
import { MessageChannel } from 'node:worker_threads';
import { DrmgError } from '@drmg/core';
import type { Piscina } from 'piscina';
import type { CompareRunOutput, CompareRunProgress, CompareTask } from '../compare-task.ts';
import type { CompareWorkerOutput } from '../compare-worker.ts';

/** A pool of `threads` worker threads for compare tasks (started at once, so that the first cells do not wait). */
export async function createComparePool(threads: number): Promise<Piscina> {
  const { Piscina } = await import('piscina');
  return new Piscina({
    filename: new URL(import.meta.url.endsWith('.ts') ? '../compare-worker-dev.mjs' : '../compare-worker.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000,
  });
}

/**
 * Runs one task on the pool; progress messages go to `onProgress`.
 * @throws DrmgError (rejects) as the task threw it (its kind, path and detail cross the thread boundary); an AbortError when `signal` aborts.
 */
export async function runOnPool(pool: Piscina, task: CompareTask, signal: AbortSignal, onProgress: (p: CompareRunProgress) => void): Promise<CompareRunOutput> {
  const channel = new MessageChannel();
  channel.port2.on('message', onProgress);
  try {
    const answer = (await pool.run({ task, port: channel.port1 }, { transferList: [channel.port1], signal })) as CompareWorkerOutput;
    if ('error' in answer) throw new DrmgError(answer.error.kind, answer.error.path, answer.error.detail);
    return answer.ok;
  } finally {
    channel.port2.close();
  }
}

/** True for the error a stopped task rejects with. */
export function isAbortError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || /abort/i.test(e.message));
}
