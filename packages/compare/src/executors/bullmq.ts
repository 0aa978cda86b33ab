/**
 * The `bullmq` executor: the cells of a compare run become jobs on a BullMQ queue in Redis, and `drmg worker`
 * processes on any machine run them (executors/bullmq-worker.ts). This side, the coordinator, enqueues the cells
 * not done yet, follows their progress on every worker (the queue's events), and hands each result to the run as
 * it arrives (its journal line), then removes the job: Redis holds work in flight, the run folder holds results.
 *
 * Job ids are `<run id>-<cell hash>`, the run id coming from the run folder: a coordinator that was killed and is
 * started again with `--resume` adds the same ids, which BullMQ does not duplicate; a cell that finished meanwhile
 * is collected from Redis, one still running is waited for, and nothing finished is recomputed. A failed job found
 * on resuming is retried once more.
 *
 * Fault tolerance is BullMQ's: a job is retried `attempts` times with exponential backoff when its worker throws;
 * a worker that dies (SIGKILL, power) stops renewing its job's lock, and another worker takes the job once the lock
 * expires (the stalled-job check); ioredis reconnects after a Redis restart (with the append-only file on, nothing
 * is lost). Besides the events, the pending jobs are checked every `sweepMs` (a job that finished while this
 * process was not listening, one that vanished with a Redis that kept no data and is added again).
 *
 * A cell that fails for good (its attempts used up, or refused by a worker as a bad job: unknown learner, malformed
 * game) does not stop the others: when every cell has finished or failed, `run` rejects with every failure and its
 * error; the finished cells are in the journal and `--resume` runs only the failed ones. When the signal aborts,
 * the run's jobs still waiting are removed from the queue (running ones finish, and wait in Redis for a resume).
 */
import { DrmgError, inputError } from '@drmg/core';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { decodeCellOutput, type CompareCell } from '../compare-cell.ts';
import type { CompareRunProgress } from '../compare-task.ts';
import { cellJobData, scenarioGameText } from './cell-job.ts';
import type { CompareExecutor, ExecutorContext, ExecutorHooks, ExecutorSummary } from './executor.ts';
import { checkRedis, createRedis, parseRedisUrl } from './redis-connection.ts';

/** The queue `drmg compare --backend bullmq` and `drmg worker` use unless told otherwise. */
export const DEFAULT_QUEUE = 'drmg-compare';

/** Options of `bullmqExecutor`. */
export interface BullmqExecutorOptions {
  /** Redis URL: redis://[user:password@]host[:port][/db], or rediss://... for TLS. */
  readonly redis: string;
  /** Queue name (default `drmg-compare`); the workers must use the same. */
  readonly queue?: string;
  /** Attempts per cell before it is reported failed (default 3); a bad job (refused by the worker) fails at once. */
  readonly attempts?: number;
  /** First retry delay in ms, doubled at each retry (default 1000). */
  readonly backoffMs?: number;
  /** How often pending jobs are checked besides the queue's events, in ms (default 2000). */
  readonly sweepMs?: number;
  /** Where the options came from, for error paths (default `--redis` / `--queue`). */
  readonly source?: string;
}

/** What a worker returns for a job: who ran it, and the cell's output line (compare-cell.ts). */
export interface CellJobAnswer {
  readonly worker: string;
  readonly cell: string;
}

/** The prefix of a worker's error message that marks a bad job (an input error: no retry). */
export const BAD_JOB_MARK = '[bad job] ';

/**
 * Checks a queue name: letters, digits, `.`, `_` and `-` (BullMQ builds Redis keys from it).
 * @throws DrmgError ('input') at `where` otherwise.
 */
export function checkQueueName(name: string, where: string): string {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(name)) inputError(where, `expected a queue name of letters, digits, '.', '_' and '-', got ${JSON.stringify(name)}`);
  return name;
}

function costOf(name: string): number {
  if (name === 'planner' || name === 'random') return 0.1;
  if (name === 'independent-q') return 0.3;
  return 1;
}

/** A failed cell, as reported. */
interface CellFailure {
  readonly cell: CompareCell;
  readonly reason: string;
  readonly attempts: number;
  readonly badJob: boolean;
}

function failureError(failures: readonly CellFailure[]): DrmgError {
  const lines = failures.map((f) => `${f.cell.learner} seed ${f.cell.seed} (cell ${f.cell.hash.slice(0, 12)}): ${f.badJob ? 'refused by the worker' : `failed after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}`}: ${f.reason.replace(BAD_JOB_MARK, '')}`);
  const kind = failures.every((f) => f.badJob) ? 'input' : 'internal';
  return new DrmgError(kind, `${failures.length} cell${failures.length === 1 ? '' : 's'} failed`, lines.join('\n  '));
}

