/**
 * Exact evaluation on two threads for large games: a worker thread runs the recursions of some agents
 * (`recursions.ts`) on SharedArrayBuffer copies of the game's kernel, rewards and radii, while the calling thread runs
 * the others' and checks the game's checksums. Agents' recursions are independent given the policy (each reads only
 * its own tables), so the split changes no number: the results are those of one thread, bit for bit.
 *
 * Used by `createEvaluator` when it pays: at least two agents and two cores, the main thread (a thread pool's worker
 * leaves the other cores to its siblings), and a kernel of PARALLEL_MIN_ENTRIES to
 * PARALLEL_MAX_ENTRIES stored entries (below, the hand-off costs more than it saves; above, the copy of the kernel
 * would cost more memory than a second core is worth). The worker starts in the background: evaluations run on one
 * thread until it is up, and while the machine is oversubscribed (`coreIsFree`). It is unref'd (it never keeps a
 * process alive) and ends with its evaluator.
 *
 * Hand-off (no messages, no event loop): an Int32Array of control words over a SharedArrayBuffer; the caller writes
 * the policy table into shared memory, bumps SEQ and notifies; the worker, blocked in Atomics.wait on SEQ, runs its
 * agents, writes their step-0 rows, sets DONE = SEQ and notifies; the caller waits on DONE.
 */
import { Worker, isMainThread } from 'node:worker_threads';
import { availableParallelism, loadavg } from 'node:os';
import type { StateIndexArray, TabularGame } from '@drmg/core';

/** Fewest stored kernel entries for which two threads pay (~3 ms of work; S = 50, H = 20, J = 25 dense has 1.25 M). */
export const PARALLEL_MIN_ENTRIES = 400_000;
/** Most stored kernel entries copied into shared memory for a second thread (10 bytes each, 12 when S > 65,536). */
export const PARALLEL_MAX_ENTRIES = 8_000_000;

/** Control words: job sequence, last job done, worker ready, job flags (bit 0 V, 1 B, 2 C), job failed, agent range. */
export const SEQ = 0, DONE = 1, READY = 2, FLAGS = 3, FAILED = 4, I0 = 5, I1 = 6, CONTROL_WORDS = 8;

/** What the worker receives: sizes, the shared copies, the policy table and result buffers. */
export interface ParallelData {
  readonly m: number;
  readonly S: number;
  readonly H: number;
  readonly J: number;
  readonly A: readonly number[];
  readonly divergence: TabularGame['divergence'];
  readonly prob: Float64Array;
  readonly next: StateIndexArray;
  readonly rowStart: Int32Array;
  readonly reward: Float64Array;
  readonly radius: Float64Array;
  readonly actionOf: Int32Array;
  readonly stride: Int32Array;
  /** The policy table pi[(h*S + s)*J + j] of the current job. */
  readonly pi: Float64Array;
  /** out[(q*m + i)*S + s]: agent i's step-0 row of recursion q (0 value, 1 best response, 2 swap). */
  readonly out: Float64Array;
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
  /** The shared copies as a game: the calling thread's agents read them too, so both threads share one copy in cache. */
  readonly game: TabularGame;
  /** Whether the worker is up and has not failed. */
  ready(): boolean;
  /** Hands agents i0..i1-1 of the policy table pi to the worker and returns at once. */
  start(pi: Float64Array, i0: number, i1: number, doV: boolean, doB: boolean, doC: boolean): void;
  /**
   * Waits for the job; on success copies agent i's step-0 rows (i0 <= i < i1) into value, bestResponse and swap at
   * [i*S, (i + 1)*S) (those asked for) and returns true; returns false (and retires the worker) when it failed.
   */
  finish(i0: number, i1: number, value: Float64Array, bestResponse: Float64Array | null, swap: Float64Array | null): boolean;
  /** Ends the worker. */
  close(): void;
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
    out: new Float64Array(new SharedArrayBuffer(3 * m * S * 8)),
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

  return {
    game: sharedGame(data),
    ready: () => alive && Atomics.load(control, READY) === 1,
    start(pi, i0, i1, doV, doB, doC) {
      // A job abandoned by an exception on the calling thread (a guard error) may still run: wait for it first.
      if (Atomics.load(control, DONE) !== seq && !waitDone()) close();
      data.pi.set(pi.subarray(0, H * S * J));
      control[FLAGS] = (doV ? 1 : 0) | (doB ? 2 : 0) | (doC ? 4 : 0);
      control[I0] = i0;
      control[I1] = i1;
      control[FAILED] = 0;
      seq++;
      Atomics.store(control, SEQ, seq);
      Atomics.notify(control, SEQ);
    },
    finish(i0, i1, value, bestResponse, swap) {
      if (!waitDone() || Atomics.load(control, FAILED) !== 0) {
        close();
        return false;
      }
      const out = data.out;
      for (let i = i0; i < i1; i++) {
        value.set(out.subarray(i * S, (i + 1) * S), i * S);
        if (bestResponse !== null) bestResponse.set(out.subarray((m + i) * S, (m + i + 1) * S), i * S);
        if (swap !== null) swap.set(out.subarray((2 * m + i) * S, (2 * m + i + 1) * S), i * S);
      }
      return true;
    },
    close,
  };
}
