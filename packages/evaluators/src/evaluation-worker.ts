/**
 * The worker thread of a two-thread evaluation (see `parallel-evaluation.ts`): runs every agent's recursions over the
 * states [SPLIT, S) of each step it is handed, on the shared copies of the game and the shared value tables, meeting
 * the calling thread at a barrier after each step, in a loop, until terminated.
 * Built, it is the worker entry itself (dist/evaluation-worker.js, plain node); from the sources it is loaded by
 * `evaluation-worker-dev.mjs`, which registers tsx's loader first.
 */
import { workerData } from 'node:worker_threads';
import { ABORT, ARRIVE_MAIN, ARRIVE_WORKER, DONE, FAILED, FAILED_ARRIVAL, FLAGS, READY, SEQ, SPLIT, sharedGame, waitAtLeast } from './parallel-evaluation.ts';
import type { ParallelData } from './parallel-evaluation.ts';
import { createRecursions } from './recursions.ts';

/** Thrown through the recursions when the calling thread abandoned the job (or the evaluator ended). */
const ABANDONED = new Error('abandoned');

/** Serves the jobs of one evaluator until it signals the end (SEQ = -1) or terminates the thread. */
export function serveEvaluationJobs(d: ParallelData): void {
  const { m, S, H } = d;
  const game = sharedGame(d);
  const rec = createRecursions(game, d.tables);
  const control = d.control;
  // The caller may wait at a barrier for as long as it likes (its guard, a debugger); an abandoned job or the end of the
  // evaluator stops the wait.
  const stop = (): boolean => Atomics.load(control, ABORT) !== 0 || Atomics.load(control, SEQ) < 0;
  let started = 0;
  let waited = 0;
  function step(h: number): void {
    const k = H - h;
    // The busy time is read by the caller after it sees the last arrival.
    if (h === 0) d.stats[0] = performance.now() - started - waited;
    Atomics.store(control, ARRIVE_WORKER, k);
    Atomics.notify(control, ARRIVE_WORKER);
    if (h === 0) return; // the caller reads step 0 once it sees this arrival; nothing left to wait for
    const t = performance.now();
    const ok = waitAtLeast(control, ARRIVE_MAIN, k, Infinity, stop);
    waited += performance.now() - t;
    if (!ok) throw ABANDONED;
  }
  Atomics.store(control, READY, 1);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, SEQ, seen);
    const seq = Atomics.load(control, SEQ);
    if (seq < 0) return; // the evaluator ended
    if (seq === seen) continue;
    seen = seq;
    started = performance.now();
    waited = 0;
    try {
      const flags = control[FLAGS];
      rec.run(d.pi, 0, m, (flags & 1) !== 0, (flags & 2) !== 0, (flags & 4) !== 0, null, { s0: control[SPLIT], s1: S, step });
    } catch (e) {
      if (e !== ABANDONED) {
        Atomics.store(control, FAILED, 1);
        Atomics.store(control, ARRIVE_WORKER, FAILED_ARRIVAL);
        Atomics.notify(control, ARRIVE_WORKER);
      }
    }
    Atomics.store(control, DONE, seq);
    Atomics.notify(control, DONE);
  }
}

if (workerData !== null && typeof workerData === 'object' && (workerData as ParallelData).control instanceof Int32Array) {
  serveEvaluationJobs(workerData as ParallelData);
}
