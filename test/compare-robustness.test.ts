/**
 * `drmg compare` on one machine when things go wrong (issue 11): each failure a new user met, reproduced, and what
 * happens now.
 *  - two runs started in the same second: each gets a folder of its own (exclusive creation), with its own results;
 *  - SIGTERM during a run (main thread busy, --workers 1): every finished cell is in cells.jsonl, a partial report
 *    says so, exit 143; --resume finishes it, recomputes no finished cell, and its files equal an uninterrupted run's;
 *  - `pnpm drmg` is one node process under pnpm (no tsx wrapper that escalates to SIGKILL): Ctrl-C to the process
 *    group exits 130 with the partial files, SIGTERM to pnpm alone reaches drmg (exit 143, no orphan);
 *  - `--out ''`, an existing file, a folder of other files, a run of another experiment, a folder in use: exit 2
 *    before the first cell, nothing written;
 *  - a read-only folder (EACCES) and a full disk (a 64 KiB tmpfs, or a file size limit where mounting is not
 *    allowed): exit 2 with the path and the cause; every complete journal line kept, no truncated JSON, no
 *    temporary file left;
 *  - `--workers 200` (1000 is above the bound of 256 now): capped at the cores available, and the summary prints the number used.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCellOutput, RUN_JOURNAL, RUN_LOCK } from '@drmg/compare';
import { runCompareCli, tempDir } from './compare-helpers.ts';
import { drmgNodeArgs, repoRoot, runDrmg, startDrmg, startProcess } from './drmg-process.ts';

const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');
const runLines = (d: string) => read(d, 'results.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'run');
const journal = (d: string) => {
  const text = read(d, RUN_JOURNAL);
  expect(text === '' || text.endsWith('\n'), 'the journal ends with a complete line').toBe(true);
  return text === '' ? [] : text.trimEnd().split('\n').map((l, n) => decodeCellOutput(l, `line ${n + 1}`));
};
/** Every file under `d`: none is a temporary file, and every .json / .jsonl parses (nothing cut short). */
function checkNoTruncatedFiles(d: string): string[] {
  const names: string[] = [];
  const walk = (x: string, rel: string): void => {
    for (const n of readdirSync(x)) {
      const p = join(x, n);
      if (statSync(p).isDirectory()) walk(p, `${rel}${n}/`);
      else names.push(`${rel}${n}`);
    }
  };
  walk(d, '');
  expect(names.filter((n) => /\.tmp-\d+$/.test(n)), 'temporary files left behind').toEqual([]);
  for (const n of names) {
    if (n.endsWith('.json')) expect(() => JSON.parse(read(d, n)), n).not.toThrow();
    if (n.endsWith('.jsonl')) for (const line of read(d, n).split('\n').filter((l) => l !== '')) expect(() => JSON.parse(line), n).not.toThrow();
  }
  return names;
}

const root = tempDir('drmg-compare-robust-');

// Long enough cells to be stopped in the middle (mornavi-tv, a second or more each), cheap ones besides.
const slowFlags = ['--learners', 'mornavi-tv,random', '--seeds', '3', '--episodes', '1500', '--eval-points', '30', '--radii', '0,0.3', '--random-kernels', '2', '--rollout-episodes', '20'];
const quickFlags = ['--learners', 'planner,random', '--seeds', '2', '--episodes', '20', '--radii', '0,0.3', '--random-kernels', '0'];