/**
 * The bullmq executor (see the file header). Nothing connects until `run`.
 * @throws DrmgError ('input') at once for a malformed URL or queue name; `run` rejects when Redis cannot be reached.
 */
export function bullmqExecutor(options: BullmqExecutorOptions): CompareExecutor {
  const where = options.source ?? '';
  const url = parseRedisUrl(options.redis, `${where}--redis`);
  const name = checkQueueName(options.queue ?? DEFAULT_QUEUE, `${where}--queue`);
  const attempts = options.attempts ?? 3;
  if (!Number.isSafeInteger(attempts) || attempts < 1 || attempts > 100) inputError(`${where}--attempts`, `expected an integer in [1, 100], got ${JSON.stringify(options.attempts)}`);
  const backoffMs = options.backoffMs ?? 1000;
  const sweepMs = options.sweepMs ?? 2000;
  return {
    kind: 'bullmq',
    async check(): Promise<void> {
      await checkRedis(url, `${where}--redis`);
    },
    async run(cells: readonly CompareCell[], hooks: ExecutorHooks, context: ExecutorContext): Promise<ExecutorSummary> {
      await checkRedis(url, `${where}--redis`);
      const { Queue, QueueEvents } = await import('bullmq');
      const clients: Redis[] = [];
      const client = async (role: string): Promise<Redis> => {
        const c = await createRedis(url, `drmg-compare-${role}-${context.runId}`);
        c.on('error', () => {}); // reconnects by itself; a run only pauses while Redis is away
        clients.push(c);
        return c;
      };
      // A completed event carries the cell's output (tens of KB): keep the event stream short (the sweep covers
      // an event trimmed before it was read), so that Redis holds the outputs in flight, not a history of them.
      const queueConnection = await client('queue');
      const queue: Queue = new Queue(name, { connection: queueConnection, streams: { events: { maxLen: 1000 } } });
      queue.on('error', () => {});
      const events: QueueEvents = new QueueEvents(name, { connection: await client('events'), autorun: true });
      events.on('error', () => {});
      const seen = new Set<string>();
      const removals: Promise<unknown>[] = [];
      try {
        await events.waitUntilReady();
        const connected = (await queue.getWorkers()).length;
        const queueText = `the bullmq queue ${name} at ${url.redacted}`;
        const workersText = (n: number) => `${n} drmg worker${n === 1 ? '' : 's'}`;
        hooks.start({ workers: connected, text: `${queueText} (${connected === 0 ? 'no drmg worker connected yet: start one with drmg worker --redis URL' : `${workersText(connected)} connected`})` });
        const finalText = (): string => `${workersText(seen.size)}${seen.size > 0 ? ` (${[...seen].sort().join(', ')})` : ''} through ${queueText}`;
        // Cells already in the journal: their results are on disk, so whatever the queue still holds for them goes.
        await Promise.all((context.finished ?? []).map((hash) => queue.remove(`${context.runId}-${hash}`).catch(() => 0)));
        if (cells.length === 0) return { workers: 0, text: finalText(), seen: [] };

        const idOf = (cell: CompareCell): string => `${context.runId}-${cell.hash}`;
        const byId = new Map<string, CompareCell>(cells.map((c) => [idOf(c), c]));
        const pending = new Set<string>(byId.keys());
        const failures: CellFailure[] = [];
        const gameText = scenarioGameText(cells[0].task.config);
        const jobOptions = (cell: CompareCell) => ({
          jobId: idOf(cell),
          attempts,
          backoff: { type: 'exponential' as const, delay: backoffMs },
          // Results are collected (and the job removed) by the coordinator; an abandoned run's jobs expire after a week.
          removeOnComplete: { age: 7 * 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        });
        const add = async (list: readonly CompareCell[]): Promise<void> => {
          for (let at = 0; at < list.length; at += 500) {
            await queue.addBulk(list.slice(at, at + 500).map((cell) => ({ name: 'cell', data: cellJobData(cell, gameText), opts: jobOptions(cell) })));
          }
        };

        let settle: (e?: unknown) => void = () => {};
        const finished = new Promise<void>((resolve, reject) => {
          settle = (e?: unknown) => (e === undefined ? resolve() : reject(e));
        });
        const checkEnd = (): void => {
          if (pending.size === 0) settle(failures.length > 0 ? failureError(failures) : undefined);
        };
        const accept = (jobId: string, returnvalue: unknown): void => {
          const cell = byId.get(jobId);
          if (cell === undefined || !pending.has(jobId)) return;
          try {
            const text = typeof returnvalue === 'string' ? returnvalue : JSON.stringify(returnvalue);
            const answer = JSON.parse(text) as CellJobAnswer;
            const decoded = decodeCellOutput(answer.cell, `job ${jobId}`);
            if (decoded.hash !== cell.hash || decoded.output.result.learner !== cell.learner || decoded.output.result.seed !== cell.seed) {
              throw new DrmgError('internal', `job ${jobId}`, `answered for another cell (${decoded.hash.slice(0, 12)}, ${decoded.output.result.learner} seed ${decoded.output.result.seed})`);
            }
            pending.delete(jobId);
            seen.add(String(answer.worker));
            hooks.done(cell.index, decoded.output); // the journal line; a write error stops the run
          } catch (e) {
            settle(e);
            return;
          }
          removals.push(queue.remove(jobId).catch(() => 0)); // the result is in the run folder now
          checkEnd();
        };
        const reject = (jobId: string, reason: string, attemptsMade: number): void => {
          const cell = byId.get(jobId);
          if (cell === undefined || !pending.has(jobId)) return;
          pending.delete(jobId);
          failures.push({ cell, reason, attempts: attemptsMade, badJob: reason.startsWith(BAD_JOB_MARK) });
          checkEnd();
        };
        events.on('completed', ({ jobId, returnvalue }) => accept(jobId, returnvalue));
        events.on('failed', ({ jobId, failedReason }) => {
          if (!pending.has(jobId)) return;
          // The attempts made are on the job; the event says only that it failed for good.
          queue
            .getJob(jobId)
            .then((job) => reject(jobId, failedReason, job?.attemptsMade ?? attempts))
            .catch(() => reject(jobId, failedReason, attempts));
        });
        events.on('progress', ({ jobId, data }) => {
          const cell = byId.get(jobId);
          if (cell !== undefined && pending.has(jobId) && typeof data === 'object' && data !== null) hooks.progress(cell.index, data as CompareRunProgress);
        });
        events.on('active', ({ jobId }) => {
          const cell = byId.get(jobId);
          if (cell !== undefined && pending.has(jobId)) hooks.progress(cell.index, { episodes: 0, regret: undefined });
        });

        // Slow learners first, as the local executor does (better packing; never changes the results).
        const order = [...cells].sort((a, b) => costOf(b.task.config.learners[b.task.learner].name) - costOf(a.task.config.learners[a.task.learner].name));
        await add(order);

        // One look at every job now (a resumed run: some finished or failed while no coordinator listened), then every
        // sweepMs: one pipelined round trip for all pending jobs (in the completed set? the failed set? still there?).
        const look = async (first: boolean): Promise<void> => {
          const ids = [...pending];
          if (ids.length === 0) return;
          const pipeline = queueConnection.pipeline();
          for (const id of ids) pipeline.zscore(queue.keys.completed, id).zscore(queue.keys.failed, id).exists(queue.toKey(id));
          const answers = (await pipeline.exec()) ?? [];
          const value = (k: number): unknown => (answers[k]?.[0] ? undefined : answers[k]?.[1]);
          for (let n = 0; n < ids.length; n++) {
            const jobId = ids[n];
            if (!pending.has(jobId) || context.signal.aborted) continue;
            const [completed, failed, exists] = [value(3 * n), value(3 * n + 1), value(3 * n + 2)];
            if (exists === 0) {
              await add([byId.get(jobId)!]); // gone (a Redis that kept no data): enqueue it again
            } else if (completed !== null && completed !== undefined) {
              const job: Job | undefined = await queue.getJob(jobId);
              if (job) accept(jobId, job.returnvalue);
            } else if (failed !== null && failed !== undefined) {
              const job: Job | undefined = await queue.getJob(jobId);
              if (!job) continue;
              if (first) await job.retry('failed');
              else reject(jobId, job.failedReason ?? 'failed', job.attemptsMade);
            }
          }
        };
        let stopped = false;
        let timer: NodeJS.Timeout | undefined;
        const sweep = (): void => {
          timer = setTimeout(() => {
            look(false)
              .catch(() => {}) // Redis away: the next sweep tries again
              .finally(() => {
                if (!stopped) sweep();
              });
          }, sweepMs);
        };
        const onAbort = (): void => settle();
        context.signal.addEventListener('abort', onAbort, { once: true });
        try {
          await look(true);
          checkEnd();
          sweep();
          if (context.signal.aborted) settle();
          await finished;
        } finally {
          stopped = true;
          if (timer !== undefined) clearTimeout(timer);
          context.signal.removeEventListener('abort', onAbort);
          if (pending.size > 0) {
            // Stopped: the run's waiting jobs leave the queue (a running one is locked by its worker and finishes).
            await Promise.all([...pending].map((id) => queue.remove(id).catch(() => 0)));
          }
        }
        return { workers: seen.size, text: finalText(), seen: [...seen].sort() };
      } finally {
        await Promise.allSettled(removals); // before the connections close: no finished job is left behind
        await events.close().catch(() => {});
        await queue.close().catch(() => {});
        for (const c of clients) c.disconnect();
      }
    },
  };
}
