/**
 * `drmg worker`: processes compare cells from a BullMQ queue in Redis, on any machine (the other side of
 * executors/bullmq.ts). It imports its modules (custom environments and learners) once, starts `concurrency` worker
 * threads (the pool of the local executor), and takes up to `concurrency` jobs at a time; each job is checked
 * (executors/cell-job.ts: data only, refused on that cell when bad) and computed on a thread, so that this thread
 * stays free to renew the jobs' locks and report progress (at most once a second per job).
 *
 * Failures: a bad job (unknown environment or learner, bad parameter, malformed game, a simulator command without
 * `allowEnvCmd`, another drmg version) fails at once, its error marked `[bad job]`; any other error is retried by the
 * queue (the coordinator's `attempts`). A worker that dies mid-cell stops renewing its lock; after `lockDurationMs`
 * another worker takes the job (BullMQ's stalled-job check, every `lockDurationMs`).
 *
 * Stopping (`stop`, or SIGINT / SIGTERM in the CLI): the worker takes no new job, stops the cells it is running and
 * hands their jobs back to the queue at once (another worker starts them over), then closes; nothing is lost.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrmgError, inputError } from '@drmg/core';
import type { Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { encodeCellOutput } from '../compare-cell.ts';
import { importCompareModules } from '../resolve-compare-config.ts';
import type { CompareCurvePoint, CompareRunProgress } from '../compare-task.ts';
import { BAD_JOB_MARK, checkQueueName, DEFAULT_QUEUE, type CellJobAnswer } from './bullmq.ts';
import { resolveCellJob } from './cell-job.ts';
import { checkRedis, createRedis, parseRedisUrl } from './redis-connection.ts';
import { createComparePool, isAbortError, runOnPool } from './thread-pool.ts';

/** Options of `startCompareWorker`. */
export interface CompareWorkerOptions {
  /** Redis URL: redis://[user:password@]host[:port][/db], or rediss://... for TLS. */
  readonly redis: string;
  /** Queue name (default `drmg-compare`): the coordinator's. */
  readonly queue?: string;
  /** Cells at a time, each on its own thread (default: one per core). */
  readonly concurrency?: number;
  /** Modules registering custom environments and learners (file URLs), imported here and in every thread. */
  readonly modules?: readonly string[];
  /** Start the simulator command (envCmd) a job gives (default false: such jobs are refused). */
  readonly allowEnvCmd?: boolean;
  /** How long a job's lock lasts without renewal, in ms (default 30,000): a dead worker's cell restarts elsewhere after that. */
  readonly lockDurationMs?: number;
  /** One line per event (started, cell started, done, failed, stopping); default: none. */
  readonly log?: (line: string) => void;
  /** Where the options came from, for error paths (default `drmg worker `). */
  readonly source?: string;
}

/** A running worker. */
export interface CompareWorkerHandle {
  /** `host:pid`, as the coordinator reports the workers it saw. */
  readonly id: string;
  readonly concurrency: number;
  /** Cells finished by this worker so far. */
  readonly done: () => number;
  /** Resolves once the worker has closed (after `stop`). */
  readonly closed: Promise<void>;
  /** Stops taking jobs, hands the running ones back to the queue, closes (idempotent). */
  stop(): Promise<void>;
}

/**
 * Starts a worker (see the file header); resolves once it is connected and waiting for jobs.
 * @throws DrmgError ('input') for a bad URL, queue name or concurrency, a module that cannot be imported, or a Redis that cannot be reached.
 */
