/**
 * `compare`: the whole `drmg compare` job as one library call. Resolves the config (importing its
 * modules first, so that custom environments and learners are registered), runs every (learner, seed)
 * on a worker pool (`runCompare`), summarises the runs over seeds, and writes the run folder: config,
 * results (JSON lines, CSV), policies, timing, the plots (SVG, PNG), the HTML report and the text summary.
 * An interrupted experiment (the signal) still writes everything for the runs that finished.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { hasEnv } from '@drmg/envs';
import {
  importCompareModules,
  resolveCompareConfig,
  type CompareConfig,
  type CompareConfigInput,
} from './compare-config.ts';
import {
  compareConfigJson,
  compareProvenance,
  compareResultsCsv,
  compareResultsJsonLines,
  fileStem,
  writeRunFile,
  type CompareProvenance,
} from './compare-files.ts';
import { comparePlotSpecs, renderComparePlots, type RenderedPlot } from './compare-plots.ts';
import { compareReportHtml } from './compare-report.ts';
import { describePlan, loadScenarioModel, makeScenarioEnv } from './compare-scenario.ts';
import { radiusWinners, slopeTolerance, summarizeLearner, type LearnerSummary, type RadiusWinner } from './compare-summary.ts';
import type { CompareRunResult } from './compare-task.ts';
import { compareSummaryText, seedsText, type CompareTextInput, type LearnerTiming } from './compare-text.ts';
import { runCompare, type CompareOutcome, type CompareProgressSink } from './run-compare.ts';

/** Options of `compare`. */
export interface CompareOptions {
  /** The run folder (default runs/<time>-<env> under the working directory). */
  readonly out?: string;
  /** Worker threads (1: the main thread; default 0: one per core). Never changes the results. */
  readonly workers?: number;
  /** Stops the experiment; what finished is kept and written. */
  readonly signal?: AbortSignal;
  readonly progress?: CompareProgressSink;
  /** Render the plots and the HTML report (default true). */
  readonly render?: boolean;
  /** Name of the config's source in error messages, and the directory its relative paths start from. */
  readonly source?: string;
  readonly baseDir?: string;
  /** The command line, recorded in config.json. */
  readonly command?: string;
}

/** What `compare` did: the folder and its files, the figures, and the text summary. */
export interface CompareReport {
  readonly dir: string;
  /** Every file written, relative to `dir`. */
  readonly files: string[];
  readonly config: CompareConfig;
  readonly outcome: CompareOutcome;
  readonly summaries: LearnerSummary[];
  readonly winners: RadiusWinner[];
  readonly plots: RenderedPlot[];
  /** The terminal summary (also in summary.txt). */
  readonly text: string;
  /** `25 runs in 71.3 s on 2 worker threads ...` */
  readonly timingLine: string;
  readonly interrupted: boolean;
  /** Milliseconds from the call to the last file written. */
  readonly totalMs: number;
}

/** The folder name of a run: `<UTC time>-<env name>`. */
export function defaultRunDir(env: string, at: Date = new Date()): string {
  const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const name = hasEnv(env) ? env : basename(env).replace(/\.json$/i, '').replace(/\.game$/i, '');
  let dir = resolve('runs', `${stamp}-${fileStem(name)}`);
  for (let n = 2; existsSync(dir); n++) dir = resolve('runs', `${stamp}-${fileStem(name)}-${n}`);
  return dir;
}

function describeScenario(config: CompareConfig): string {
  const g = makeScenarioEnv(config).model;
  const params = Object.entries(config.envParams).map(([k, v]) => `${k}=${v}`).join(', ');
  let maxRho = 0;
  for (const x of g.radius) if (x > maxRho) maxRho = x;
  const name = config.envCmd !== null ? `simulator ${JSON.stringify(config.envCmd)}` : hasEnv(config.env) ? config.env : basename(config.env);
  return `${name}${params ? ` (${params})` : ''}: ${g.m} agents, actions [${g.A.join(', ')}], S = ${g.S}, H = ${g.H}, ${g.divergence.toUpperCase()} uncertainty (radius up to ${maxRho})`;
}

/**
 * Runs the compare experiment `input` (a config as written, or resolved) and writes its run folder (see the file header).
 * @throws DrmgError (rejects) for a bad config (located: `source: field`), a module that cannot be imported, or a run that fails on bad input.
 * @example const report = await compare({ episodes: 500, seeds: 2 }, { out: 'runs/quick' }); console.log(report.text);
 */
