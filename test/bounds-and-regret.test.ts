/**
 * Issue 9, reporting side: certificates that are true, and one regret.
 *  - A learner stub whose bound is not a certificate (it reports `boundGap`) never appears as certified anywhere
 *    downstream: train events, the progress line, drmg-run/1 (library and `drmg train --json`), the `drmg train`
 *    table, and compare's results.jsonl, results.csv, summary table and HTML report. The known-model planner, which
 *    certifies, keeps `certifiedGap` in the same places.
 *  - Regret is the signed sum of the gaps (Def. 2, unclipped), and a slope is printed only where the regret at K is
 *    above the stated tolerance: the planner's near-zero regret gets '-' with the reason.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JointPolicy, Rng } from '@drmg/core';
import { make } from '@drmg/envs';
import { registerLearner, type Learner, type LearnerContext } from '@drmg/learners';
import {
  cumulativeRegret,
  formatProgress,
  Observable,
  runToJson,
  runTraining,
  toArray,
  train,
  type TrainEvent,
} from '@drmg/experiments';
import { BOUND_GAP_COLUMN, CERTIFIED_GAP_COLUMN, compare } from '@drmg/compare';
import { commands, memoryIo, runCli } from '@drmg/cli';
import { runCompareCli, tempDir } from './compare-helpers.ts';

/** The stub's made-up bound at episode k: 0.25 + 1 / (k + 1) (its smallest, at k = K - 1, is its output bound). */
const stubBound = (k: number) => 0.25 + 1 / (k + 1);

/** A learner that plays the uniform joint policy and reports a bound that is not a certificate. */
function boundStub(ctx: LearnerContext): Learner {
  const { H, S, J } = ctx;
  const policy: JointPolicy = { kind: 'joint', H, S, J, prob: new Float64Array(H * S * J).fill(1 / J) };
  return {
    name: 'bound-stub',
    beginEpisode: () => policy,
    act: (_h: number, _s: number, rng: Rng) => Math.min(J - 1, Math.floor(rng() * J)),
    observe() {},
    endEpisode: (k: number) => ({ boundGap: stubBound(k) }),
    outputPolicy: () => policy,
    outputBoundGap: () => stubBound(ctx.episodes - 1),
  };
}

registerLearner({ name: 'bound-stub', description: 'uniform play with an uncertified bound (test stub)', params: {}, create: (ctx) => boundStub(ctx) }, { replace: true });

const K = 12;
const dir = tempDir('drmg-bounds-');