describe('the run folder is claimed before the first cell', () => {
  it("refuses --out '' (it would write into the working directory): exit 2, nothing written", async () => {
    const cwd = tempDir('drmg-empty-out-');
    const r = await runDrmg(['compare', ...quickFlags, '--out', ''], { cwd });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain("out: expected a folder, got an empty path");
    expect(r.stderr).not.toMatch(/compare: \d+ runs/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses an existing file, a folder of other files, a run of another experiment, and a folder in use (exit 2, before any cell)', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a folder\n');
    let r = await runCompareCli(...quickFlags, '--workers', '1', '--out', file);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file}: exists and is not a folder`);

    const other = join(root, 'other-files');
    mkdirSync(other);
    writeFileSync(join(other, 'notes.txt'), 'mine\n');
    r = await runCompareCli(...quickFlags, '--workers', '1', '--out', other);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('is not empty and holds no drmg compare run (found notes.txt)');
    expect(readdirSync(other)).toEqual(['notes.txt']);

    const run = join(root, 'a-run');
    expect((await runCompareCli(...quickFlags, '--workers', '1', '--out', run, '--no-report')).code).toBe(0);
    const before = read(run, 'results.jsonl');
    r = await runCompareCli(...quickFlags.map((x) => (x === '20' ? '30' : x)), '--workers', '1', '--out', run, '--no-report');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('holds a run of another experiment (it differs in episodes)');
    expect(r.stderr).not.toMatch(/compare: \d+ runs/);
    expect(read(run, 'results.jsonl')).toBe(before);

    // A lock held by a live process (this one) on this host: two runs never share a folder.
    const busy = join(root, 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, RUN_LOCK), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), startedAt: 'now' }));
    r = await runCompareCli(...quickFlags, '--workers', '1', '--out', busy);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`is in use by another drmg compare (pid ${process.pid}`);
  });

  it('gives two runs started in the same second a folder each (created exclusively), each with its own results', async () => {
    const cwd = tempDir('drmg-same-second-');
    const a = startDrmg(['compare', ...quickFlags, '--seed', '0', '--workers', '1', '--no-report'], { cwd });
    const b = startDrmg(['compare', ...quickFlags, '--seed', '10', '--workers', '1', '--no-report'], { cwd });
    const [ca, cb] = await Promise.all([a.exited, b.exited]);
    expect(ca, a.stderr()).toBe(0);
    expect(cb, b.stderr()).toBe(0);
    const da = /results: (.*)\n/.exec(a.stdout())![1];
    const db = /results: (.*)\n/.exec(b.stdout())![1];
    expect(da).not.toBe(db);
    expect(readdirSync(join(cwd, 'runs')).sort()).toHaveLength(2);
    expect(runLines(da).map((l) => l.seed)).toEqual([0, 1, 0, 1]);
    expect(runLines(db).map((l) => l.seed)).toEqual([10, 11, 10, 11]);
    for (const d of [da, db]) expect(existsSync(join(d, RUN_LOCK))).toBe(false); // released at the end
  });
});

describe('interrupted and resumed', () => {
  const reference = join(root, 'reference');
  beforeAll(async () => {
    const r = await runCompareCli(...slowFlags, '--workers', '2', '--out', reference, '--no-report');
    expect(r.code, r.stderr).toBe(0);
  });

  it('SIGTERM with --workers 1 (the main thread busy): finished cells kept, partial report, exit 143; --resume completes it, equal to an uninterrupted run', async () => {
    const out = join(root, 'sigterm');
    const p = startDrmg(['compare', ...slowFlags, '--workers', '1', '--out', out]);
    await p.waitFor(/compare: done /);
    p.child.kill('SIGTERM');
    const code = await p.exited;
    expect(code, p.stderr()).toBe(143);
    expect(p.stderr()).toContain('compare: stopping (SIGTERM');
    const cells = journal(out);
    expect(cells.length).toBeGreaterThanOrEqual(1);
    expect(cells.length).toBeLessThan(6);
    expect(runLines(out)).toHaveLength(cells.length);
    expect(p.stdout()).toMatch(new RegExp(`INTERRUPTED: ${cells.length} of 6 runs finished`));
    expect(read(out, 'report.html')).toContain(`This report is partial: drmg compare --resume ${out} runs the other ${6 - cells.length}.`);
    expect(existsSync(join(out, RUN_LOCK))).toBe(false);
    checkNoTruncatedFiles(out);

    const r = await runCompareCli('--resume', out, '--workers', '2', '--no-report');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`${cells.length} done already (resumed), ${6 - cells.length} to run`);
    const timing = JSON.parse(read(out, 'timing.json'));
    expect(timing.reused).toBe(cells.length); // the finished cells were not recomputed
    const all = journal(out);
    expect(all).toHaveLength(6);
    expect(new Set(all.map((c) => c.hash)).size).toBe(6);
    expect(read(out, 'results.jsonl')).toBe(read(reference, 'results.jsonl'));
    expect(read(out, 'results.csv')).toBe(read(reference, 'results.csv'));
    for (const f of readdirSync(join(reference, 'policies'))) expect(read(out, `policies/${f}`)).toBe(read(reference, `policies/${f}`));
    expect(existsSync(join(out, 'report.html'))).toBe(false); // the partial report does not outlive a resume without plots
  });

  it('an --out holding a run of the same experiment continues it, and a finished run recomputes nothing', async () => {
    const r = await runCompareCli(...slowFlags, '--workers', '1', '--out', reference, '--no-report');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('6 done already (resumed), 0 to run');
    expect(JSON.parse(read(reference, 'timing.json')).reused).toBe(6);
  });
});

/** pnpm, to run `pnpm drmg` as a user does; null when it cannot be found. */
function pnpmCommand(): string[] | null {
  if (spawnSync('pnpm', ['--version'], { encoding: 'utf8' }).status === 0) return ['pnpm'];
  const exec = process.env.npm_execpath;
  if (exec !== undefined && /pnpm/.test(exec)) return [process.execPath, exec];
  return null;
}
const pnpm = pnpmCommand();
if (pnpm === null) console.warn('compare-robustness.test: SKIPPING the pnpm drmg signal tests: pnpm not found on PATH nor in npm_execpath');

function childrenOf(pid: number): { pid: number; args: string }[] {
  const r = spawnSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
  return r.stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = /^\s*(\d+)\s+(.*)$/.exec(l)!;
      return { pid: Number(m[1]), args: m[2] };
    });
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(pnpm === null)('pnpm drmg: one node process, signals reach it', () => {
  it('runs drmg as one node process under pnpm; Ctrl-C to the process group (main thread busy) exits 130 with the partial files', async () => {
    const out = join(root, 'pnpm-sigint');
    const [cmd, ...pre] = pnpm!;
    const p = startProcess(cmd, [...pre, '--silent', 'drmg', 'compare', ...slowFlags, '--workers', '1', '--out', out], { detached: true });
    await p.waitFor(/compare: done /);
    // Under pnpm: node itself (tsx's loader in process), not a tsx wrapper with node under it.
    const kids = childrenOf(p.child.pid!);
    expect(kids, JSON.stringify(kids)).toHaveLength(1);
    expect(kids[0].args).toMatch(/^node --import tsx packages\/cli\/src\/main\.ts compare /);
    expect(childrenOf(kids[0].pid)).toEqual([]);
    process.kill(-p.child.pid!, 'SIGINT'); // what a terminal's Ctrl-C does
    const code = await p.exited;
    expect(code, p.stderr()).toBe(130);
    expect(journal(out).length).toBeGreaterThanOrEqual(1);
    expect(read(out, 'summary.txt')).toMatch(/INTERRUPTED: \d of 6 runs finished/);
    expect(alive(kids[0].pid)).toBe(false);
  });

  it('SIGTERM to pnpm alone reaches drmg: exit 143, partial files, no orphan', async () => {
    const out = join(root, 'pnpm-sigterm');
    const [cmd, ...pre] = pnpm!;
    const p = startProcess(cmd, [...pre, '--silent', 'drmg', 'compare', ...slowFlags, '--workers', '1', '--out', out], { detached: true });
    await p.waitFor(/compare: done /);
    const node = childrenOf(p.child.pid!)[0].pid;
    p.child.kill('SIGTERM');
    const code = await p.exited;
    expect(code, p.stderr()).not.toBe(0);
    for (let t = 0; t < 100 && alive(node); t++) await new Promise((done) => setTimeout(done, 100));
    expect(alive(node), 'drmg outlived pnpm').toBe(false);
    expect(journal(out).length).toBeGreaterThanOrEqual(1);
    expect(read(out, 'summary.txt')).toMatch(/INTERRUPTED: \d of 6 runs finished/);
  });
});

/** How this machine can make a small full disk: a private tmpfs (unshare -rm, or mount as root), else null. */
function tmpfsWrapper(): string[] | null {
  if (process.env.DRMG_TEST_NO_TMPFS === '1') return null; // to try the file-size-limit path where mounting works
  const probe = tempDir('drmg-tmpfs-probe-');
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs ${probe} && echo ok`], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('ok') ? ['unshare', '-rm'] : null;
}

describe('write errors', () => {
  it('a read-only folder: exit 2 with the path and EACCES, before the first cell', async () => {
    const parent = tempDir('drmg-readonly-');
    const ro = join(parent, 'locked');
    mkdirSync(ro);
    // root ignores permission bits through CAP_DAC_OVERRIDE: as root the run goes without that capability (setpriv drops
    // it from the bounding set, so node never gets it) and stays root, so it reads the checkout wherever CI put it.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(ro, 0, 0);
    chmodSync(ro, 0o555);
    const args = ['compare', ...quickFlags, '--workers', '1', '--out', join(ro, 'run')];
    const r = asRoot
      ? await (async () => {
          const p = startProcess('setpriv', ['--bounding-set=-dac_override,-dac_read_search', '--inh-caps=-all', '--', process.execPath, ...drmgNodeArgs(args)], { cwd: parent });
          const code = await p.exited;
          return { code, stdout: p.stdout(), stderr: p.stderr() };
        })()
      : await runDrmg(args, { cwd: parent });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(ro, 'run')}: cannot create the run folder: EACCES (permission denied)`);
    expect(r.stderr).not.toMatch(/compare: \d+ runs/);
    expect(readdirSync(ro)).toEqual([]);
  });

  const wrapper = tmpfsWrapper();
  it(`a full disk (${wrapper !== null ? 'a 64 KiB tmpfs' : 'a file size limit, prlimit --fsize: mounting is not allowed here'}): exit 2 with the path and the cause; complete journal lines only, no truncated JSON`, async () => {
    const mount = tempDir('drmg-full-');
    const out = join(mount, 'run');
    const args = ['compare', '--learners', 'mornavi-tv,nash-vi,planner', '--seeds', '2', '--episodes', '120', '--eval-points', '30', '--radii', '0,0.15,0.3', '--random-kernels', '2', '--rollout-episodes', '30', '--workers', '1', '--out', out];
    const node = [process.execPath, ...drmgNodeArgs(args)].map((a) => `'${a}'`).join(' ');
    // A mornavi-tv cell's journal line is ~40 KB: the first fits in 64 KiB with config.json, the second does not.
    const r =
      wrapper !== null
        ? await runShell([...wrapper, 'sh', '-c', `mount -t tmpfs -o size=64k tmpfs '${mount}' && cd '${repoRoot}' && ${node}; code=$?; cp -r '${out}' '${mount}.copy' 2>/dev/null; exit $code`])
        : await runShell(['prlimit', '--fsize=60000', process.execPath, ...drmgNodeArgs(args)], { TSX_DISABLE_CACHE: '1' });
    expect(r.code, r.stderr).toBe(2);
    const cause = wrapper !== null ? 'ENOSPC (no space left on the device)' : 'EFBIG (file too large for this system)';
    expect(r.stderr).toContain(`${join(out, RUN_JOURNAL)}: cannot append the result of mornavi-tv seed 1: ${cause}`);
    expect(r.stderr).toContain(`the runs that finished are kept in ${out}`);
    const kept = wrapper !== null ? `${mount}.copy` : out;
    const cells = journal(kept);
    expect(cells.map((c) => `${c.output.result.learner}/${c.output.result.seed}`)).toEqual(['mornavi-tv/0']);
    const names = checkNoTruncatedFiles(kept);
    expect(names).not.toContain('results.jsonl'); // never written half
  });

  it('a result file that cannot be written whole (prlimit --fsize) is left out, never cut short: exit 2 with the path', async () => {
    const out = join(root, 'fsize');
    expect((await runCompareCli(...quickFlags, '--workers', '1', '--out', out, '--no-report')).code).toBe(0);
    const jsonl = statSync(join(out, 'results.jsonl')).size;
    const csv = statSync(join(out, 'results.csv')).size;
    expect(csv).toBeGreaterThan(jsonl);
    const limit = Math.floor((jsonl + csv) / 2);
    // Resuming the finished run rewrites the result files only: results.jsonl fits under the limit, results.csv does not.
    const r = await runShell(['prlimit', `--fsize=${limit}`, process.execPath, ...drmgNodeArgs(['compare', '--resume', out, '--workers', '1', '--no-report'])], { TSX_DISABLE_CACHE: '1' });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${join(out, 'results.csv')}: cannot write it: EFBIG`);
    checkNoTruncatedFiles(out);
    expect(statSync(join(out, 'results.csv')).size).toBe(csv); // the previous complete file, untouched
  });
});

