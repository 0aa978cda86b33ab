/**
 * The files of a compare run folder:
 *  - `config.json`: the resolved config (a valid `--config` file: rerunning it gives the same results)
 *    with its provenance (versions of Node and of every package involved, the command, the time);
 *  - `results.jsonl`: one `run` line per (learner, seed) and one `summary` line per learner (a learner's bound is
 *    `certifiedGap` only when it is a certificate; any other bound is `boundGap`);
 *  - `results.csv`: the same figures as tidy rows `learner,name,seed,metric,agent,x,value,stderr`;
 *  - `timing.json`: wall-clock figures (the only outputs that differ between identical runs);
 *  - `policies/<learner>-seed<n>.policy.json`: each output policy (drmg-policy/1; `drmg evaluate` reads it);
 *  - `summary.txt`, plots (`*.svg`, `*.png`) and `report.html` (written by `compare`);
 *  - `cells.jsonl`, the journal (run-folder.ts): one line per finished cell, appended and flushed as it finishes; the
 *    source of the files above for a resumed run; and `.lock` while a run holds the folder.
 * results.jsonl and results.csv depend only on the config: byte-identical for any number of worker threads, and for
 * any executor (local threads or a queue). Every file is written whole or not at all (`writeRunFile`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DrmgError } from '@drmg/core';
import { COMPARE_CONFIG_FORMAT, type CompareConfig } from './compare-config.ts';
import type { LearnerSummary, RadiusWinner, Stat } from './compare-summary.ts';
import type { CompareRunResult } from './compare-task.ts';

/** Versions and circumstances of a run: enough to rerun it exactly (with the config) and to read its timing. */
export interface CompareProvenance {
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  /** Versions of the drmg packages and of the libraries compare uses. */
  readonly packages: Record<string, string>;
  /** `git rev-parse HEAD` of the working tree, when available. */
  readonly commit: string | null;
  /** The command line, when run from the CLI. */
  readonly command: string | null;
  /** Worker threads used (never changes the results). */
  readonly workers: number;
  /** ISO time the run started. */
  readonly startedAt: string;
}

function readVersion(file: string): string | null {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

let versions: Record<string, string> | null = null;

/** Versions of @drmg/compare and of the drmg packages it runs (each exports its package.json), as node resolves them. */
export function drmgVersions(): Record<string, string> {
  if (versions !== null) return { ...versions };
  const here = dirname(fileURLToPath(import.meta.url));
  const packages: Record<string, string> = { '@drmg/compare': readVersion(join(here, '..', 'package.json')) ?? 'unknown' };
  const require = createRequire(import.meta.url);
  for (const p of ['core', 'evaluators', 'envs', 'learners', 'experiments']) {
    try {
      const v = readVersion(require.resolve(`@drmg/${p}/package.json`));
      if (v !== null) packages[`@drmg/${p}`] = v;
    } catch {
      // not resolvable from here: leave it out
    }
  }
  versions = packages;
  return { ...packages };
}

/** The provenance of a run on this machine (see CompareProvenance). */
export function compareProvenance(workers: number, command: string | null, startedAt: Date): CompareProvenance {
  const here = dirname(fileURLToPath(import.meta.url));
  const packages = drmgVersions();
  const require = createRequire(import.meta.url);
  for (const dep of ['vega', 'vega-lite', '@resvg/resvg-js', 'piscina', 'rxjs', 'yaml', 'seedrandom', 'highs', 'immer']) {
    let v: string | null = null;
    try {
      // Walk up from the resolved entry to the package's own package.json (exports may hide it).
      let dir = dirname(require.resolve(dep));
      for (let up = 0; up < 6 && v === null; up++, dir = dirname(dir)) {
        const file = join(dir, 'package.json');
        try {
          const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
          if (json.name === dep) v = json.version ?? null;
        } catch {
          // not here: go up
        }
      }
    } catch {
      // not a dependency of this package: leave it out
    }
    if (v !== null) packages[dep] = v;
  }
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: here, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim() || null;
  } catch {
    commit = null;
  }
  return { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, packages, commit, command, workers, startedAt: startedAt.toISOString() };
}

/** The config.json document: the resolved config (a valid --config file) and its provenance. */
export function compareConfigJson(config: CompareConfig, provenance: CompareProvenance): Record<string, unknown> {
  return { format: COMPARE_CONFIG_FORMAT, ...config, provenance };
}

function statJson(s: Stat): Record<string, number | null> {
  const f = (x: number) => (Number.isFinite(x) ? x : null);
  return { n: s.n, mean: f(s.mean), sd: f(s.sd), min: f(s.min), max: f(s.max) };
}

/** A learner's summary as plain JSON (non-finite figures as null): the `summary` lines of results.jsonl and `compare --json`. */
export function learnerSummaryJson(s: LearnerSummary, radii: readonly number[]): Record<string, unknown> {
  return {
    learner: s.learner,
    name: s.name,
    trainedWith: s.trainedWith,
    seeds: s.seeds,
    regret: statJson(s.regret),
    slope: statJson(s.slope),
    slopeTolerance: s.slopeTolerance,
    slopeNote: s.slopeNote,
    lateGap: statJson(s.lateGap),
    outputGap: statJson(s.outputGap),
    robustValue: statJson(s.robustValue),
    nominalGap: statJson(s.nominalGap),
    certifiedGap: statJson(s.certifiedGap),
    boundGap: statJson(s.boundGap),
    nominalReturn: statJson(s.nominalReturn),
    radii,
    worstCase: s.worstCase.map(statJson),
    random: s.random.map(statJson),
    randomStdErr: s.randomStdErr.map((x) => (Number.isFinite(x) ? x : null)),
    curve: s.curve,
    samplesCurve: s.samplesCurve,
    gapTolerance: s.gapTolerance,
    samplesToGap: s.samplesToGap,
  };
}

