/**
 * drmg as a user installs it: builds every package (`tsc -b`), packs each with pnpm (which applies `publishConfig`:
 * exports, main, types and bin pointing at dist/), installs the tarballs with npm into a fresh ESM project in a temp
 * directory, and checks that
 *  - a plain `node` script makes an environment, trains mornavi-tv for 200 episodes and prints the exact gap,
 *  - `tsc --strict --noUncheckedIndexedAccess --exactOptionalPropertyTypes --module nodenext` on a consumer file that
 *    implements an Agent and registers an environment reports 0 errors (no skipLibCheck: drmg's .d.ts are checked),
 *  - `npx drmg --help` and a small `npx drmg compare` (on worker threads) work, with no tsx installed anywhere, and
 *    so do `npx drmg worker` and `npx drmg compare --backend bullmq` against a real redis-server (when there is one),
 *  - `npm publish --dry-run` accepts every tarball, which carries dist/ and package.json only (no .ts sources, no tests).
 * Needs the npm registry (third-party dependencies are installed from it, as a user's would be).
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startProcess } from './drmg-process.ts';
import { inCi, redisServerBinary, startTestRedis } from './redis-server.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = ['core', 'equilibria', 'evaluators', 'envs', 'learners', 'experiments', 'compare', 'cli'];
let work = '';
let project = '';
let tarballs: string[] = [];

/** pnpm as the test was started with it (`pnpm test`), else the version the repository pins, through npx. */
function pnpm(): { cmd: string; pre: string[] } {
  const exec = process.env.npm_execpath ?? '';
  if (/pnpm/.test(exec)) return /\.(c?js|mjs)$/.test(exec) ? { cmd: process.execPath, pre: [exec] } : { cmd: exec, pre: [] };
  return { cmd: 'npx', pre: ['-y', 'pnpm@12.4.2'] };
}

function run(cmd: string, args: string[], cwd: string, timeout = 300_000): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, NODE_OPTIONS: '' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status}: ${r.stderr}\n${r.stdout}`);
  return r;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'drmg-consumer-'));
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli/tsconfig.build.json'], root);
  const packs = join(work, 'packs');
  mkdirSync(packs);
  const { cmd, pre } = pnpm();
  for (const p of PACKAGES) run(cmd, [...pre, 'pack', '--pack-destination', packs], join(root, 'packages', p));
  tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz')).map((f) => join(packs, f));
  project = join(work, 'app');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'drmg-consumer', private: true, type: 'module' }, null, 2));
  const tsVersion = (JSON.parse(readFileSync(join(root, 'node_modules/typescript/package.json'), 'utf8')) as { version: string }).version;
  run('npm', ['install', '--no-audit', '--no-fund', ...tarballs, `typescript@${tsVersion}`, '@types/node@20'], project);
}, 600_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('drmg installed from its tarballs into a fresh project', () => {
  it('packs all 8 packages with dist/ only, exports and types pointing at it, and the drmg bin', () => {
    expect(tarballs.length).toBe(PACKAGES.length);
    for (const t of tarballs) {
      const files = execFileSync('tar', ['tzf', t], { encoding: 'utf8' }).trim().split('\n');
      expect(files).toContain('package/package.json');
      expect(files.some((f) => f.startsWith('package/dist/') && f.endsWith('index.d.ts'))).toBe(true);
      const stray = files.filter((f) => f !== 'package/package.json' && !f.startsWith('package/dist/'));
      expect(stray).toEqual([]);
      expect(files.filter((f) => /\.test\.|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    }
    const cli = JSON.parse(readFileSync(join(project, 'node_modules/@drmg/cli/package.json'), 'utf8')) as { bin: Record<string, string>; exports: Record<string, unknown>; private?: boolean };
    expect(cli.bin).toEqual({ drmg: './dist/main.js' });
    expect(cli.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(cli.private).toBeUndefined();
  });

  it('runs a plain node ESM script: make an env, train mornavi-tv for 200 episodes, print the exact gap', () => {
    writeFileSync(
      join(project, 'app.mjs'),
      [
        "import { createRng } from '@drmg/core';",
        "import { make } from '@drmg/envs';",
        "import { createEvaluator, initialGap } from '@drmg/evaluators';",
        "import { createLearner, learnerContext, runEpisode } from '@drmg/learners';",
        "const game = make('bridge-crossing-v0', { horizon: 4 }).model;",
        "const learner = createLearner('mornavi-tv', learnerContext(game, 200), {});",
        'const rng = createRng(1);',
        'for (let k = 0; k < 200; k++) runEpisode(game, learner, k, rng);',
        'const gap = initialGap(game, createEvaluator(game).evaluate(learner.outputPolicy()));',
        'console.log(JSON.stringify({ gap, certified: learner.outputCertifiedGap() }));',
      ].join('\n'),
    );
    const out = JSON.parse(run(process.execPath, ['app.mjs'], project).stdout) as { gap: number; certified: number };
    expect(Number.isFinite(out.gap)).toBe(true);
    // The certificate holds (bonus=valid), as in the repository's own tests.
    expect(out.certified).toBeGreaterThanOrEqual(out.gap - 1e-9);
    expect(existsSync(join(project, 'node_modules/tsx'))).toBe(false);
    expect(execFileSync('find', [join(project, 'node_modules'), '-maxdepth', '3', '-name', 'tsx', '-type', 'd'], { encoding: 'utf8' }).trim()).toBe('');
  });

  it('type-checks a consumer that implements an Agent and registers an environment: 0 errors under the strict flags', () => {
    writeFileSync(
      join(project, 'agent.ts'),
      `import { buildGame, createRng, type Rng } from '@drmg/core';