async function runShell(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  // No tsx cache writes under a file size limit: only drmg's own files meet it.
  const p = startProcess(argv[0], argv.slice(1), { env: { ...process.env, ...env } });
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

describe('workers', () => {
  it('caps --workers at the cores available and prints the number used; --oversubscribe lifts the cap (never above the cells)', async () => {
    const cores = availableParallelism();
    const out = join(root, 'w200');
    const r = await runCompareCli(...quickFlags, '--workers', '200', '--out', out, '--no-report');
    expect(r.code, r.stderr).toBe(0);
    const used = Math.min(cores, 4);
    const where = cores === 1 ? 'the main thread' : `${used} worker threads`;
    expect(r.stderr).toContain(`on ${where} (--workers 200 capped at the ${cores} cores available; --oversubscribe to use more)`);
    expect(r.stdout).toContain(`4 runs in`);
    expect(r.stdout).toContain(`on ${where} (--workers 200 capped`);
    expect(JSON.parse(read(out, 'timing.json')).workers).toBe(cores === 1 ? 1 : used);
    expect(JSON.parse(read(out, 'config.json')).provenance.workers).toBe(cores === 1 ? 1 : used);

    const over = join(root, 'over');
    const o = await runCompareCli(...quickFlags, '--workers', '200', '--oversubscribe', '--out', over, '--no-report');
    expect(o.code, o.stderr).toBe(0);
    expect(o.stderr).toContain('on 4 worker threads\n');
  });
});

describe('a cell that fails in a user module', () => {
  it('exits 1 with its message, and does not call it a bug in drmg unconditionally', async () => {
    const out = join(tempDir('drmg-failing-cell-'), 'run');
    const fixture = join(repoRoot, 'test', 'fixtures', 'queue-learners.ts');
    const r = await runCompareCli('--module', fixture, '--env', 'initial-shock-v0', '--learners', 'always-fails', '--seeds', '1', '--episodes', '5', '--workers', '1', '--out', out, '--no-report');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('boom: always-fails never gets through an episode');
    expect(r.stderr).toContain('if it comes from a module of yours, a custom learner, agent or environment, the fix is there');
  });
});
