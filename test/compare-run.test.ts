/**
 * `drmg compare` end to end on a small config: the run folder's files; determinism (--workers 1 on
 * the main thread and --workers 2 on the piscina pool give byte-identical results.jsonl and
 * results.csv); the figures checked from outside (regret = the running rectangle sum of the recorded
 * gaps; each output policy file re-evaluated by a fresh evaluator gives the recorded gap and values;
 * the exact worst-case return agrees with Monte Carlo rollouts under the worst-case kernel); the
 * --json document; and an interrupted experiment keeps and reports what finished.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '@drmg/core';
import { adversarialKernel, make, rolloutReturns } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { compare, initialValues, withRadiusProfile, type CompareProgressSink } from '@drmg/compare';
import { runCompareCli, smallConfig, smallFlags, tempDir } from './compare-helpers.ts';

const dir = tempDir('drmg-compare-run-');
const read = (d: string, f: string) => readFileSync(join(d, f), 'utf8');

describe('drmg compare on a small config', () => {
  const one = join(dir, 'w1');
  const two = join(dir, 'w2');
  let stdout = '';

  it('writes the run folder (exit 0) and prints the summary, the folder and the timing', async () => {
    const r = await runCompareCli(...smallFlags, '--workers', '1', '--out', one, '--no-report');
    expect(r.stderr).toContain('compare: 6 runs (3 learners x 2 seeds) on the main thread');
    expect(r.code).toBe(0);
    stdout = r.stdout;
    for (const f of ['config.json', 'results.jsonl', 'results.csv', 'timing.json', 'summary.txt', 'policies/mornavi-tv-seed0.policy.json', 'policies/planner-seed1.policy.json']) {
      expect(existsSync(join(one, f)), f).toBe(true);
    }
    expect(existsSync(join(one, 'report.html'))).toBe(false); // --no-report
    expect(stdout).toContain('Learning (mean ± sd over seeds)');
    expect(stdout).toContain('Best worst-case team return by radius');
    expect(stdout).toContain(`results: ${one}`);
    expect(stdout).toMatch(/compare: 6 runs in [\d.]+ s on the main thread; total [\d.]+ s/);
  });

  it('gives byte-identical results files with --workers 2 (worker threads) and --workers 1 (main thread)', async () => {
    const r = await runCompareCli(...smallFlags, '--workers', '2', '--out', two, '--no-report');
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('on 2 worker threads');
    expect(read(two, 'results.jsonl')).toBe(read(one, 'results.jsonl'));
    expect(read(two, 'results.csv')).toBe(read(one, 'results.csv'));
    for (const f of ['mornavi-tv-seed0', 'nash-vi-seed1', 'planner-seed0']) expect(read(two, `policies/${f}.policy.json`)).toBe(read(one, `policies/${f}.policy.json`));
    // the summary differs only in its timing columns
    const strip = (t: string) => t.replace(/\s+[\d.]+\s+\d+\s*$/gm, '');
    expect(strip(read(two, 'summary.txt'))).toBe(strip(read(one, 'summary.txt')));
  });

  it('records a config.json that reruns the same experiment', async () => {
    const cfg = JSON.parse(read(one, 'config.json'));
    expect(cfg.format).toBe('drmg-compare-config/1');
    expect(cfg.provenance.node).toBe(process.version);
    expect(cfg.provenance.packages['@drmg/experiments']).toBeDefined();
    expect(cfg.provenance.packages['vega-lite']).toBe('6.4.3');
    expect(cfg.provenance.packages['@drmg/compare']).toBe('0.2.0');
    expect(cfg.provenance.workers).toBe(1);
    expect(cfg.seeds).toEqual([0, 1]);
    const again = join(dir, 'again');
    const r = await runCompareCli('--config', join(one, 'config.json'), '--out', again, '--no-report', '--workers', '1');
    expect(r.code).toBe(0);
    expect(read(again, 'results.jsonl')).toBe(read(one, 'results.jsonl'));
  });

  it('records figures that check out from outside', () => {
    const lines = read(one, 'results.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l));
    const runs = lines.filter((l) => l.type === 'run');
    expect(runs.map((r) => `${r.learner}/${r.seed}`)).toEqual(['mornavi-tv/0', 'mornavi-tv/1', 'nash-vi/0', 'nash-vi/1', 'planner/0', 'planner/1']);
    const env = make('bridge-crossing-v0');
    const game = env.model;
    const ev = createEvaluator(game);
    for (const r of runs) {
      // regret: every 4 episodes (120 / 30), each gap standing for the 4 episodes since the previous one
      expect(r.episodes).toEqual(Array.from({ length: 30 }, (_, q) => 4 * (q + 1)));
      let sum = 0;
      r.gap.forEach((g: number, q: number) => {
        sum += 4 * g;
        expect(r.regret[q]).toBeCloseTo(sum, 9);
      });
      // the output policy file, read back and evaluated afresh
      const policy = parsePolicy(JSON.parse(read(one, `policies/${r.learner}-seed${r.seed}.policy.json`)), game);
      const e = ev.evaluate(policy);
      expect(initialGap(game, e)).toBeCloseTo(r.outputGap, 12);
      expect(initialValues(game, e.value)).toEqual(r.robustValue.map((v: number) => expect.closeTo(v, 12)));
      // r = 0 is the nominal model; the worst case only lowers the return as r grows
      expect(r.worstCase[0]).toEqual(r.nominalValue);
      for (let q = 1; q < r.radii.length; q++) for (let i = 0; i < 2; i++) expect(r.worstCase[q][i]).toBeLessThanOrEqual(r.worstCase[q - 1][i] + 1e-12);
    }
    // the planner plays the robust equilibrium: both robots around, 3 each whatever the radius (docs of bridge-crossing-v0)
    for (const r of runs.filter((x) => x.learner === 'planner')) {
      expect(r.outputGap).toBeCloseTo(0, 9);
      for (const row of r.worstCase) expect(row).toEqual([expect.closeTo(3, 12), expect.closeTo(3, 12)]);
    }
    const summary = lines.filter((l) => l.type === 'summary');
    expect(summary.map((s) => s.learner)).toEqual(['mornavi-tv', 'nash-vi', 'planner']);
    const csv = read(one, 'results.csv').trimEnd().split('\n');
    expect(csv[0]).toBe('learner,name,seed,metric,agent,x,value,stderr');
    expect(csv.filter((l) => l.startsWith('planner,planner,1,worst_case_return,team,0.3,'))).toHaveLength(1);
  });

  it('agrees with Monte Carlo rollouts under the worst-case kernel (an independent check of the exact deployment)', () => {
    const runs = read(one, 'results.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'run');
    const r = runs.find((x) => x.learner === 'nash-vi' && x.seed === 0);
    const q = 2; // r = 0.3
    const env = make('bridge-crossing-v0', { rho: 0.3 });
    const policy = parsePolicy(JSON.parse(read(one, 'policies/nash-vi-seed0.policy.json')), env.model);
    for (let i = 0; i < 2; i++) {
      const real = adversarialKernel(env, { type: 'worst-case', agent: i, policy });
      const mc = rolloutReturns(real, policy, { episodes: 4000, seed: 11 + i });
      expect(Math.abs(mc.meanReturn[i] - r.worstCase[q][i])).toBeLessThanOrEqual(4 * mc.stdErr[i] + 1e-9);
    }
    // and withRadiusProfile(bridge, r) is the environment made with rho = r (its profile: the bridge only)
    expect(Array.from(withRadiusProfile(make('bridge-crossing-v0').model, 0.3).radius)).toEqual(Array.from(env.model.radius));
  });

  it('prints a drmg-compare/1 document with --json', async () => {
    const out = join(dir, 'json');
    const r = await runCompareCli('--learners', 'planner,random', '--seeds', '2', '--episodes', '20', '--radii', '0,0.3', '--random-kernels', '0', '--workers', '1', '--out', out, '--no-report', '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.format).toBe('drmg-compare/1');
    expect(doc.dir).toBe(out);
    expect(doc.summaries.map((s: { learner: string }) => s.learner)).toEqual(['planner', 'random']);
    expect(doc.winners).toHaveLength(2);
    expect(doc.winners[0]).toMatchObject({ radius: 0, learner: 'random', reference: expect.closeTo(6, 9) });
  });
});

describe('an interrupted compare', () => {
  it('stops on Ctrl-C (SIGINT) in the command line, exits 130 and keeps what finished (worker threads)', async () => {
    const root = resolve(import.meta.dirname, '..');
    const out = join(dir, 'sigint');
    const tsx = join(root, 'node_modules', '.bin', 'tsx');
    const child = spawn(tsx, [join(root, 'packages', 'cli', 'src', 'main.ts'), 'compare', '--learners', 'mornavi-tv,random', '--seeds', '4', '--episodes', '1500', '--radii', '0,0.3', '--random-kernels', '2', '--rollout-episodes', '20', '--workers', '2', '--out', out], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    let sent = false;
    child.stdout.on('data', (b) => (stdout += b));
    const code = await new Promise<number | null>((done) => {
      child.stderr.on('data', (b) => {
        stderr += b;
        if (!sent && /compare: done /.test(stderr)) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('exit', (c) => done(c));
    });
    expect(sent, stderr).toBe(true);
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('compare: stopping');
    const runs = read(out, 'results.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'run');
    expect(runs.length).toBeGreaterThanOrEqual(1);
    expect(runs.length).toBeLessThan(8);
    expect(read(out, 'report.html')).toMatch(/Interrupted: \d of 8 runs finished/);
    expect(stdout).toMatch(/INTERRUPTED: \d of 8 runs finished/);
  });

  it('stops when the signal aborts, keeps the runs that finished and writes them with the report', async () => {
    const controller = new AbortController();
    let finished = 0;
    const progress: CompareProgressSink = {
      start() {},
      update() {},
      finish(_k, out) {
        if (out !== null && ++finished === 2) controller.abort();
      },
      end() {},
    };
    const out = join(dir, 'stopped');
    const report = await compare({ ...smallConfig, seeds: 3 }, { out, workers: 1, signal: controller.signal, progress });
    expect(report.interrupted).toBe(true);
    expect(report.outcome.planned).toHaveLength(9);
    const runs = read(out, 'results.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'run');
    expect(runs).toHaveLength(2);
    expect(report.text).toContain('INTERRUPTED: 2 of 9 runs finished');
    expect(read(out, 'report.html')).toContain('Interrupted: 2 of 9 runs finished');
    expect(report.timingLine).toMatch(/^2 of 9 runs in/);
  });
});
