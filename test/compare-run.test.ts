/**
 * `drmg compare` end to end on a small config: the run folder's files; determinism (--workers 1 on
 * the main thread and --workers 2 on the piscina pool give byte-identical results.jsonl and
 * results.csv); the figures checked from outside (regret = the running rectangle sum of the recorded
 * gaps; each output policy file re-evaluated by a fresh evaluator gives the recorded gap and values;
 * the exact worst-case return agrees with Monte Carlo rollouts under the worst-case kernel); the
 * --json document; the samples axis (simulator calls, exact for DR-NVI's generative draws and for the online
 * learners' k H transitions), its plot, and a resumed journal without samples; and an interrupted experiment keeps
 * and reports what finished.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '@drmg/core';
import { adversarialKernel, make, rolloutReturns } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { compare, decodeCellOutput, encodeCellOutput, initialValues, RUN_JOURNAL, withRadiusProfile, type CompareProgressSink } from '@drmg/compare';
import { runCompareCli, smallConfig, smallFlags, tempDir } from './compare-helpers.ts';
import { decodePng, inkAndColour } from './png-pixels.ts';

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

describe('the samples axis (simulator calls) beside the online learners', () => {
  // bridge-crossing-v0: H = 6, S = 36, J = 9. Every 6 episodes (60 / 10) the episode policy of episode k (0-based,
  // k = 5, 11, ..., 59) is scored, after k episodes of H transitions: samples = k H, plus DR-NVI's H S J N draws
  // made before its first episode, plus robust-q's n - 1 = 31 draws at each transition that draws.
  const game = make('bridge-crossing-v0').model;
  const { H, S, J } = game;
  const N = 2;
  const config = {
    env: 'bridge-crossing-v0',
    learners: ['planner', { name: 'dr-nvi', params: { samplesPerPair: N } }, 'nash-vi', 'robust-q'],
    seeds: 2,
    episodes: 60,
    evalPoints: 10,
    radii: [0, 0.3],
    randomKernels: 0,
  };
  const out = join(dir, 'samples');
  const lines = () => read(out, 'results.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l));

  it('records samples = k H + the learner\'s generative-model draws at each exact evaluation', async () => {
    await compare(config, { out, workers: 1 });
    const runs = lines().filter((l) => l.type === 'run');
    expect(runs.map((r) => `${r.learner}/${r.seed}`)).toEqual(['planner/0', 'planner/1', 'dr-nvi/0', 'dr-nvi/1', 'nash-vi/0', 'nash-vi/1', 'robust-q/0', 'robust-q/1']);
    const played = Array.from({ length: 10 }, (_, q) => 6 * (q + 1) - 1); // k of each scored policy
    for (const r of runs) {
      expect(r.episodes).toEqual(played.map((k) => k + 1));
      if (r.learner === 'dr-nvi') expect(r.samples).toEqual(played.map((k) => H * S * J * N + k * H)); // first point 3,888 + 30
      else if (r.learner === 'robust-q') {
        const extra = r.samples.map((n: number, q: number) => n - played[q] * H);
        extra.forEach((x: number, q: number) => {
          expect(x % 31, `${r.seed}@${q}`).toBe(0);
          expect(x).toBeLessThanOrEqual(played[q] * (H - 1) * 31); // no draw at h = H - 1
          if (q > 0) expect(x).toBeGreaterThanOrEqual(extra[q - 1]);
        });
        expect(extra[9]).toBeGreaterThan(0); // the bridge has rho > 0: it drew
      } else expect(r.samples).toEqual(played.map((k) => k * H));
    }
    expect(runs.find((r) => r.learner === 'dr-nvi').samples[0]).toBe(3918);
    // the summary's curve against samples, and the calls after which the mean gap stays <= eps = 0.05 H = 0.3
    const summaries = lines().filter((l) => l.type === 'summary');
    for (const s of summaries) {
      const mine = runs.filter((r) => r.learner === s.learner);
      expect(s.gapTolerance).toBe(0.3);
      const meanSamples = played.map((_, q) => (mine[0].samples[q] + mine[1].samples[q]) / 2);
      expect(s.samplesCurve.samples).toEqual(meanSamples);
      const meanGap = played.map((_, q) => (mine[0].gap[q] + mine[1].gap[q]) / 2);
      s.samplesCurve.mean.forEach((g: number, q: number) => expect(g).toBeCloseTo(meanGap[q], 14));
      let from = 10;
      while (from > 0 && meanGap[from - 1] <= 0.3) from--;
      expect(s.samplesToGap, s.learner).toBe(from < 10 ? meanSamples[from] : null);
    }
    // the planner plays the robust equilibrium from its first episode: gap ~0 from the first scored policy on, at k H = 30
    expect(summaries.find((s) => s.learner === 'planner').samplesToGap).toBe(30);
    const table = read(out, 'summary.txt');
    expect(table).toContain('samples to gap <= eps');
    expect(table).toMatch(/^planner +2 .* 30 +/m);
    const csv = read(out, 'results.csv').split('\n');
    expect(csv).toContain(`dr-nvi,dr-nvi,1,samples,team,6,${H * S * J * N + 5 * H},`);
  });

  it('plots the gap against the samples, with its interactive variant in the report', () => {
    const px = decodePng(readFileSync(join(out, 'gap-vs-samples.png')));
    expect(px.width).toBeGreaterThan(400);
    const { ink } = inkAndColour(px, '#000000');
    expect(ink).toBeGreaterThan(0.02);
    // the lines of the planner (#4c78a8) and of nash-vi (#54a24b, third in the config) are painted
    for (const c of ['#4c78a8', '#54a24b']) expect(inkAndColour(px, c).matches, c).toBeGreaterThan(50);
    expect(read(out, 'gap-vs-samples.svg')).toContain('simulator calls');
    const html = read(out, 'report.html');
    expect(html).toContain('<figure data-plot="gap-vs-samples" id="plot-gap-vs-samples">');
    expect(html).toContain('href="gap-vs-samples.png"');
    const plots = JSON.parse(/<script type="application\/json" id="drmg-plots">(.*?)<\/script>/s.exec(html)![1]);
    expect(Object.keys(plots.plots)).toEqual(['regret', 'gap-vs-samples', 'return-vs-radius', 'nominal-vs-worst']);
    expect(JSON.stringify(plots.plots['gap-vs-samples'].default)).toContain('indexof(hidden, datum.learner) < 0');
  });

  it('resumes a run whose journal lacks samples (an older drmg): no samples curve for those runs, the rest as before', async () => {
    const old = join(dir, 'samples-old');
    mkdirSync(old);
    copyFileSync(join(out, 'config.json'), join(old, 'config.json'));
    // nash-vi's cells and dr-nvi's seed 0 as an older drmg wrote them: without samples
    const journal = read(out, RUN_JOURNAL).trimEnd().split('\n').map((l, n) => decodeCellOutput(l, `line ${n + 1}`));
    const stripped = journal.map(({ hash, output }) => {
      const drop = output.result.learner === 'nash-vi' || (output.result.learner === 'dr-nvi' && output.result.seed === 0);
      if (!drop) return encodeCellOutput(hash, output);
      const { samples: _dropped, ...result } = output.result;
      return encodeCellOutput(hash, { ...output, result });
    });
    expect(stripped.filter((l) => !l.includes('"samples"'))).toHaveLength(3);
    writeFileSync(join(old, RUN_JOURNAL), stripped.join('\n') + '\n');
    const report = await compare(config, { out: old, resume: true, workers: 1 });
    expect(report.resumed).toBe(true);
    expect(report.outcome.reused).toBe(8);
    const runs = read(old, 'results.jsonl').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(runs.filter((l) => l.type === 'run' && l.samples === undefined).map((l) => `${l.learner}/${l.seed}`)).toEqual(['dr-nvi/0', 'nash-vi/0', 'nash-vi/1']);
    const summary = (learner: string) => report.summaries.find((s) => s.learner === learner)!;
    expect(summary('nash-vi').samplesCurve.samples).toEqual([]);
    expect(summary('nash-vi').samplesToGap).toBeNull();
    expect(summary('nash-vi').regret).toEqual(lines().filter((l) => l.type === 'summary' && l.learner === 'nash-vi').map((s) => s.regret)[0]);
    // dr-nvi's x from its seed 1, which has them (the same on both seeds)
    expect(summary('dr-nvi').samplesCurve.samples).toEqual(Array.from({ length: 10 }, (_, q) => H * S * J * N + (6 * (q + 1) - 1) * H));
    expect(read(old, 'summary.txt')).toMatch(/^nash-vi +2 .* - +/m);
    const plot = report.plots.find((p) => p.name === 'gap-vs-samples')!;
    expect(plot.caption).toContain('Not shown (no samples recorded: runs of an older journal): nash-vi.');
    expect(inkAndColour(decodePng(readFileSync(join(old, 'gap-vs-samples.png'))), '#4c78a8').matches).toBeGreaterThan(50);
    expect(read(old, 'results.csv').split('\n').filter((l) => l.startsWith('nash-vi,') && l.includes(',samples,'))).toEqual([]);
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
