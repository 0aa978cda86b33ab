/**
 * The drmg command line, in-process (runCli with an in-memory io) and once end to end through
 * `pnpm --silent drmg` semantics (tsx on packages/cli/src/main.ts): exit codes, clean JSON on
 * stdout, messages on stderr that name the field, the index and the expectation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commands, memoryIo, runCli } from '@drmg/cli';

const root = resolve(import.meta.dirname, '..');
const data = (f: string) => join(root, 'examples/data', f);
const tmp = mkdtempSync(join(tmpdir(), 'drmg-cli-'));
function file(name: string, content: unknown): string {
  const p = join(tmp, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
}
async function run(...argv: string[]) {
  const io = memoryIo();
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('drmg evaluate', () => {
  it('prints only a drmg-evaluation/1 document with --json', async () => {
    const r = await run('evaluate', data('initial-shock.game.json'), data('initial-shock.policy.json'), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe('drmg-evaluation/1');
    expect(Object.keys(doc).sort()).toEqual(['bestResponse', 'ceGap', 'format', 'gap', 'swapBestResponse', 'value']);
    expect(doc.value).toHaveLength(2);
    expect(doc.value[0]).toHaveLength(2);
    expect(doc.gap).toHaveLength(2);
  });

  it('prints a readable table without --json', async () => {
    const r = await run('evaluate', data('initial-shock.game.json'), data('initial-shock.policy.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/state\s+V0\s+BR0\s+swapBR0/);
    expect(r.stdout).toMatch(/from the initial distribution: gap/);
  });

  it('exits 2 with a located message for a row that does not sum to 1', async () => {
    const game = JSON.parse(execFileSync('cat', [data('initial-shock.game.json')], { encoding: 'utf8' }));
    game.transition[2][0][1] = [0.5, 0.43];
    const r = await run('evaluate', file('bad-row.json', game), data('initial-shock.policy.json'), '--json');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/transition\[2\]\[0\]\[1\]: row sums to 0\.93/);
  });

  it('exits 2 on a missing file, an unparsable file, wrong arity and unknown options', async () => {
    expect((await run('evaluate', join(tmp, 'nope.json'), data('initial-shock.policy.json'))).code).toBe(2);
    const broken = await run('evaluate', file('broken.json', '{"format": '), data('initial-shock.policy.json'));
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.json/);
    const arity = await run('evaluate', data('initial-shock.game.json'));
    expect(arity.code).toBe(2);
    expect(arity.stderr).toMatch(/expected 2 arguments GAME POLICY, got 1/);
    const unknown = await run('evaluate', '--frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/frobnicate/);
  });

  it('rejects a policy of the wrong shape for the game', async () => {
    const r = await run('evaluate', data('initial-shock.game.json'), file('short-policy.json', { format: 'drmg-policy/1', policy: [[[1, 0, 0, 0]]] }));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/policy/);
  });
});

describe('drmg validate and help', () => {
  it('validates a good game and policy', async () => {
    const r = await run('validate', data('initial-shock.game.json'), data('initial-shock.policy.json'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ok: /);
  });
  it('reports an unknown divergence', async () => {
    const game = JSON.parse(execFileSync('cat', [data('initial-shock.game.json')], { encoding: 'utf8' }));
    game.uncertainty.divergence = 'chi2';
    const r = await run('validate', file('chi2.json', game));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/uncertainty\.divergence: expected "tv" or "kl", got "chi2"/);
  });
  it('documents every command', async () => {
    const r = await run('--help');
    expect(r.code).toBe(0);
    expect(commands.map((c) => c.name)).toEqual(['compare', 'worker', 'dashboard', 'evaluate', 'validate', 'solve', 'env', 'rollout', 'train']);
    for (const { name: c } of commands) {
      expect(r.stdout).toContain(c);
      const h = await run(c, '--help');
      expect(h.code).toBe(0);
      expect(h.stdout).toMatch(/^Usage: drmg /);
    }
    expect((await run('frobnicate')).code).toBe(2);
    // `pnpm start -- --help`: the `--` a package manager passes through before the flags is dropped.
    const passed = await run('compare', '--', '--help');
    expect(passed.code).toBe(0);
    expect(passed.stdout).toMatch(/^Usage: drmg compare/);
  });
});

describe('end to end through the root script', () => {
  it('`drmg evaluate --json` writes clean JSON and exit code 0; bad input exits 2 on stderr', () => {
    const tsx = join(root, 'node_modules/.bin/tsx');
    const ok = spawnSync(tsx, ['packages/cli/src/main.ts', 'evaluate', data('initial-shock.game.json'), data('initial-shock.policy.json'), '--json'], { cwd: root, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout).format).toBe('drmg-evaluation/1');
    const bad = spawnSync(tsx, ['packages/cli/src/main.ts', 'validate', file('not-json.json', 'hello')], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });
});
