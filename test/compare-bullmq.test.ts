/**
 * `drmg compare --backend bullmq` and `drmg worker` against a real redis-server (no mocks; test/redis-server.ts
 * starts one on a free port, a temporary folder, the append-only file on, a password in every URL):
 *  - the results of a bullmq run equal a local run's, file for file (timing aside), and no job is left in Redis;
 *  - two workers, one killed with SIGKILL in the middle of a cell: the other takes it once the lock expires, every
 *    cell is computed to the end exactly once;
 *  - the coordinator killed with SIGKILL and resumed: the workers go on, the resumed coordinator collects what
 *    finished meanwhile from Redis, and no cell is computed twice;
 *  - SIGINT to the coordinator: a partial report, exit 130, its waiting jobs removed; --resume finishes the run;
 *  - Redis restarted in the middle of a run (append-only file on): the run completes, with the same results;
 *  - a cell that fails on every attempt is reported with its error after its retries, the others complete;
 *  - a bad job (a learner the worker does not know; a simulator command for a worker that does not allow them)
 *    fails at once on that cell only; with --allow-env-cmd the simulator run equals the local one;
 *  - rediss:// (TLS) with a private certificate authority (NODE_EXTRA_CA_CERTS): the same results; refused without it;
 *  - a wrong password: exit 2 before anything is written, and the password is never printed.
 * Without redis-server the tests are skipped with a message, except in CI, where they fail (.ci/install-redis.sh).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCellOutput, RUN_JOURNAL } from '@drmg/compare';
import { runCompareCli, tempDir } from './compare-helpers.ts';
import { repoRoot, startDrmg, type DrmgProcess } from './drmg-process.ts';
import { inCi, makeTestTls, redisServerBinary, startTestRedis, type TestRedis } from './redis-server.ts';

const bin = redisServerBinary();
const skip = bin === null && !inCi;
if (skip) console.warn('compare-bullmq.test: SKIPPING the bullmq tests: redis-server not found and CI is not set (install it with .ci/install-redis.sh)');

const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
const journal = (d: string) => read(d, RUN_JOURNAL).trimEnd().split('\n').filter((l) => l !== '').map((l, n) => decodeCellOutput(l, `line ${n + 1}`));
const fixture = join(repoRoot, 'test', 'fixtures', 'queue-learners.ts');

// Six cells (3 learners x 2 seeds); the mornavi-tv cells last a second or so, long enough to be killed mid-way.
const flags = ['--learners', 'mornavi-tv,nash-vi,planner', '--seeds', '2', '--episodes', '400', '--eval-points', '20', '--radii', '0,0.3', '--random-kernels', '2', '--rollout-episodes', '20'];

/** Results, CSV and every policy of `a` equal those of `b`. */
function expectSameResults(a: string, b: string): void {
  expect(read(a, 'results.jsonl')).toBe(read(b, 'results.jsonl'));
  expect(read(a, 'results.csv')).toBe(read(b, 'results.csv'));
  const policies = readdirSync(join(b, 'policies')).sort();
  expect(readdirSync(join(a, 'policies')).sort()).toEqual(policies);
  for (const f of policies) expect(read(a, `policies/${f}`)).toBe(read(b, `policies/${f}`));
}