export async function compare(input: CompareConfigInput | CompareConfig = {}, options: CompareOptions = {}): Promise<CompareReport> {
  const t0 = performance.now();
  const startedAt = new Date();
  const source = options.source ?? 'config';
  // Modules first: they register the custom environments and learners the rest of the config names.
  const modules = resolveCompareConfig({ modules: (input as CompareConfigInput).modules ?? [] }, { source, baseDir: options.baseDir }).modules;
  await importCompareModules(modules, source);
  const config = resolveCompareConfig(input, { source, baseDir: options.baseDir });
  // A simulator's model is read once here; every run starts its own process (compare-task.ts).
  await loadScenarioModel(config);
  const dir = resolve(options.out ?? defaultRunDir(config.env, startedAt));

  const outcome = await runCompare(config, { workers: options.workers, signal: options.signal, progress: options.progress });
  const finished: CompareRunResult[] = outcome.runs.filter((r) => r !== null).map((r) => r!.result);
  const summaries: LearnerSummary[] = [];
  const timings: LearnerTiming[] = [];
  // A slope only where the regret at K is above rounding noise (compare-summary.ts, slopeTolerance).
  const tolerance = slopeTolerance(config.episodes, makeScenarioEnv(config).model.H);
  for (const l of outcome.learners) {
    if (l.plan.kind === 'skip') continue;
    const mine = outcome.runs.filter((r) => r !== null && r.result.learner === l.label).map((r) => r!);
    if (mine.length === 0) continue;
    summaries.push(summarizeLearner(l.label, l.name, describePlan(l.plan), mine.map((r) => r.result), config.radii, { slopeTolerance: tolerance }));
    const secs = mine.reduce((a, r) => a + r.timing.trainMs, 0) / mine.length / 1000;
    const eps = mine.reduce((a, r) => a + r.timing.episodesPerSecond, 0) / mine.length;
    timings.push({ learner: l.label, seconds: secs, episodesPerSecond: eps });
  }
  const winners = radiusWinners(summaries, config.radii);
  const skipped = outcome.learners.filter((l) => l.plan.kind === 'skip').map((l) => ({ learner: l.label, reason: (l.plan as { reason: string }).reason }));
  const finishedRuns = finished.length;
  const textInput: CompareTextInput = {
    config,
    scenario: describeScenario(config),
    summaries,
    winners,
    timings,
    skipped,
    interrupted: outcome.interrupted,
    finishedRuns,
    plannedRuns: outcome.planned.length,
  };
  const text = compareSummaryText(textInput);

  const files: string[] = [];
  const write = (name: string, content: string | Uint8Array): void => {
    writeRunFile(dir, name, content);
    files.push(name);
  };
  const provenance: CompareProvenance = compareProvenance(outcome.workers, options.command ?? null, startedAt);
  const configJson = compareConfigJson(config, provenance);
  write('config.json', JSON.stringify(configJson, null, 2) + '\n');
  write('results.jsonl', compareResultsJsonLines(finished, summaries, winners, config.radii));
  write('results.csv', compareResultsCsv(finished, config.radii));
  for (const r of outcome.runs) if (r !== null) write(`policies/${fileStem(r.result.learner)}-seed${r.result.seed}.policy.json`, JSON.stringify(r.policy) + '\n');

  let plots: RenderedPlot[] = [];
  if (options.render !== false && summaries.length > 0) {
    plots = await renderComparePlots(comparePlotSpecs(summaries, config.radii, `${summaries[0].seeds.length === config.seeds.length ? config.seeds.length : 'the finished'} seeds (${seedsText(config.seeds)})`));
    for (const p of plots) {
      write(`${p.name}.svg`, p.svg);
      write(`${p.name}.png`, p.png);
    }
  }
  const runsMs = outcome.wallMs;
  const workersText = outcome.workers === 1 ? 'the main thread' : `${outcome.workers} worker threads`;
  // The report's timing line is known before the report is written; the total is measured once it is.
  const preliminary = `${finishedRuns} runs in ${(runsMs / 1000).toFixed(1)} s on ${workersText}`;
  if (options.render !== false && summaries.length > 0) write('report.html', compareReportHtml({ ...textInput, plots, configJson, timingLine: preliminary }));
  write('summary.txt', text);
  const totalMs = performance.now() - t0;
  const timingLine = `${finishedRuns}${outcome.interrupted ? ` of ${outcome.planned.length}` : ''} runs in ${(runsMs / 1000).toFixed(1)} s on ${workersText}; total ${(totalMs / 1000).toFixed(1)} s with results, plots and report`;
  const runTimings = outcome.runs.filter((r) => r !== null).map((r) => r!.timing);
  writeRunFile(dir, 'timing.json', JSON.stringify({ runsMs, totalMs, workers: outcome.workers, learners: timings, runs: runTimings }, null, 2) + '\n');
  files.push('timing.json');
  return { dir, files, config, outcome, summaries, winners, plots, text, timingLine, interrupted: outcome.interrupted, totalMs };
}
