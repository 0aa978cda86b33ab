/**
 * The bullmq executor against the local one (docs/scale-out.md), on a redis-server started here (a free port, a
 * temporary folder; skipped with a message when redis-server is not installed):
 *  - per-cell overhead: 60 cells of one episode each (random and planner, radius 0, no Monte Carlo), on this
 *    process's main thread (local, --workers 1) and through Redis to one `drmg worker --concurrency 1` process;
 *    (wall_bullmq - wall_local) / cells is what a cell pays for the queue (enqueue, hand-over to a thread, result
 *    back through Redis, its journal line): target under 20 ms;
 *  - speedup from 1 to 2 worker processes: 8 MORNAVI-TV cells of 3,000 episodes through the queue, one worker process
 *    (--concurrency 1) and then two; on a machine that runs something else, the second process shares the cores.
 * Workers are warmed first (threads started, modules loaded). Walls are the runs' own (outcome.wallMs: from the first
 * cell enqueued to the last result in the journal).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { compare, bullmqExecutor, type CompareConfigInput } from '../packages/compare/src/index.ts';
import { startDrmg, type DrmgProcess } from '../test/drmg-process.ts';
import { redisServerBinary, startTestRedis, type TestRedis } from '../test/redis-server.ts';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

const tiny: CompareConfigInput = { env: 'bridge-crossing-v0', learners: ['random', 'planner'], seeds: 30, episodes: 1, evalPoints: 1, radii: [0], randomKernels: 0 };
const heavy: CompareConfigInput = { env: 'bridge-crossing-v0', learners: ['mornavi-tv'], seeds: 8, episodes: 3000, evalPoints: 30, radii: [0, 0.3], randomKernels: 0 };

/** Starts `n` worker processes on `queue` and warms them (threads started, modules loaded) with a few cells each. */
async function startWorkers(redis: TestRedis, queue: string, n: number): Promise<DrmgProcess[]> {
  const ws = Array.from({ length: n }, () => startDrmg(['worker', '--redis', redis.url, '--queue', queue, '--concurrency', '1']));
  await Promise.all(ws.map((w) => w.waitFor(/waiting for cells/)));
  await wallMs({ ...tiny, seeds: 2 * n }, { executor: bullmqExecutor({ redis: redis.url, queue }) });
  return ws;
}

async function stopWorkers(ws: DrmgProcess[]): Promise<void> {
  for (const w of ws) w.child.kill('SIGTERM');
  await Promise.all(ws.map((w) => w.exited));
}

async function wallMs(input: CompareConfigInput, options: Parameters<typeof compare>[1]): Promise<number> {
  const out = join(mkdtempSync(join(tmpdir(), 'drmg-bench-scale-')), 'run');
  const report = await compare(input, { ...options, out, render: false });
  return report.outcome.wallMs;
}

export async function run(): Promise<void> {
  const bin = redisServerBinary();
  if (bin === null) {
    console.log('skipped: redis-server is not installed (.ci/install-redis.sh installs it)');
    return;
  }
  const redis = await startTestRedis(bin);
  try {
    const cells = 60;
    await wallMs({ ...tiny, seeds: 2 }, { workers: 1 }); // warm-up of this process
    const local = await wallMs(tiny, { workers: 1 });
    const one = await startWorkers(redis, 'bench-overhead', 1);
    const queued = await wallMs(tiny, { executor: bullmqExecutor({ redis: redis.url, queue: 'bench-overhead' }) });
    await stopWorkers(one);
    console.log(`per-cell overhead, ${cells} one-episode cells: local (main thread) ${(local / cells).toFixed(1)} ms per cell, bullmq (1 warm drmg worker, concurrency 1) ${(queued / cells).toFixed(1)} ms per cell`);
    console.log(`  overhead of the queue: ${((queued - local) / cells).toFixed(1)} ms per cell (target: under 20 ms)`);

    const heavyCells = 8;
    const w1 = await startWorkers(redis, 'bench-speedup-1', 1);
    const t1 = await wallMs(heavy, { executor: bullmqExecutor({ redis: redis.url, queue: 'bench-speedup-1' }) });
    await stopWorkers(w1);
    const w2 = await startWorkers(redis, 'bench-speedup-2', 2);
    const t2 = await wallMs(heavy, { executor: bullmqExecutor({ redis: redis.url, queue: 'bench-speedup-2' }) });
    await stopWorkers(w2);
    // The same cells on 1 and 2 threads of one process: what this machine gives two computations at once, queue or not.
    const l1 = await wallMs(heavy, { workers: 1 });
    const l2 = await wallMs(heavy, { workers: 2 });
    console.log(`speedup, ${heavyCells} MORNAVI-TV cells of K = ${heavy.episodes} on ${availableParallelism()} cores: 1 worker process ${(t1 / 1000).toFixed(1)} s, 2 worker processes ${(t2 / 1000).toFixed(1)} s: x${(t1 / t2).toFixed(2)}`);
    console.log(`  local, for comparison: the main thread ${(l1 / 1000).toFixed(1)} s, 2 worker threads ${(l2 / 1000).toFixed(1)} s: x${(l1 / l2).toFixed(2)} (the cores this machine has free)`);
  } finally {
    await redis.dispose();
  }
}