/** The cells a worker finished, by hash prefix, from its log. */
const doneCells = (w: DrmgProcess): string[] => [...w.stderr().matchAll(/: done .*?\(cell ([0-9a-f]{12})/g)].map((m) => m[1]);

describe.skipIf(skip)('compare on BullMQ with a real Redis', () => {
  let redis: TestRedis;
  const root = tempDir('drmg-bullmq-');
  const reference = join(root, 'local');
  const workers: DrmgProcess[] = [];
  let queues = 0;
  const nextQueue = () => `drmg-test-${++queues}`;

  const startWorker = async (queue: string, extra: string[] = []): Promise<DrmgProcess> => {
    const w = startDrmg(['worker', '--redis', redis.url, '--queue', queue, '--concurrency', '1', '--lock-duration', '2000', ...extra]);
    workers.push(w);
    await w.waitFor(/waiting for cells/);
    return w;
  };
  const stopWorker = async (w: DrmgProcess): Promise<number> => {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    return w.exited;
  };
  const bullmq = (queue: string) => ['--backend', 'bullmq', '--redis', redis.url, '--queue', queue];
  /** Job keys of `queue` still in Redis (the run's jobs are named <run id>-<cell hash>). */
  const jobKeys = (queue: string): string[] => {
    const r = spawnSync(bin!.replace(/redis-server$/, 'redis-cli'), ['-p', String(redis.port), '-a', redis.password, '--no-auth-warning', '--scan', '--pattern', `bull:${queue}:*-*`], { encoding: 'utf8' });
    return r.stdout.split('\n').filter((k) => /:[0-9a-f]{16}-[0-9a-f]{64}$/.test(k));
  };

  beforeAll(async () => {
    expect(bin, 'redis-server is missing: run .ci/install-redis.sh (CI must run these tests)').not.toBeNull();
    redis = await startTestRedis(bin!);
    const r = await runCompareCli(...flags, '--workers', '2', '--out', reference, '--no-report');
    expect(r.code, r.stderr).toBe(0);
  });

  afterAll(async () => {
    for (const w of workers) await stopWorker(w);
    await redis?.dispose();
  });

  it('gives the results of a local run, file for file, and leaves no job in Redis; the password is never printed', async () => {
    const queue = nextQueue();
    const [a, b] = await Promise.all([startWorker(queue), startWorker(queue)]);
    const out = join(root, 'same');
    const r = await runCompareCli(...flags, ...bullmq(queue), '--out', out, '--no-report');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`on the bullmq queue ${queue} at redis://:***@127.0.0.1:${redis.port} (2 drmg workers connected)`);
    expect(r.stdout).toMatch(/6 runs in [\d.]+ s on [12] drmg workers? \(/);
    expect(`${r.stdout}${r.stderr}${a.stderr()}${b.stderr()}`).not.toContain(redis.password);
    expectSameResults(out, reference);
    expect(journal(out)).toHaveLength(6);
    expect(doneCells(a).length + doneCells(b).length).toBe(6);
    expect(jobKeys(queue)).toEqual([]);
    expect(await stopWorker(a)).toBe(143);
    expect(a.stderr()).toContain('stopped after');
    await stopWorker(b);
  });

  it('two workers, one killed with SIGKILL in the middle of a cell: the other takes it over, every cell completes exactly once', async () => {
    const queue = nextQueue();
    const [a, b] = await Promise.all([startWorker(queue), startWorker(queue)]);
    const out = join(root, 'sigkill');
    const run = runCompareCli(...flags, ...bullmq(queue), '--out', out, '--no-report');
    await a.waitFor(/: start /);
    a.child.kill('SIGKILL'); // in the middle of its first cell (a mornavi-tv cell lasts a second or so)
    expect(await a.exited).toBe(137);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expectSameResults(out, reference);
    const startedByA = [...a.stderr().matchAll(/: start .*?\(cell ([0-9a-f]{12})/g)].map((m) => m[1]);
    const killed = startedByA.filter((h) => !doneCells(a).includes(h));
    expect(killed).toHaveLength(1);
    const done = [...doneCells(a), ...doneCells(b)];
    expect(done.sort()).toEqual(journal(out).map((c) => c.hash.slice(0, 12)).sort()); // each cell once
    expect(doneCells(b)).toContain(killed[0]); // the killed worker's cell, finished by the other
    expect(b.stderr()).toMatch(new RegExp(`: start [^\\n]*\\(cell ${killed[0]}`));
    await stopWorker(b);
  });

  it('the coordinator killed with SIGKILL and resumed: the finished cells are collected from Redis, none is computed twice', async () => {
    const queue = nextQueue();
    const w = await startWorker(queue);
    const out = join(root, 'coordinator');
    const coordinator = startDrmg(['compare', ...flags, ...bullmq(queue), '--out', out, '--no-report']);
    await coordinator.waitFor(/compare: done /);
    coordinator.child.kill('SIGKILL');
    expect(await coordinator.exited).toBe(137);
    const before = journal(out).length;
    expect(before).toBeGreaterThanOrEqual(1);
    expect(before).toBeLessThan(6);
    // The worker goes on with the queued cells while no coordinator listens.
    await w.waitFor(/(: done [^\n]*\n[^]*){6}/);
    const r = await runCompareCli('--resume', out, ...bullmq(queue), '--no-report');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${before} done already (resumed), ${6 - before} to run`);
    expectSameResults(out, reference);
    expect(doneCells(w)).toHaveLength(6); // exactly once each, the resumed coordinator recomputed nothing
    expect(new Set(doneCells(w)).size).toBe(6);
    expect(jobKeys(queue)).toEqual([]);
    await stopWorker(w);
  });

  it('SIGINT to the coordinator: a partial report, exit 130, its waiting jobs leave the queue; --resume finishes it', async () => {
    const queue = nextQueue();
    const w = await startWorker(queue);
    const out = join(root, 'coordinator-sigint');
    const coordinator = startDrmg(['compare', ...flags, ...bullmq(queue), '--out', out]);
    await coordinator.waitFor(/compare: done /);
    coordinator.child.kill('SIGINT');
    expect(await coordinator.exited, coordinator.stderr()).toBe(130);
    const kept = journal(out).length;
    expect(read(out, 'report.html')).toContain(`This report is partial: drmg compare --resume ${out} runs the other ${6 - kept}.`);
    // At most the cell the worker was running is left (it finishes and waits in Redis); no waiting job is.
    await new Promise((done) => setTimeout(done, 1500));
    expect(jobKeys(queue).length).toBeLessThanOrEqual(1);
    const r = await runCompareCli('--resume', out, ...bullmq(queue), '--no-report');
    expect(r.code, r.stderr).toBe(0);
    expectSameResults(out, reference);
    expect(new Set(doneCells(w)).size).toBe(doneCells(w).length); // nothing computed twice
    expect(jobKeys(queue)).toEqual([]);
    await stopWorker(w);
  });

  it('Redis restarted in the middle of a run (append-only file on): the run completes with the same results', async () => {
    const queue = nextQueue();
    const w = await startWorker(queue);
    const out = join(root, 'restart');
    const run = runCompareCli(...flags, ...bullmq(queue), '--out', out, '--no-report');
    await w.waitFor(/: done /);
    await redis.stop();
    await new Promise((done) => setTimeout(done, 1000));
    await redis.start();
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expectSameResults(out, reference);
    expect(new Set(doneCells(w)).size).toBe(6);
    await stopWorker(w);
  });

  it('a cell that fails on every attempt is reported with its error after its retries; the other cells complete', async () => {
    const queue = nextQueue();
    const w = await startWorker(queue, ['--module', fixture]);
    const out = join(root, 'failing');
    const r = await runCompareCli('--module', fixture, '--learners', 'always-fails,planner', '--seeds', '1', '--episodes', '20', '--radii', '0', '--random-kernels', '0', ...bullmq(queue), '--attempts', '2', '--out', out, '--no-report');
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/1 cell failed: always-fails seed 0 \(cell [0-9a-f]{12}\): failed after 2 attempts: boom: always-fails never gets through an episode/);
    expect(r.stderr).toContain(`the runs that finished are kept in ${out}`);
    expect(w.stderr()).toMatch(/failed always-fails seed 0 .*attempt 1\)/);
    expect(w.stderr()).toMatch(/failed always-fails seed 0 .*attempt 2\)/);
    expect(journal(out).map((c) => c.output.result.learner)).toEqual(['planner']);
    await stopWorker(w);
  });

  it('a bad job fails at once on that cell only: a learner the worker does not know, a simulator command it does not allow', async () => {
    const queue = nextQueue();
    const w = await startWorker(queue); // without the module that registers coordinator-only
    const out = join(root, 'bad-job');
    const r = await runCompareCli('--module', fixture, '--learners', 'coordinator-only,planner', '--seeds', '1', '--episodes', '20', '--radii', '0', '--random-kernels', '0', ...bullmq(queue), '--out', out, '--no-report');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/1 cell failed: coordinator-only seed 0 \(cell [0-9a-f]{12}\): refused by the worker: job [0-9a-f]{16}-[0-9a-f]{64}: learners\[0\]\.name: .*coordinator-only/);
    expect(journal(out).map((c) => c.output.result.learner)).toEqual(['planner']);
    expect(w.stderr().match(/: start /g)).toHaveLength(1); // the planner; the bad job never started, nor was retried

    const sim = `node ${join(repoRoot, 'examples/external/relay-sim.mjs')}`;
    const simFlags = ['--env-cmd', sim, '--learners', 'mornavi-tv,random', '--seeds', '2', '--episodes', '60', '--radii', '0,0.3', '--random-kernels', '0', '--no-report'];
    const refused = await runCompareCli(...simFlags, ...bullmq(queue), '--out', join(root, 'sim-refused'));
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain('this worker does not start simulator commands');
    expect(refused.stderr).toContain('start it with drmg worker --allow-env-cmd');
    await stopWorker(w);

    const allowing = await startWorker(queue, ['--allow-env-cmd']);
    const local = join(root, 'sim-local');
    expect((await runCompareCli(...simFlags, '--workers', '1', '--out', local)).code).toBe(0);
    const remote = join(root, 'sim-bullmq');
    const ok = await runCompareCli(...simFlags, ...bullmq(queue), '--out', remote);
    expect(ok.code, ok.stderr).toBe(0);
    expectSameResults(remote, local);
    await stopWorker(allowing);
  });

  it('rediss:// (TLS, the server certificate signed by an authority given in NODE_EXTRA_CA_CERTS): the same results', async (context) => {
    const tls = makeTestTls(tempDir('drmg-tls-'));
    if (tls === null) {
      console.warn('compare-bullmq.test: SKIPPING the TLS test: openssl could not make a certificate');
      context.skip();
      return;
    }
    const secure = await startTestRedis(bin!, tls);
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: tls.ca };
    const queue = nextQueue();
    const w = startDrmg(['worker', '--redis', secure.url, '--queue', queue, '--concurrency', '2'], { env });
    workers.push(w);
    try {
      await w.waitFor(/waiting for cells on the bullmq queue .* at rediss:\/\/:\*\*\*@127\.0\.0\.1/);
      const out = join(root, 'tls');
      const c = startDrmg(['compare', ...flags, '--backend', 'bullmq', '--redis', secure.url, '--queue', queue, '--out', out, '--no-report'], { env });
      expect(await c.exited, c.stderr()).toBe(0);
      expectSameResults(out, reference);
      // Without the authority, the certificate is refused: a clear error, exit 2.
      const refused = await runCompareCli(...flags, '--backend', 'bullmq', '--redis', secure.url, '--queue', queue, '--out', join(root, 'tls-refused'));
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(`cannot use Redis at rediss://:***@127.0.0.1:${secure.port}`);
    } finally {
      await stopWorker(w);
      await secure.dispose();
    }
  });

  it('a wrong password: exit 2 before the run folder is made, without printing the password', async () => {
    const out = join(root, 'wrong-password');
    const r = await runCompareCli(...flags, '--backend', 'bullmq', '--redis', `redis://:not-it@127.0.0.1:${redis.port}`, '--out', out);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`drmg compare --redis: cannot use Redis at redis://:***@127.0.0.1:${redis.port}`);
    expect(r.stderr).not.toContain('not-it');
    expect(existsSync(out)).toBe(false);
  });
});
