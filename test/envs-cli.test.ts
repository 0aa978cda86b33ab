/**
 * `drmg env` and `drmg rollout`, in process: JSON outputs parsed and checked, and rollouts checked
 * from outside against the independent reference evaluator (test/reference-evaluator.ts) on the
 * exported model (`env export` -> parseGame -> refValue), as the "done when" asks.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrmgError, createProductPolicy, createRng, gameToJson, parseGame, policyToJson, type TabularGame } from '@drmg/core';
import { make } from '@drmg/envs';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliCommand } from '../packages/cli/src/cli-command.ts';
import { memoryIo } from '../packages/cli/src/cli-io.ts';
import { envCommand } from '../packages/cli/src/env-command.ts';
import { rolloutCommand } from '../packages/cli/src/rollout-command.ts';
import { refValue, tabularToDense, type DensePolicy } from './reference-evaluator.ts';

const dir = mkdtempSync(join(tmpdir(), 'drmg-envs-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(cmd: CliCommand, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIo();
  const code = await cmd.run(args, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

async function inputError(cmd: CliCommand, args: string[]): Promise<string> {
  try {
    await cmd.run(args, memoryIo());
  } catch (e) {
    expect(e).toBeInstanceOf(DrmgError);
    expect((e as DrmgError).kind).toBe('input');
    return (e as Error).message;
  }
  throw new Error(`expected drmg ${cmd.name} ${args.join(' ')} to fail`);
}

/** Writes a random product policy of `game` as drmg-policy/1 and returns its path and dense table. */
function writePolicy(game: TabularGame, name: string): { path: string; dense: DensePolicy } {
  const rng = createRng(name);
  const policy = createProductPolicy(game, (i) => {
    const w = Array.from({ length: game.A[i] }, () => 0.1 + rng());
    const s = w.reduce((a, b) => a + b, 0);
    return w.map((x) => x / s);
  });
  const json = policyToJson(policy, game);
  const path = join(dir, `${name}.policy.json`);
  writeFileSync(path, JSON.stringify(json));
  return { path, dense: json.policy };
}

