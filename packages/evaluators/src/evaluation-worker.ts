/**
 * The worker thread of a two-thread evaluation (see `parallel-evaluation.ts`): runs the recursions of the agents it
 * is handed on the shared copies of the game, writes their step-0 rows and signals, in a loop, until terminated.
 * Built, it is the worker entry itself (dist/evaluation-worker.js, plain node); from the sources it is loaded by
 * `evaluation-worker-dev.mjs`, which registers tsx's loader first.
 */
import { workerData } from 'node:worker_threads';
import { DONE, FAILED, FLAGS, I0, I1, READY, SEQ, sharedGame } from './parallel-evaluation.ts';
import type { ParallelData } from './parallel-evaluation.ts';
import { createRecursions } from './recursions.ts';

/** Serves the jobs of one evaluator until it signals the end (SEQ = -1) or terminates the thread. */
export function serveEvaluationJobs(d: ParallelData): void {
  const { m, S } = d;
  const game = sharedGame(d);
  const rec = createRecursions(game);
  const control = d.control;
  Atomics.store(control, READY, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, SEQ, seen);
    const seq = Atomics.load(control, SEQ);
    if (seq < 0) return; // the evaluator ended
    if (seq === seen) continue;
    seen = seq;
    let failed = 0;
    try {
      const flags = control[FLAGS], i0 = control[I0], i1 = control[I1];
      const doB = (flags & 2) !== 0, doC = (flags & 4) !== 0;
      rec.run(d.pi, i0, i1, (flags & 1) !== 0, doB, doC, null);
      for (let i = i0; i < i1; i++) {
        d.out.set(rec.tabV[i].subarray(0, S), i * S);
        if (doB) d.out.set(rec.tabB[i].subarray(0, S), (m + i) * S);
        if (doC) d.out.set(rec.tabC[i].subarray(0, S), (2 * m + i) * S);
      }
    } catch {
      failed = 1;
    }
    Atomics.store(control, FAILED, failed);
    Atomics.store(control, DONE, seq);
    Atomics.notify(control, DONE);
  }
}

if (workerData !== null && typeof workerData === 'object' && (workerData as ParallelData).control instanceof Int32Array) {
  serveEvaluationJobs(workerData as ParallelData);
}