/** Runs `drmg ...argv` in process. */
async function cli(...argv: string[]) {
  const io = memoryIo();
  expect(commands.some((c) => c.name === argv[0])).toBe(true);
  const code = await runCli(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** The cells of a text table row (`textTable` / `formatTable`: columns two or more spaces apart), by header name. */
function textRow(text: string, first: string): Record<string, string> {
  const lines = text.split('\n');
  const dashes = (l: string | undefined) => l !== undefined && /^-+(\s+-+)*$/.test(l);
  // the first table row for `first`: a line under a dash line with only table rows in between
  let row = -1;
  for (let i = 2; i < lines.length && row < 0; i++) {
    if (!lines[i].startsWith(`${first} `)) continue;
    let j = i - 1;
    while (j > 0 && !dashes(lines[j]) && lines[j] !== '') j--;
    if (dashes(lines[j])) row = i;
  }
  expect(row, `a table row for ${first}`).toBeGreaterThan(1);
  let header = row - 1;
  while (!dashes(lines[header])) header--;
  const names = lines[header - 1].trim().split(/\s{2,}/);
  const cells = lines[row].trim().split(/\s{2,}/);
  expect(cells).toHaveLength(names.length);
  return Object.fromEntries(names.map((n, c) => [n, cells[c]]));
}

/** The cells of an HTML table row whose first cell is `first`, by header name. */
function htmlRow(html: string, first: string): Record<string, string> {
  const start = html.lastIndexOf('<table>', html.indexOf(`<th scope="row">${first}</th>`));
  const table = html.slice(start, html.indexOf('</table>', start));
  const names = [...table.match(/<thead>(.*?)<\/thead>/s)![1].matchAll(/<th>(.*?)<\/th>/g)].map((m) => m[1]);
  const tr = table.match(new RegExp(`<tr><th scope="row">${first}</th>(.*?)</tr>`))![1];
  const cells = [first, ...[...tr.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1])];
  expect(cells).toHaveLength(names.length);
  return Object.fromEntries(names.map((n, c) => [n.replace(/&quot;/g, '"'), cells[c]]));
}

describe('a bound that is not a certificate is never reported as certified', () => {
  it('train events: the episode-end carries boundGap, never certifiedGap', async () => {
    const events = await new Promise<TrainEvent[]>((resolve, reject) =>
      train({ env: make('initial-shock-v0'), learner: { name: 'bound-stub' }, episodes: K, seed: 1, steps: false }).pipe(toArray()).subscribe({ next: resolve, error: reject }),
    );
    const ends = events.filter((e) => e.type === 'episode-end');
    expect(ends).toHaveLength(K);
    ends.forEach((e, k) => {
      expect(e).toMatchObject({ boundGap: stubBound(k) });
      expect('certifiedGap' in e).toBe(false);
    });
  });

  it('the progress line says "bound (not certified)", and "certified" only for a certified bound', () => {
    const base = { episodes: 3, elapsedMs: 1000, episodesPerSecond: 3, done: false };
    const uncertified = formatProgress({ ...base, boundGap: 0.5 });
    expect(uncertified).toContain('bound (not certified) 0.500');
    expect(uncertified).not.toMatch(/(^|\s)certified \d/);
    expect(formatProgress({ ...base, certifiedGap: 0.5 })).toMatch(/(^|\s)certified 0\.500/);
  });

  it('drmg-run/1 (runToJson): certifiedGap null, boundGap with "certified": false; the planner keeps certifiedGap', async () => {
    const run = await runTraining({ env: make('initial-shock-v0'), learner: { name: 'bound-stub' }, episodes: K, seed: 2 });
    expect(run.certifiedGap).toBeNull();
    expect(run.boundGap).toBe(stubBound(K - 1));
    const doc = JSON.parse(JSON.stringify(runToJson(run)));
    expect(doc).toMatchObject({ format: 'drmg-run/1', certifiedGap: null, boundGap: stubBound(K - 1), certified: false });
    expect(Object.keys(doc)).toEqual(['format', 'episodes', 'regret', 'certifiedGap', 'boundGap', 'certified', 'policy', 'gap']);
    const planner = runToJson(await runTraining({ env: make('initial-shock-v0'), learner: { name: 'planner' }, episodes: 3, seed: 2 }));
    expect(typeof planner.certifiedGap).toBe('number');
    expect(Object.keys(planner)).toEqual(['format', 'episodes', 'regret', 'certifiedGap', 'policy', 'gap']); // the earlier document, unchanged
  });

  it('drmg train: --json and the table name the bound "bound (not certified)", the certified gap "-"', async () => {
    const json = await cli('train', 'initial-shock-v0', '--learner', 'bound-stub', '--episodes', String(K), '--json');
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.certifiedGap).toBeNull();
    expect(doc.boundGap).toBe(stubBound(K - 1));
    expect(doc.certified).toBe(false);
    const text = await cli('train', 'initial-shock-v0', '--learner', 'bound-stub', '--episodes', String(K));
    expect(text.code, text.stderr).toBe(0);
    const row = textRow(text.stdout, 'bound-stub');
    expect(row[CERTIFIED_GAP_COLUMN]).toBe('-');
    expect(Number(row[BOUND_GAP_COLUMN])).toBeCloseTo(stubBound(K - 1), 6);
    expect(text.stdout).toContain(`${BOUND_GAP_COLUMN}: the learner's bound on that gap from widths not known to hold: not a certificate`);
    expect(text.stderr).toContain('bound (not certified) 0.333');
    expect(text.stderr).not.toMatch(/(^|\s)certified \d/m);
    // the planner certifies: a number under "certified gap", no "bound (not certified)" column
    const planner = await cli('train', 'initial-shock-v0', '--learner', 'planner', '--episodes', '3');
    const prow = textRow(planner.stdout, 'planner');
    expect(Number(prow[CERTIFIED_GAP_COLUMN])).toBeCloseTo(0, 9);
    expect(BOUND_GAP_COLUMN in prow).toBe(false);
  });

  it('compare: results.jsonl, results.csv, the summary table and the report keep the two apart; the planner gets no slope', async () => {
    const out = join(dir, 'compare');
    const report = await compare(
      { env: 'initial-shock-v0', learners: ['bound-stub', 'planner'], seeds: 2, episodes: 40, evalPoints: 10, radii: [0, 0.2], randomKernels: 0, rolloutEpisodes: 2 },
      { out, workers: 1 },
    );
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    for (const r of lines.filter((l) => l.type === 'run' && l.learner === 'bound-stub')) {
      expect(r.certifiedGap).toBeNull();
      expect(r.boundGap).toBe(stubBound(39));
    }
    for (const r of lines.filter((l) => l.type === 'run' && l.learner === 'planner')) {
      expect(typeof r.certifiedGap).toBe('number');
      expect(r.boundGap).toBeNull();
    }
    const stubSummary = lines.find((l) => l.type === 'summary' && l.learner === 'bound-stub');
    expect(stubSummary.certifiedGap.n).toBe(0);
    expect(stubSummary.boundGap.n).toBe(2);
    const csv = readFileSync(join(out, 'results.csv'), 'utf8').split('\n');
    expect(csv.filter((l) => l.startsWith('bound-stub,bound-stub,0,certified_gap,'))).toEqual(['bound-stub,bound-stub,0,certified_gap,team,,,']);
    expect(csv.filter((l) => l.startsWith('bound-stub,bound-stub,0,bound_gap,'))).toEqual([`bound-stub,bound-stub,0,bound_gap,team,,${stubBound(39)},`]);

    // the summary table and the report: the same columns, the same words
    for (const row of [textRow(report.text, 'bound-stub'), htmlRow(readFileSync(join(out, 'report.html'), 'utf8'), 'bound-stub')]) {
      expect(row[CERTIFIED_GAP_COLUMN]).toBe('-');
      expect(row[BOUND_GAP_COLUMN]).toMatch(/^0\.275( ± 0\.000)?$/);
      expect(row.slope).toMatch(/^1\.00/); // uniform play on the initial-shock game: linear regret
    }
    for (const row of [textRow(report.text, 'planner'), htmlRow(readFileSync(join(out, 'report.html'), 'utf8'), 'planner')]) {
      expect(row[CERTIFIED_GAP_COLUMN]).toMatch(/^0\.000/);
      expect(row[BOUND_GAP_COLUMN]).toBe('-');
      expect(row.slope).toBe('-'); // near-zero regret: no slope
    }
    expect(report.text).toContain('not a certificate');
    expect(report.text).toMatch(/slope of planner: no slope on 2 of 2 seeds: regret at K = \S+ is not above the tolerance 1\.0e-6/);
    expect(report.text).toMatch(/max\(1e-6, 1e-9 K H\) = 1\.0e-6/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/Slope of planner: no slope on 2 of 2 seeds/);
  });
});