export async function startCompareWorker(options: CompareWorkerOptions): Promise<CompareWorkerHandle> {
  const where = options.source ?? 'drmg worker ';
  const url = parseRedisUrl(options.redis, `${where}--redis`);
  const name = checkQueueName(options.queue ?? DEFAULT_QUEUE, `${where}--queue`);
  const concurrency = options.concurrency ?? Math.max(1, availableParallelism());
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 256) inputError(`${where}--concurrency`, `expected an integer in [1, 256], got ${JSON.stringify(options.concurrency)}`);
  const lockDuration = options.lockDurationMs ?? 30_000;
  if (!Number.isSafeInteger(lockDuration) || lockDuration < 1000) inputError(`${where}--lock-duration`, `expected milliseconds >= 1000, got ${JSON.stringify(options.lockDurationMs)}`);
  const modules = [...(options.modules ?? [])];
  const log = options.log ?? (() => {});
  await importCompareModules(modules, `${where}--module`);
  await checkRedis(url, `${where}--redis`);

  const id = `${hostname()}:${process.pid}`;
  const gameDir = mkdtempSync(join(tmpdir(), 'drmg-worker-'));
  const pool = await createComparePool(concurrency);
  const { Worker: WorkerClass, UnrecoverableError, WaitingError } = await import('bullmq');
  const connection: Redis = await createRedis(url, `drmg-worker-${id}`);
  connection.on('error', () => {}); // reconnects by itself
  let finished = 0;
  let stopping = false;

  const processor = async (job: Job, token?: string, signal?: AbortSignal): Promise<string> => {
    const jobId = job.id ?? '?';
    let cell;
    try {
      cell = await resolveCellJob(job.data, { jobId, modules, allowEnvCmd: options.allowEnvCmd === true, gameDir });
    } catch (e) {
      if (e instanceof DrmgError && e.kind === 'input') {
        log(`worker ${id}: refused job ${jobId}: ${e.message}`);
        throw new UnrecoverableError(`${BAD_JOB_MARK}${e.message}`);
      }
      throw e;
    }
    const what = `${cell.learner} seed ${cell.seed} (cell ${cell.hash.slice(0, 12)}, attempt ${job.attemptsMade + 1})`;
    log(`worker ${id}: start ${what}`);
    let last = 0;
    // Evaluations not yet sent: progress goes out at most once a second, the live dashboard's curves need every point.
    let points: CompareCurvePoint[] = [];
    const onProgress = (p: CompareRunProgress): void => {
      if (p.points !== undefined) points.push(...p.points);
      const t = performance.now();
      if (t - last < 1000) return;
      last = t;
      job.updateProgress({ episodes: p.episodes, regret: p.regret ?? null, points, worker: id }).catch(() => {});
      points = [];
    };
    const t0 = performance.now();
    try {
      const output = await runOnPool(pool, cell.task, signal ?? new AbortController().signal, onProgress);
      finished++;
      log(`worker ${id}: done ${what} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const answer: CellJobAnswer = { worker: id, cell: encodeCellOutput(cell.hash, output) };
      return JSON.stringify(answer);
    } catch (e) {
      if (isAbortError(e) && stopping) {
        // This worker is stopping: the job goes back to the queue now, for another worker (not a failed attempt).
        await job.moveToWait(token);
        log(`worker ${id}: handed back ${what}`);
        throw new WaitingError();
      }
      if (e instanceof DrmgError && e.kind === 'input') {
        log(`worker ${id}: refused ${what}: ${e.message}`);
        throw new UnrecoverableError(`${BAD_JOB_MARK}${e.message}`);
      }
      log(`worker ${id}: failed ${what}: ${(e as Error).message}`);
      throw e;
    }
  };

  const worker: Worker = new WorkerClass(name, processor, {
    connection,
    concurrency,
    lockDuration,
    stalledInterval: lockDuration,
    maxStalledCount: 2,
    name: id,
    autorun: true,
  });
  worker.on('error', () => {}); // connection errors: ioredis reconnects
  await worker.waitUntilReady();
  log(`worker ${id}: waiting for cells on the bullmq queue ${name} at ${url.redacted}, ${concurrency} at a time${modules.length > 0 ? `, modules ${modules.join(', ')}` : ''}${options.allowEnvCmd === true ? ', simulator commands allowed' : ''}`);

  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  let stopped: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      stopping = true;
      log(`worker ${id}: stopping; running cells go back to the queue`);
      worker.cancelAllJobs('drmg worker stopping');
      try {
        await worker.close();
      } finally {
        await pool.destroy().catch(() => {});
        connection.disconnect();
        rmSync(gameDir, { recursive: true, force: true });
        resolveClosed();
      }
    })();
    return stopped;
  };
  return { id, concurrency, done: () => finished, closed, stop };
}