/** The results.jsonl text: a `run` line per finished run (config order), then a `summary` line per learner, then the winners. */
export function compareResultsJsonLines(runs: readonly CompareRunResult[], summaries: readonly LearnerSummary[], winners: readonly RadiusWinner[], radii: readonly number[]): string {
  const lines: string[] = [];
  for (const r of runs) lines.push(JSON.stringify({ type: 'run', radii, ...r }));
  for (const s of summaries) {
    lines.push(
      JSON.stringify({
        type: 'summary',
        ...learnerSummaryJson(s, radii),
      }),
    );
  }
  lines.push(JSON.stringify({ type: 'winners', winners: winners.map((w) => ({ ...w, value: Number.isFinite(w.value) ? w.value : null })) }));
  return lines.join('\n') + '\n';
}

function csvCell(x: string | number | null): string {
  if (x === null) return '';
  if (typeof x === 'number') return Number.isFinite(x) ? String(x) : '';
  return /[",\n]/.test(x) ? `"${x.replace(/"/g, '""')}"` : x;
}

/**
 * The results.csv text: one row per figure, `learner,name,seed,metric,agent,x,value,stderr`; metrics
 * regret (the signed sum of the gaps, Def. 2), gap and samples (simulator calls before that policy; absent from runs
 * of older journals) (x = episodes), output_gap, robust_value, nominal_gap,
 * certified_gap (a certificate: empty when the learner gives none), bound_gap (a bound that is not a
 * certificate: empty when the learner gives none), nominal_return, worst_case_return and random_return
 * (x = radius); agent is an index or `team` (sum over agents).
 */
export function compareResultsCsv(runs: readonly CompareRunResult[], radii: readonly number[]): string {
  const rows: string[] = ['learner,name,seed,metric,agent,x,value,stderr'];
  const row = (r: CompareRunResult, metric: string, agent: string | number, x: number | null, value: number | null, se: number | null = null) =>
    rows.push([r.learner, r.name, r.seed, metric, agent, x, value, se].map((c) => csvCell(c as string | number | null)).join(','));
  const sum = (v: readonly number[]) => v.reduce((a, b) => a + b, 0);
  for (const r of runs) {
    r.episodes.forEach((k, q) => row(r, 'regret', 'team', k, r.regret[q]));
    r.episodes.forEach((k, q) => row(r, 'gap', 'team', k, r.gap[q]));
    r.samples?.forEach((n, q) => row(r, 'samples', 'team', r.episodes[q], n));
    row(r, 'output_gap', 'team', null, r.outputGap);
    row(r, 'nominal_gap', 'team', null, r.nominalGap);
    row(r, 'certified_gap', 'team', null, r.certifiedGap);
    row(r, 'bound_gap', 'team', null, r.boundGap);
    r.robustValue.forEach((v, i) => row(r, 'robust_value', i, null, v));
    row(r, 'robust_value', 'team', null, sum(r.robustValue));
    r.nominalValue.forEach((v, i) => row(r, 'nominal_return', i, null, v));
    row(r, 'nominal_return', 'team', null, sum(r.nominalValue));
    radii.forEach((x, q) => {
      r.worstCase[q].forEach((v, i) => row(r, 'worst_case_return', i, x, v));
      row(r, 'worst_case_return', 'team', x, sum(r.worstCase[q]));
      r.randomMean[q].forEach((v, i) => row(r, 'random_return', i, x, v, r.randomStdErr[q][i]));
      if (Number.isFinite(r.randomTeamMean[q])) row(r, 'random_return', 'team', x, r.randomTeamMean[q], r.randomTeamStdErr[q]);
    });
  }
  return rows.join('\n') + '\n';
}

/** A file name for a learner label (letters, digits, dot, dash and underscore). */
export function fileStem(label: string): string {
  return label.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** A write error as a located DrmgError (exit code 2 in the CLI): the path and the system's cause. */
export function writeError(path: string, e: unknown, what = 'cannot write it'): DrmgError {
  const err = e as NodeJS.ErrnoException;
  const cause = err.code !== undefined ? `${err.code} (${describeErrno(err.code)})` : (err.message ?? String(e));
  return new DrmgError('input', path, `${what}: ${cause}`);
}

function describeErrno(code: string): string {
  switch (code) {
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'EFBIG':
      return 'file too large for this system';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EEXIST':
      return 'it exists already';
    case 'EIO':
      return 'input/output error';
    default:
      return 'see the system error code';
  }
}

/**
 * Writes `text` (or bytes) to dir/name, creating folders, and returns the path. The content goes to a temporary
 * name beside it first and is renamed into place: the file is complete or absent, never cut short.
 * @throws DrmgError ('input') naming the path and the cause (ENOSPC, EACCES, ...) when it cannot be written.
 */
export function writeRunFile(dir: string, name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, content);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // never created, or already gone
    }
    throw writeError(path, e);
  }
  return path;
}
