/**
 * `drmg train --env-cmd`: MORNAVI trained on the Python and the Node relay simulators (examples/external), real child
 * processes. With the simulator's model the run is exact: the printed output policy, re-evaluated on that model by a
 * fresh evaluator, gives the printed gap, and the certificate holds; without a model the run reports Monte Carlo
 * returns. A simulator that crashes mid-training exits 2
 * with the command and its stderr named, and the --out file keeps the episodes completed before the crash.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePolicy, uniformPolicy } from '@drmg/core';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { gameWithKernel, startExternalEnv } from '@drmg/envs';
import { memoryIo, runCli } from '@drmg/cli';
import { entrySeed, lastValueFrom, toArray, trainExternal, trainManyExternal } from '@drmg/experiments';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'drmg-train-external-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const python = `python3 ${join(root, 'examples/external/relay_sim.py')}`;
const node = `node ${join(root, 'examples/external/relay-sim.mjs')}`;

async function train(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIo();
  const code = await runCli(['train', ...argv], io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe('drmg train --env-cmd', () => {
  for (const [label, cmd] of [['python', python], ['node', node]] as const) {
    it(`trains mornavi-tv on the ${label} simulator with exact gaps from its model, as on the same model as a file`, async () => {
      const r = await train('--env-cmd', cmd, '--learner', 'mornavi-tv', '--episodes', '300', '--seed', '3', '--json');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const run = JSON.parse(r.stdout) as { format: string; regret: number[]; gap: number; certifiedGap: number };
      expect(run.format).toBe('drmg-run/1');
      expect(run.regret.length).toBeGreaterThan(0);
      expect(run.certifiedGap).toBeGreaterThanOrEqual(run.gap - 1e-9);
      // The printed policy, re-evaluated on the simulator's model by a fresh evaluator, gives the printed gap.
      const env = await startExternalEnv(cmd);
      const model = env.model!;
      await env.close();
      const policy = parsePolicy((JSON.parse(r.stdout) as { policy: unknown }).policy, model);
      expect(Math.abs(initialGap(model, createEvaluator(model).evaluate(policy)) - run.gap)).toBeLessThanOrEqual(1e-12);
    });
  }

  it('is deterministic for a simulator that seeds itself from the reset seed', async () => {
    const a = await train('--env-cmd', python, '--learner', 'mornavi-tv', '--episodes', '100', '--seed', '7', '--json');
    const b = await train('--env-cmd', python, '--learner', 'mornavi-tv', '--episodes', '100', '--seed', '7', '--json');
    expect(a.stdout).toBe(b.stdout);
  });

  it('without a model: mean returns (Monte Carlo), gap null, exact false; the planner is refused', async () => {
    const r = await train('--env-cmd', `${node} --no-model`, '--learner', 'nash-vi', '--episodes', '200', '--json');
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout) as { gap: null; exact: boolean; meanReturns: number[]; returnErrors: number[]; regret: number[] };
    expect(run.exact).toBe(false);
    expect(run.gap).toBeNull();
    expect(run.regret).toEqual([]);
    expect(run.meanReturns).toHaveLength(2);
    for (const x of run.meanReturns) expect(x).toBeGreaterThan(0);
    const text = await train('--env-cmd', `${node} --no-model`, '--learner', 'random', '--episodes', '50');
    expect(text.stdout).toContain('the simulator gave no model, so no exact gap or regret');
    const planner = await train('--env-cmd', `${node} --no-model`, '--learner', 'planner', '--episodes', '5');
    expect(planner.code).toBe(2);
    expect(planner.stderr).toContain('learner planner: needs the model');
  });

  it('a simulator that crashes mid-training: exit 2, the command and its stderr named, completed episodes kept in --out', async () => {
    const sim = join(tmp, 'crashing.mjs');
    // The relay simulator, but it dies at its 40th step (episode 6, step 3: H = 6).
    const source = readFileSync(join(root, 'examples/external/relay-sim.mjs'), 'utf8');
    const patched = source.replace("} else if (method === 'step') {", "} else if (method === 'step') {\n    if (++globalThis.steps === 40) { console.error('sensor fault'); process.exit(4); }");
    expect(patched).not.toBe(source);
    writeFileSync(sim, patched.replace('const S = 5', 'globalThis.steps = 0;\nconst S = 5'));
    const out = join(tmp, 'crash.jsonl');
    const r = await train('--env-cmd', `node ${sim}`, '--learner', 'mornavi-tv', '--episodes', '50', '--out', out, '--json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`simulator "node ${sim}"`);
    expect(r.stderr).toContain('exited with code 4 while drmg waited for its answer to "step"');
    expect(r.stderr).toContain('sensor fault');
    expect(r.stdout).toBe('');
    const ends = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; k: number }).filter((e) => e.type === 'episode-end');
    expect(ends.map((e) => e.k)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('refuses --env-cmd with a game, --timeout without --env-cmd, and a bad timeout', async () => {
    expect((await train('--env-cmd', node, 'initial-shock-v0', '--learner', 'random', '--episodes', '5')).stderr).toContain('takes the place of GAME_OR_ID');
    expect((await train('initial-shock-v0', '--timeout', '5', '--learner', 'random', '--episodes', '5')).stderr).toContain('applies to --env-cmd only');
    expect((await train('--env-cmd', node, '--timeout', '0', '--learner', 'random', '--episodes', '5')).code).toBe(2);
  });

  it('drmg rollout --env-cmd: Monte Carlo returns under the simulator agree with its model (4 standard errors); only the nominal kernel', async () => {
    const io = memoryIo();
    expect(await runCli(['rollout', '--env-cmd', python, '--episodes', '3000', '--seed', '2', '--json'], io)).toBe(0);
    const r = JSON.parse(io.stdout) as { format: string; meanReturn: number[]; stdErr: number[] };
    expect(r.format).toBe('drmg-rollout/1');
    const env = await startExternalEnv(python);
    const model = env.model!;
    await env.close();
    const ev = createEvaluator(model).evaluate(uniformPolicy(model), { bestResponse: false, swap: false });
    const nominal = createEvaluator(gameWithKernel(model, model.kernel, { radius: 0 })).evaluate(uniformPolicy(model), { bestResponse: false, swap: false });
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(r.meanReturn[i] - nominal.value[i * model.S])).toBeLessThanOrEqual(4 * r.stdErr[i]);
      // ... and the robust value (radius 0.1) is lower than what the simulator shows.
      expect(ev.value[i * model.S]).toBeLessThan(nominal.value[i * model.S]);
    }
    const bad = memoryIo();
    expect(await runCli(['rollout', '--env-cmd', python, '--kernel', 'worst-case:0'], bad)).toBe(2);
    expect(bad.stderr).toContain('only nominal applies with --env-cmd');
  });
});

describe('drmg compare --env-cmd', () => {
  it('trains on the simulator on worker threads, scores exactly on its model, and config.json reruns it', async () => {
    const out = join(tmp, 'compare-ext');
    const io = memoryIo();
    const code = await runCli(['compare', '--env-cmd', python, '--learners', 'mornavi-tv,random', '--seeds', '2', '--episodes', '60', '--workers', '2', '--random-kernels', '0', '--out', out], io);
    expect(io.stderr.includes('error')).toBe(false);
    expect(code).toBe(0);
    const runs = readFileSync(join(out, 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; learner: string; outputGap: number; certifiedGap: number | null });
    const mornavi = runs.filter((r) => r.type === 'run' && r.learner === 'mornavi-tv');
    expect(mornavi).toHaveLength(2);
    for (const r of mornavi) expect(r.certifiedGap!).toBeGreaterThanOrEqual(r.outputGap - 1e-9);
    const config = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { envCmd: string; env: string };
    expect(config.envCmd).toBe(python);
    const again = memoryIo();
    const out2 = join(tmp, 'compare-ext-2');
    expect(await runCli(['compare', '--config', join(out, 'config.json'), '--workers', '1', '--out', out2], again)).toBe(0);
    // The same runs, byte for byte, on one thread as on two (the simulator seeds itself from the reset seeds).
    const strip = (f: string): string => readFileSync(f, 'utf8').split('\n').filter((l) => l.includes('"type":"run"')).join('\n');
    expect(strip(join(out2, 'results.jsonl'))).toBe(strip(join(out, 'results.jsonl')));
  });

  it('refuses a simulator without a model, and --env with --env-cmd', async () => {
    const io = memoryIo();
    expect(await runCli(['compare', '--env-cmd', `${node} --no-model`, '--episodes', '10', '--seeds', '1', '--out', join(tmp, 'nomodel')], io)).toBe(2);
    expect(io.stderr).toContain('the simulator serves no model; compare scores every policy exactly');
    const both = memoryIo();
    expect(await runCli(['compare', '--env', 'initial-shock-v0', '--env-cmd', node], both)).toBe(2);
    expect(both.stderr).toContain('takes the place of --env');
  });
});

describe('trainManyExternal', () => {
  it('each entry on its own simulator process: its events equal those of trainExternal alone, tagged with its name', async () => {
    const start = () => startExternalEnv(python);
    const entries = [{ name: 'tv', learner: { name: 'mornavi-tv' } }, { name: 'rnd', learner: { name: 'random' } }];
    const many = await lastValueFrom(trainManyExternal(entries, start, { episodes: 20, seed: 5, steps: false }).pipe(toArray()));
    const alone = await lastValueFrom(trainExternal({ env: start, learner: { name: 'random' }, episodes: 20, seed: entrySeed(5, 'rnd'), name: 'rnd', steps: false }).pipe(toArray()));
    expect(JSON.stringify(many.filter((e) => e.learner === 'rnd'))).toBe(JSON.stringify(alone));
    expect(many.filter((e) => e.learner === 'tv' && e.type === 'episode-end')).toHaveLength(20);
  });
});