import { createTabularEnv, defineEnv, make, register } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { agentContext, learnerContext, runEpisode, teamLearner, type Agent, type AgentContext, type AgentObservation } from '@drmg/learners';

/** An agent that always plays its first action. */
class FirstAction implements Agent {
  readonly #pi: Float64Array;
  constructor(ctx: AgentContext) {
    this.#pi = new Float64Array(ctx.H * ctx.S * ctx.actions);
    for (let k = 0; k < ctx.H * ctx.S; k++) this.#pi[k * ctx.actions] = 1;
  }
  act(_obs: AgentObservation, _rng: Rng): number {
    return 0;
  }
  observe(_obs: AgentObservation, _action: number, _reward: number, _next: AgentObservation): void {}
  endEpisode(_k: number): void {}
  policy(): Float64Array {
    return this.#pi;
  }
}

register(
  defineEnv({
    id: 'two-coins-v0',
    summary: 'two agents, one state: each is paid when both coins match',
    params: { horizon: { type: 'integer', default: 2, min: 1, max: 5, doc: 'horizon H' } },
    create: (p, ctx) =>
      createTabularEnv(
        buildGame({ states: 1, horizon: p.horizon, actions: [2, 2], initial: 0, reward: (_h, _s, a, i) => (a[i] === a[1 - i] ? 1 : 0), transition: () => [1], divergence: 'tv', radius: 0.1 }),
        { id: ctx.id },
      ),
  }),
);
const game = make('two-coins-v0', { horizon: 3 }).model;
const context = learnerContext(game, 10);
const learner = teamLearner([0, 1].map((i) => new FirstAction(agentContext(context, i))), context);
const rng = createRng(0);
for (let k = 0; k < 10; k++) runEpisode(game, learner, k, rng);
const gap: number = initialGap(game, createEvaluator(game).evaluate(learner.outputPolicy()));
console.log(gap);
`,
    );
    const tsc = join(project, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(
      process.execPath,
      [tsc, '--strict', '--noUncheckedIndexedAccess', '--exactOptionalPropertyTypes', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--noEmit', 'agent.ts'],
      { cwd: project, encoding: 'utf8' },
    );
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('npx drmg --help and a small npx drmg compare on worker threads run with plain node', () => {
    const help = run('npx', ['--no-install', 'drmg', '--help'], project).stdout;
    expect(help).toContain('Usage: drmg <command>');
    const out = join(work, 'compare-run');
    const r = run('npx', ['--no-install', 'drmg', 'compare', '--env', 'initial-shock-v0', '--learners', 'mornavi-tv,random', '--seeds', '2', '--episodes', '100', '--workers', '2', '--out', out], project);
    expect(r.stdout).toContain('2 worker threads');
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { learner?: string });
    expect(new Set(lines.map((l) => l.learner).filter((x) => x !== undefined))).toEqual(new Set(['mornavi-tv', 'random']));
  });

  // The installed bullmq executor: dist/executors/*.js, the worker threads' entry dist/compare-worker.js, bullmq and ioredis from npm.
  it.skipIf(redisServerBinary() === null && !inCi)('the installed drmg worker and drmg compare --backend bullmq run with plain node against a real redis-server', { timeout: 60_000 }, async () => {
    const redis = await startTestRedis(redisServerBinary()!);
    // The installed bin itself (npx would stand between the test and the worker's signals).
    const drmg = join(project, 'node_modules', '.bin', 'drmg');
    const worker = startProcess(drmg, ['worker', '--redis', redis.url, '--concurrency', '2'], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' } });
    try {
      await Promise.race([worker.waitFor(/waiting for cells/), new Promise((_, reject) => setTimeout(() => reject(new Error(`no worker after 20 s: ${worker.stderr()}`)), 20_000))]);
      const out = join(work, 'compare-bullmq');
      // Not spawnSync: the worker's output is read while the coordinator runs.
      const c = startProcess(drmg, ['compare', '--env', 'initial-shock-v0', '--learners', 'mornavi-tv,random', '--seeds', '2', '--episodes', '100', '--backend', 'bullmq', '--redis', redis.url, '--out', out, '--no-report'], { cwd: project, env: { ...process.env, NODE_OPTIONS: '' } });
      const code = await c.exited;
      expect(code, `${c.stderr()}\nworker:\n${worker.stderr()}`).toBe(0);
      expect(c.stdout()).toMatch(/4 runs in [\d.]+ s on 1 drmg worker \(/);
      const local = readFileSync(join(work, 'compare-run', 'results.jsonl'), 'utf8');
      expect(readFileSync(join(out, 'results.jsonl'), 'utf8')).toBe(local);
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
      await redis.dispose();
    }
  });

  it('npm publish --dry-run accepts every tarball', () => {
    for (const t of tarballs) {
      const r = spawnSync('npm', ['publish', '--dry-run', t], { cwd: work, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      expect(r.status, `${t}: ${r.stderr}`).toBe(0);
      // The only warning a dry run without credentials may print is that a real publish needs a login.
      const warnings = r.stderr.split('\n').filter((l) => /\bwarn\b/i.test(l) && !/requires you to be logged in/.test(l));
      expect(warnings, t).toEqual([]);
    }
  });
});
