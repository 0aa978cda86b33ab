/**
 * Exact evaluation on two threads for large games: both threads run every agent's recursions (`recursions.ts`), each
 * over its own range of the states of every step, writing value tables in shared memory; a barrier after each step
 * (step h reads all of V_{h+1}, B_{h+1}, C_{h+1}). The worker reads SharedArrayBuffer copies of the game's kernel,
 * rewards and radii (taken when they had just been checked), the calling thread the game's own arrays. The calling
 * thread takes states [0, split), the worker [split, S); the calling thread also checks the game's checksums (before
 * each step, the kernel rows of that step that either thread reads), so it takes fewer states: `split` follows the
 * measured times of the previous evaluations (`splitFor`, `nextOverhead`). A state's numbers do not depend on the thread
 * that computes them (each thread has its own workspaces and loads every V in full), so the results are those of one
 * thread, bit for bit, whatever the split.
 *
 * Used by `createEvaluator` when it pays: at least two agents and two cores, the main thread (a thread pool's worker
 * leaves the other cores to its siblings), and a kernel of PARALLEL_MIN_ENTRIES to
 * PARALLEL_MAX_ENTRIES stored entries (below, the hand-off costs more than it saves; above, the copy of the kernel
 * would cost more memory than a second core is worth). The worker starts in the background: evaluations run on one
 * thread until it is up, and while the machine is oversubscribed (`coreIsFree`). It is unref'd (it never keeps a
 * process alive) and ends with its evaluator.
 *
 * Hand-off (no messages, no event loop): an Int32Array of control words over a SharedArrayBuffer; the caller writes
 * the policy table into shared memory, resets the step counters, bumps SEQ and notifies; the worker, blocked in
 * Atomics.wait on SEQ, runs its states. After the k-th step (k = 1..H) of a job each thread stores k in its own counter
 * (ARRIVE_MAIN, ARRIVE_WORKER), notifies, and waits until the other's counter reaches k: a short spin on Atomics.load,
 * then Atomics.wait. The worker does not wait after the last step; it records its busy time, then sets DONE = SEQ.
 * A worker that fails sets FAILED and an ARRIVE_WORKER past any step; one that does not arrive within 60 s is given up:
 * either way the evaluation is redone on one thread. A caller that throws mid-job (the guard) sets ABORT, and the
 * worker, waiting at the next barrier, ends the job.
 */
import { Worker, isMainThread } from 'node:worker_threads';
import { availableParallelism, loadavg } from 'node:os';
import type { StateIndexArray, TabularGame } from '@drmg/core';

/** Fewest stored kernel entries for which two threads pay (~3 ms of work; S = 50, H = 20, J = 25 dense has 1.25 M). */
export const PARALLEL_MIN_ENTRIES = 400_000;
/** Most stored kernel entries copied into shared memory for a second thread (10 bytes each, 12 when S > 65,536). */
export const PARALLEL_MAX_ENTRIES = 8_000_000;

/**
 * Control words: job sequence, last job done, worker ready, job flags (bit 0 V, 1 B, 2 C), job failed, the worker's
 * first state (it computes [SPLIT, S)), job aborted by the caller; then the two step counters, each on a cache line of
 * its own (64 bytes apart), read in a spin by the other thread.
 */
export const SEQ = 0, DONE = 1, READY = 2, FLAGS = 3, FAILED = 4, SPLIT = 5, ABORT = 6, ARRIVE_MAIN = 16, ARRIVE_WORKER = 32, CONTROL_WORDS = 48;

/** The ARRIVE_WORKER of a failed worker: past any step, so that a waiting caller wakes at once. */
export const FAILED_ARRIVAL = 0x3fffffff;

/**
 * How long (ms) a barrier spins on Atomics.load before it sleeps in Atomics.wait. Waits that ended in Atomics.wait
 * took 30 to 70 us (2-core VM: the futex and the idle core's wake-up), where a step of S = 50, 5 x 5 takes ~200 us and
 * the threads of a balanced step arrive within ~10 us of each other: a spin of this length catches nearly all of them
 * (measured: the caller's waits fell from ~0.2 to ~0.05 ms per evaluation), and costs at most H of it per evaluation
 * when the other thread is late, as on a busy machine (where 'auto' keeps to one thread).
 */
