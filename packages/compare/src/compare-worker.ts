/**
 * The worker-thread side of `drmg compare`: imports the config's modules (custom environments and
 * learners register themselves when imported), runs one task and posts progress on the task's port.
 * Built, it is the worker entry itself (dist/compare-worker.js, plain node); from the sources it is loaded by
 * `compare-worker-dev.mjs`, which registers tsx's loader first (whatever started the main thread: node, tsx or vitest).
 */
import type { MessagePort } from 'node:worker_threads';
import { DrmgError } from '@drmg/core';
import { importCompareModules } from './resolve-compare-config.ts';
import { runCompareTask, type CompareRunOutput, type CompareTask } from './compare-task.ts';

/** What the pool posts to a worker: the task and, optionally, a port for progress messages. */
export interface CompareWorkerInput {
  readonly task: CompareTask;
  readonly port?: MessagePort;
}

const imported = new Set<string>();

/** A worker's answer: the run's output, or a DrmgError's parts (class and fields do not survive a thread boundary). */
export type CompareWorkerOutput = { readonly ok: CompareRunOutput } | { readonly error: { readonly kind: 'input' | 'internal'; readonly path: string; readonly detail: string } };

/** Runs `input.task` on this thread (see the file header); progress goes to `input.port` as CompareRunProgress messages. */
export default async function runCompareWorkerTask(input: CompareWorkerInput): Promise<CompareWorkerOutput> {
  const port = input.port;
  try {
    const fresh = input.task.config.modules.filter((m) => !imported.has(m));
    await importCompareModules(fresh);
    for (const m of fresh) imported.add(m);
    return { ok: await runCompareTask(input.task, port === undefined ? {} : { progress: (p) => port.postMessage(p) }) };
  } catch (e) {
    if (e instanceof DrmgError) return { error: { kind: e.kind, path: e.path, detail: e.detail } };
    throw e;
  } finally {
    port?.close();
  }
}