describe('drmg env', () => {
  it('env list --json: every environment with parameters and sizes', async () => {
    const { code, stdout } = await run(envCommand, ['list', '--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(stdout);
    expect(doc.format).toBe('drmg-env-list/1');
    const ids = doc.envs.map((e: { id: string }) => e.id);
    for (const id of ['initial-shock-v0', 'corrupted-bandit-v0', 'bridge-crossing-v0', 'intersection-v0', 'random-v0', 'shapley-v0']) expect(ids).toContain(id);
    const bridge = doc.envs.find((e: { id: string }) => e.id === 'bridge-crossing-v0');
    expect(bridge.sizes).toEqual({ agents: 2, states: 36, horizon: 6, actions: [3, 3], jointActions: 9 });
    expect(bridge.params.find((p: { name: string }) => p.name === 'slip')).toMatchObject({ type: 'number', default: 0.1, min: 0, max: 1 });
  });

  it('env list: a readable table and the parameters', async () => {
    const { stdout } = await run(envCommand, ['list']);
    expect(stdout).toMatch(/^id\s+agents\s+S\s+H\s+actions\n/);
    expect(stdout).toMatch(/bridge-crossing-v0\s+2\s+36\s+6\s+\[3, 3\]/);
    expect(stdout).toContain('    rho=NUMBER  (default 0.2; in [0, 1])\n        how much more slippery reality may be');
  });

  it('env export ID --json prints the model as drmg-game/1, with --param applied', async () => {
    const { stdout } = await run(envCommand, ['export', 'intersection-v0', '--param', 'slip=0.1', '-p', 'divergence=kl', '--json']);
    const doc = JSON.parse(stdout);
    expect(doc.format).toBe('drmg-game/1');
    const game = parseGame(doc);
    expect(gameToJson(game)).toEqual(gameToJson(make('intersection-v0', { slip: 0.1, divergence: 'kl' }).model));
    expect(game.divergence).toBe('kl');
    expect(game.failureStates).toEqual([[35], [35]]);
  });

  it('env export without --json: a readable summary', async () => {
    const { stdout } = await run(envCommand, ['export', 'initial-shock-v0']);
    expect(stdout).toContain('2 agents, actions [2, 2], S = 2, H = 3');
    expect(stdout).toContain('uncertainty: TV, radius per agent 0..0.2 (varies with h, s)');
    expect(stdout).toContain('initial: good: 1');
  });

  it('bad input: unknown subcommand, id or parameter, out-of-range value', async () => {
    expect(await inputError(envCommand, ['show'])).toBe('drmg env: expected a subcommand "list" or "export", got "show" (see drmg env --help)');
    expect(await inputError(envCommand, ['export', 'bridge-crossing-v9', '--json'])).toBe('make("bridge-crossing-v9"): unknown version; registered: bridge-crossing-v0');
    expect(await inputError(envCommand, ['export', 'bridge-crossing-v0', '--param', 'rho=2'])).toBe('bridge-crossing-v0.rho: expected a number in [0, 1], got 2');
    expect(await inputError(envCommand, ['export', 'bridge-crossing-v0', '--param', 'wind=2'])).toMatch(/^bridge-crossing-v0\.wind: unknown parameter; bridge-crossing-v0 accepts horizon, slip/);
    expect(await inputError(envCommand, ['export', 'bridge-crossing-v0', '--param', 'rho=much'])).toBe('bridge-crossing-v0.rho: expected a number, got "much"');
    expect(await inputError(envCommand, ['list', '--verbose'])).toMatch(/^drmg env: Unknown option '--verbose'/);
    const help = await run(envCommand, ['--help']);
    expect(help.stdout).toContain('Usage: drmg env list [--json]');
  });
});

describe('drmg rollout', () => {
  it.each([
    ['bridge-crossing-v0', ['--param', 'rho=0.3']],
    ['intersection-v0', ['--param', 'divergence=kl', '--param', 'slip=0.2']],
    ['random-v0', ['--param', 'states=4', '--param', 'failure=true', '--param', 'seed=5']],
    ['initial-shock-v0', []],
  ] as const)('%s: worst-case:i and nominal rollouts agree with the reference evaluator on the exported model', async (id, params) => {
    const exported = JSON.parse((await run(envCommand, ['export', id, ...params, '--json'])).stdout);
    const gamePath = join(dir, `${id}.game.json`);
    writeFileSync(gamePath, JSON.stringify(exported));
    const game = parseGame(exported);
    const dense = tabularToDense(game);
    const { path: policyPath, dense: pi } = writePolicy(game, id);
    const start = (V: number[][]) => V[0].reduce((acc, v, s) => acc + dense.initial[s] * v, 0);
    for (let i = 0; i < game.m; i++) {
      // From the id (with parameters) and from the exported file: both must match the reference.
      for (const target of [[id, ...params], [gamePath]]) {
        const out = await run(rolloutCommand, [...target, '--policy', policyPath, '--episodes', '6000', '--seed', '3', '--kernel', `worst-case:${i}`, '--json']);
        const doc = JSON.parse(out.stdout);
        expect(Object.keys(doc)).toEqual(['format', 'meanReturn', 'stdErr', 'episodes']);
        expect(doc.format).toBe('drmg-rollout/1');
        expect(doc.episodes).toBe(6000);
        const exact = start(refValue(dense, pi, i, true));
        expect(Math.abs(doc.meanReturn[i] - exact)).toBeLessThanOrEqual(4 * doc.stdErr[i] + 1e-9);
      }
    }
    const nominal = JSON.parse((await run(rolloutCommand, [gamePath, '--policy', policyPath, '--episodes', '6000', '--kernel', 'nominal', '--json'])).stdout);
    for (let i = 0; i < game.m; i++) {
      const exact = start(refValue(dense, pi, i, false));
      expect(Math.abs(nominal.meanReturn[i] - exact)).toBeLessThanOrEqual(4 * nominal.stdErr[i] + 1e-9);
    }
  });

  it('is deterministic per seed; random kernels and the readable output', async () => {
    const a = await run(rolloutCommand, ['intersection-v0', '--episodes', '500', '--seed', '9', '--kernel', 'random', '--json']);
    const b = await run(rolloutCommand, ['intersection-v0', '--episodes', '500', '--seed', '9', '--kernel', 'random', '--json']);
    const c = await run(rolloutCommand, ['intersection-v0', '--episodes', '500', '--seed', '10', '--kernel', 'random', '--json']);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    const readable = await run(rolloutCommand, ['initial-shock-v0', '--episodes', '2000', '--kernel', 'worst-case:0']);
    expect(readable.stdout).toContain('rollout of the uniform policy in initial-shock-v0 (worst-case:0 kernel), 2000 episodes, seed 0');
    // Uniform policy in Example 1 (H = 3, rho = 0.2): 1 + 0.8 * 2 + 0.2 * (1/4 + 1/4 + 3/4 * 1/4) = 2.7375.
    expect(readable.stdout).toMatch(/agent_0\s+\S+\s+\S+\s+\[\S+, \S+\]\s+2\.737500/);
  });

  it('bad input: kernel, agent, episodes, parameters on a file, unknown target', async () => {
    expect(await inputError(rolloutCommand, ['bridge-crossing-v0', '--kernel', 'worst'])).toBe(
      'drmg rollout --kernel: expected nominal, worst-case:AGENT, random or random:AGENT, got "worst"',
    );
    expect(await inputError(rolloutCommand, ['bridge-crossing-v0', '--kernel', 'worst-case'])).toBe('drmg rollout --kernel: expected worst-case:AGENT with AGENT in [0, 1], got "worst-case"');
    expect(await inputError(rolloutCommand, ['bridge-crossing-v0', '--kernel', 'worst-case:2'])).toBe('drmg rollout --kernel: agent 2 out of range: expected an agent in [0, 1]');
    expect(await inputError(rolloutCommand, ['bridge-crossing-v0', '--episodes', '1'])).toBe('drmg rollout --episodes: expected an integer in [2, 10000000], got 1');
    expect(await inputError(rolloutCommand, ['examples/data/initial-shock.game.json', '--param', 'rho=0.1'])).toMatch(/^drmg rollout --param: environment parameters apply to registered environment ids only/);
    expect(await inputError(rolloutCommand, ['no-such-game.json'])).toBe('no-such-game.json: neither a registered environment id (see drmg env list) nor an existing drmg-game/1 file');
    expect(await inputError(rolloutCommand, ['cliff-v0'])).toMatch(/^make\("cliff-v0"\): unknown environment id/);
    expect(await inputError(rolloutCommand, [])).toBe('drmg rollout: expected 1 argument GAME_OR_ID, got 0 (see drmg rollout --help)');
    const help = await run(rolloutCommand, ['-h']);
    expect(help.stdout).toContain('Usage: drmg rollout GAME_OR_ID');
  });
});