const SPIN_MS = 0.05;

/**
 * Waits until control[idx] >= k: a spin of SPIN_MS, then Atomics.wait in slices of 20 ms. Returns false when
 * `stop()` says so between slices, or `deadline` (performance.now() time) has passed.
 */
export function waitAtLeast(control: Int32Array, idx: number, k: number, deadline: number, stop: (() => boolean) | null): boolean {
  if (Atomics.load(control, idx) >= k) return true;
  const until = performance.now() + SPIN_MS;
  do {
    for (let n = 0; n < 64; n++) if (Atomics.load(control, idx) >= k) return true;
  } while (performance.now() < until);
  for (;;) {
    const v = Atomics.load(control, idx);
    if (v >= k) return true;
    if ((stop !== null && stop()) || performance.now() > deadline) return false;
    Atomics.wait(control, idx, v, 20);
  }
}

/** What the worker receives: sizes, the shared copies, the policy table and the shared value tables. */
export interface ParallelData {
  readonly m: number;
  readonly S: number;
  readonly H: number;
  readonly J: number;
  readonly A: readonly number[];
  readonly divergence: TabularGame['divergence'];
  readonly prob: Float64Array;
  /** The kernel's next states, of the game's own element type (Uint16Array or Int32Array). */
  readonly next: StateIndexArray;
  readonly rowStart: Int32Array;
  readonly reward: Float64Array;
  readonly radius: Float64Array;
  readonly actionOf: Int32Array;
  readonly stride: Int32Array;
  /** The policy table pi[(h*S + s)*J + j] of the current job. */
  readonly pi: Float64Array;
  /** Every agent's value tables V, B, C (3 m (H + 1) S entries; the layout of `createRecursions`' `shared`), both threads'. */
  readonly tables: Float64Array;
  /** stats[0]: the worker's busy time in the last job, in ms (its time at barriers left out). */
  readonly stats: Float64Array;
  readonly control: Int32Array;
}

/** The game-shaped view of the shared copies that the recursions read (sizes, layout, rewards, radii, kernel). */
export function sharedGame(d: ParallelData): TabularGame {
  const { m, S, H, J } = d;
  return {
    name: 'shared',
    m,
    S,
    H,
    J,
    A: d.A,
    layout: { m, A: d.A, J, stride: d.stride, actionOf: d.actionOf },
    initial: new Float64Array(S),
    reward: d.reward,
    radius: d.radius,
    divergence: d.divergence,
    kernel: { rowStart: d.rowStart, next: d.next, prob: d.prob },
  } as TabularGame;
}

/** The calling thread's side of the two-thread evaluation (internal to @drmg/evaluators). */
export interface ParallelHelper {
  /** The shared copies as a game: the calling thread's recursions read them too, so both threads share one copy in cache. */
  readonly game: TabularGame;
  /** The shared value tables (`ParallelData.tables`): the calling thread's recursions are made on them. */
  readonly tables: Float64Array;
  /** The shared policy table of the current job (written by `start`): the calling thread's recursions read it too. */
  readonly pi: Float64Array;
  /** Whether the worker is up and has not failed. */
  ready(): boolean;
  /** The calling thread's share of the states for the next job, [0, split): from the times of the previous jobs. */
  split(): number;
  /**
   * Copies the policy table pi into shared memory and hands the states [split, S) of every step to the worker; returns
   * at once (true), or false when the worker cannot take the job (it is then retired).
   */
  start(pi: Float64Array, split: number, doV: boolean, doB: boolean, doC: boolean): boolean;
  /**
   * The calling thread's barrier once it has computed step h of its states: returns when the worker has computed step h
   * of its own (true), or false when the worker failed or did not arrive within 60 s (it is then retired).
   */
  step(h: number): boolean;
  /** After the calling thread's last step (h = 0, passed): records the job's times for the next split. */
  finish(): void;
  /** Abandons the current job (the calling thread threw): the worker ends it at its next barrier. */
  abort(): void;
  /** Ends the worker. */
  close(): void;
}