describe('regret is the signed sum of the gaps (Def. 2, unclipped)', () => {
  it('a negative-gap series: cumulativeRegret sums the gaps with their signs, each standing for its episodes', async () => {
    // evaluated at episodes 1, 2, 4, 5: 0.5, -0.25, -0.5 (standing for episodes 3 and 4), 0.125
    const policy: JointPolicy = { kind: 'joint', H: 1, S: 1, J: 1, prob: new Float64Array([1]) };
    const at = (k: number, gap: number): TrainEvent => ({ type: 'policy', k, policy, gap, gapKind: 'gap' });
    const events = await new Promise<TrainEvent[]>((resolve, reject) =>
      new Observable<TrainEvent>((sub) => {
        for (const e of [at(0, 0.5), at(1, -0.25), at(3, -0.5), at(4, 0.125)]) sub.next(e);
        sub.complete();
      })
        .pipe(cumulativeRegret(), toArray())
        .subscribe({ next: resolve, error: reject }),
    );
    expect(events.map((e) => (e.type === 'policy' ? e.regret : NaN))).toEqual([0.5, 0.25, -0.75, -0.625]);
  });
});

describe('compare: a learner trained on a twin certifies the twin, not the scenario', () => {
  it('mornavi-kl on a TV scenario (its KL twin): its bound is a boundGap, never a certifiedGap; mornavi-tv keeps its certificate', async () => {
    const out = tempDir('drmg-twin-');
    const r = await runCompareCli('--env', 'bridge-crossing-v0', '--env-param', 'horizon=3', '--learners', 'mornavi-tv,mornavi-kl', '--seeds', '1', '--episodes', '40', '--radii', '0,0.2', '--random-kernels', '0', '--workers', '1', '--out', join(out, 'run'), '--no-report');
    expect(r.code, r.stderr).toBe(0);
    const runs = readFileSync(join(out, 'run', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; learner: string; certifiedGap: number | null; boundGap: number | null; outputGap: number });
    const kl = runs.find((x) => x.type === 'run' && x.learner === 'mornavi-kl')!;
    const tv = runs.find((x) => x.type === 'run' && x.learner === 'mornavi-tv')!;
    expect(kl.certifiedGap).toBeNull();
    expect(kl.boundGap).toBeTypeOf('number');
    expect(tv.certifiedGap!).toBeGreaterThanOrEqual(tv.outputGap - 1e-9);
  });
});