/** The calling thread's overhead in states to start with (before any job was measured), per state of the game. */
const FIRST_OVERHEAD = 0.2;

/**
 * The calling thread's share of the S states, [0, split): half of what remains once its overhead (the guard, the row
 * masks of every state) is counted as `overhead` states; at least one state each when S >= 2.
 */
export function splitFor(overhead: number, S: number): number {
  if (S < 2) return S;
  return Math.min(S - 1, Math.max(1, Math.round((S - overhead) / 2)));
}

/**
 * The calling thread's overhead in states after a job that gave it [0, split): with c = workerBusy / (S - split) the
 * time of one state (all steps), its overhead is (callerBusy - c split) / c states. Smoothed (30% of the new figure,
 * each move at most max(1, S/8) states) so that one job slowed by the machine's other work does not swing the split;
 * within [-S, S]. Times in any one unit; a job without a measurable worker share leaves it as it was.
 */
export function nextOverhead(overhead: number, callerBusy: number, workerBusy: number, split: number, S: number): number {
  if (!(split < S) || !(workerBusy > 0) || !(callerBusy >= 0)) return overhead;
  const c = workerBusy / (S - split);
  const bound = Math.max(1, S / 8);
  const d = Math.min(bound, Math.max(-bound, (callerBusy - c * split) / c - overhead));
  return Math.min(S, Math.max(-S, overhead + 0.3 * d));
}

function sharedFloat(a: Float64Array): Float64Array {
  const b = new Float64Array(new SharedArrayBuffer(a.byteLength));
  b.set(a);
  return b;
}

function sharedInt(a: Int32Array): Int32Array {
  const b = new Int32Array(new SharedArrayBuffer(a.byteLength));
  b.set(a);
  return b;
}

/** A shared copy of the kernel's next states of the same element type, so both threads' loops see the type the game has. */
function sharedNext(a: StateIndexArray): StateIndexArray {
  const b = a instanceof Uint16Array ? new Uint16Array(new SharedArrayBuffer(a.byteLength)) : new Int32Array(new SharedArrayBuffer(a.byteLength));
  b.set(a);
  return b;
}

/** Whether `createEvaluator` should use two threads on `game` with the `threads` option. */
export function wantsParallel(game: TabularGame, threads: 'auto' | 1 | 2): boolean {
  if (threads === 1 || game.m < 2) return false;
  if (threads === 2) return true;
  // On a worker thread (a `drmg compare` pool, say) the other cores are most likely busy already.
  const entries = game.kernel.prob.length;
  return isMainThread && entries >= PARALLEL_MIN_ENTRIES && entries <= PARALLEL_MAX_ENTRIES && availableParallelism() >= 2;
}

/** Wakes a worker with the end signal (SEQ = -1) and terminates it. */
function stopWorker(worker: Worker, control: Int32Array): void {
  Atomics.store(control, READY, 0);
  Atomics.store(control, SEQ, -1);
  Atomics.notify(control, SEQ);
  void worker.terminate();
}

let loadCheckedAt = -Infinity;
let loadLow = true;

/**
 * Whether the machine is not oversubscribed: 1-minute load average < cores + 0.5 (this process's own one or two
 * threads count in it), sampled at most every half second. On a busy machine the worker would wait for a core while
 * the caller waits for the worker, so 'auto' runs on one thread there.
 */
export function coreIsFree(): boolean {
  const now = performance.now();
  if (now - loadCheckedAt > 500) {
    loadCheckedAt = now;
    loadLow = loadavg()[0] < availableParallelism() + 0.5;
  }
  return loadLow;
}

/** Ends the workers of evaluators that were collected. */
const retire = new FinalizationRegistry<{ worker: Worker; control: Int32Array }>(({ worker, control }) => stopWorker(worker, control));

/**
 * Starts the worker for `game` (copies its kernel, rewards and radii into shared memory), tied to the lifetime of
 * `owner`. Returns null when no worker can be started here.
 */
export function createParallelHelper(game: TabularGame, owner: object): ParallelHelper | null {
  const { m, S, H, J } = game;
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const data: ParallelData = {
    m,
    S,
    H,
    J,
    A: [...game.A],
    divergence: game.divergence,
    prob: sharedFloat(game.kernel.prob),
    next: sharedNext(game.kernel.next),
    rowStart: sharedInt(game.kernel.rowStart),
    reward: sharedFloat(game.reward),
    radius: sharedFloat(game.radius),
    actionOf: sharedInt(game.layout.actionOf),
    stride: sharedInt(game.layout.stride),
    pi: new Float64Array(new SharedArrayBuffer(H * S * J * 8)),
    tables: new Float64Array(new SharedArrayBuffer(3 * m * (H + 1) * S * 8)),
    stats: new Float64Array(new SharedArrayBuffer(8)),
    control,
  };
  let worker: Worker | null;
  try {
    // From the sources (tests, `pnpm drmg`) a shim registers tsx's loader in the worker first; built, plain node.
    const url = new URL(import.meta.url.endsWith('.ts') ? './evaluation-worker-dev.mjs' : './evaluation-worker.js', import.meta.url);
    worker = new Worker(url, { workerData: data });
  } catch {
    return null;
  }
  worker.unref();
  // A worker that fails to start or dies is retired; evaluations go on, on one thread.
  worker.on('error', () => {
    Atomics.store(control, READY, 0);
  });
  retire.register(owner, { worker, control });
  let seq = 0;
  let alive = true;

  function close(): void {
    if (!alive) return;
    alive = false;
    if (worker !== null) stopWorker(worker, control);
    worker = null;
  }

  /** Waits until the worker has finished job `seq`; false after 60 s (a worker that died mid-job). */
  function waitDone(): boolean {
    for (let k = 0; k < 600; k++) {
      if (Atomics.load(control, DONE) === seq) return true;
      Atomics.wait(control, DONE, Atomics.load(control, DONE), 100);
    }
    return Atomics.load(control, DONE) === seq;
  }

  // The current job: its start time, the calling thread's time at barriers, its split; the overhead for the next split.
  let started = 0;
  let waited = 0;
  let jobSplit = 0;
  let overhead = FIRST_OVERHEAD * S;

  function abort(): void {
    Atomics.store(control, ABORT, 1);
    Atomics.notify(control, ARRIVE_MAIN);
  }

  return {
    game: sharedGame(data),
    tables: data.tables,
    pi: data.pi,
    ready: () => alive && Atomics.load(control, READY) === 1,
    split: () => splitFor(overhead, S),
    start(pi, split, doV, doB, doC) {
      // A job abandoned by an exception on the calling thread (a guard error) may still run: wait for it first.
      if (Atomics.load(control, DONE) !== seq && !waitDone()) close();
      if (!alive) return false;
      started = performance.now();
      waited = 0;
      jobSplit = split;
      if (pi !== data.pi) data.pi.set(pi.subarray(0, H * S * J));
      control[FLAGS] = (doV ? 1 : 0) | (doB ? 2 : 0) | (doC ? 4 : 0);
      control[SPLIT] = split;
      control[FAILED] = 0;
      control[ABORT] = 0;
      control[ARRIVE_MAIN] = 0;
      control[ARRIVE_WORKER] = 0;
      seq++;
      Atomics.store(control, SEQ, seq);
      Atomics.notify(control, SEQ);
      return true;
    },
    step(h) {
      const k = H - h;
      Atomics.store(control, ARRIVE_MAIN, k);
      Atomics.notify(control, ARRIVE_MAIN);
      const t = performance.now();
      const ok = waitAtLeast(control, ARRIVE_WORKER, k, t + 60_000, null) && Atomics.load(control, FAILED) === 0;
      waited += performance.now() - t;
      if (!ok) {
        abort();
        close();
      }
      return ok;
    },
    finish() {
      overhead = nextOverhead(overhead, performance.now() - started - waited, data.stats[0], jobSplit, S);
    },
    abort,
    close,
  };
}
