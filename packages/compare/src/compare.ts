/**
 * `compare`: the whole `drmg compare` job as one library call. Resolves the config (importing its modules first,
 * so that custom environments and learners are registered), plans its cells (one per learner and seed, each with
 * a content hash), claims the run folder before the first cell starts (run-folder.ts: created exclusively or
 * checked, locked, config.json written), runs the cells not done yet on an executor (the worker threads of this
 * process by default, or a queue), appending each finished cell to the folder's journal at once, summarises the
 * runs over seeds, and writes the rest of the folder: results (JSON lines, CSV), policies, timing, the plots (SVG,
 * PNG), the HTML report and the text summary, each to a temporary name and renamed.
 * An interrupted experiment (the signal) still writes everything for the cells that finished, as a partial report;
 * `resume` (or an `out` holding a run of the same experiment) continues it without recomputing a finished cell.
 */
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { DrmgError } from '@drmg/core';
import { hasEnv } from '@drmg/envs';
import type { CompareConfig, CompareConfigInput } from './compare-config.ts';
import { importCompareModules, resolveCompareConfig } from './resolve-compare-config.ts';
import {
  compareConfigJson,
  compareProvenance,
  compareResultsCsv,
  compareResultsJsonLines,
  fileStem,
  type CompareProvenance,
} from './compare-files.ts';
import { comparePlotSpecs, renderComparePlots, type RenderedPlot } from './compare-plots.ts';
import { compareReportHtml } from './compare-report.ts';
import { radiiAround } from './compare-radii.ts';
import { describePlan, loadScenarioModel, makeScenarioEnv } from './compare-scenario.ts';
import { gapTolerance, radiusWinners, slopeTolerance, summarizeLearner, type LearnerSummary, type RadiusWinner } from './compare-summary.ts';
import type { CompareRunResult } from './compare-task.ts';
import { compareSummaryText, seedsText, type CompareTextInput, type LearnerTiming } from './compare-text.ts';
import { localExecutor, localThreads } from './executors/local.ts';
import type { CompareExecutor } from './executors/executor.ts';
import { openRunFolder, type RunFolder } from './run-folder.ts';
import { planCompare, runCompare, type CompareOutcome, type CompareProgressSink } from './run-compare.ts';

/** Options of `compare`. */
export interface CompareOptions {
  /** The run folder (default: a new runs/<time>-<env> under the working directory). New, empty, or a run of the same experiment (continued). */
  readonly out?: string;
  /** `out` must hold a run of this experiment to continue (`drmg compare --resume`): a new or empty folder is refused. */
  readonly resume?: boolean;
  /** Worker threads of the local executor (1: the main thread; default 0: one per core), capped at the cores. Never changes the results. */
  readonly workers?: number;
  /** Let the local executor start more threads than cores. */
  readonly oversubscribe?: boolean;
  /** What runs the cells (default: the local executor with `workers`); e.g. `await bullmqExecutor({ redis })`. */
  readonly executor?: CompareExecutor;
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
  /** Called once the run folder is claimed (config.json written), before the first cell starts (the live dashboard serves it). */
  readonly onFolder?: (dir: string) => void;
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
  /** True when the folder held a run of this experiment that was continued. */
  readonly resumed: boolean;
  /** Milliseconds from the call to the last file written. */
  readonly totalMs: number;
}

/**
 * The folder name of a run: `runs/<UTC time>-<env name>` under the working directory, `-<attempt>` appended from
 * the second attempt on (the folder is created exclusively: a name taken is never reused, see run-folder.ts).
 */
export function defaultRunDir(env: string, at: Date = new Date(), attempt = 1): string {
  const stamp = at.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const name = env.startsWith('cmd:') ? 'simulator' : hasEnv(env) ? env : basename(env).replace(/\.json$/i, '').replace(/\.game$/i, '');
  return resolve('runs', `${stamp}-${fileStem(name)}${attempt > 1 ? `-${attempt}` : ''}`);
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
  // null is not "the defaults" (it is an empty file read as JSON): {} is.
  if (input === null || typeof input !== 'object' || Array.isArray(input)) resolveCompareConfig(input, { source, baseDir: options.baseDir });
  // Modules first: they register the custom environments and learners the rest of the config names.
  const modules = resolveCompareConfig({ modules: (input as CompareConfigInput).modules ?? [] }, { source, baseDir: options.baseDir }).modules;
  await importCompareModules(modules, source);
  const resolved = resolveCompareConfig(input, { source, baseDir: options.baseDir });
  // A simulator's model is read once here; every run starts its own process (compare-task.ts).
  await loadScenarioModel(resolved);
  // Radii not given: around the environment's own radius (compare-radii.ts); config.json records them.
  const config = (input as CompareConfigInput).radii === undefined ? { ...resolved, radii: radiiAround(makeScenarioEnv(resolved).model) } : resolved;
  const plan = planCompare(config);
  const executor = options.executor ?? localExecutor({ workers: options.workers, oversubscribe: options.oversubscribe });
  // Recorded in config.json: threads asked of the local executor (after the cap), 0 for a queue (its workers vary).
  const askedWorkers = executor.kind === 'local' && options.executor === undefined ? localThreads(options, plan.cells.length).threads : 0;
  const provenance: CompareProvenance = compareProvenance(askedWorkers, options.command ?? null, startedAt);
  const configJson = compareConfigJson(config, provenance);
  // The executor can run (a queue's Redis answers) and the folder is claimed, before the first cell: created or
  // checked, locked, config.json written (run-folder.ts).
  await executor.check?.();
  const folder: RunFolder = openRunFolder({
    dir: options.out,
    defaultDir: (attempt) => defaultRunDir(config.envCmd !== null ? 'cmd:' : config.env, startedAt, attempt),
    configJson: JSON.stringify(configJson, null, 2) + '\n',
    experiment: { ...config },
    cells: new Set(plan.cells.map((c) => c.hash)),
    resume: options.resume,
  });
  try {
    options.onFolder?.(folder.dir);
    return await finishCompare(config, plan, folder, executor, options, t0);
  } finally {
    folder.close();
  }
}

/** The rendered files of a run folder (plots and report). */
const STALE_RENDERED = ['report.html', ...['regret', 'return-vs-radius', 'nominal-vs-worst', 'gap-vs-samples'].flatMap((n) => [`${n}.svg`, `${n}.png`])];

async function finishCompare(
  config: CompareConfig,
  plan: ReturnType<typeof planCompare>,
  folder: RunFolder,
  executor: CompareExecutor,
  options: CompareOptions,
  t0: number,
): Promise<CompareReport> {
  const dir = folder.dir;
  let outcome: CompareOutcome;
  try {
    outcome = await runCompare(config, {
      plan,
      executor,
      signal: options.signal,
      progress: options.progress,
      done: folder.done,
      onCell: (cell, output) => folder.appendCell(cell.hash, output),
      runId: folder.runId,
    });
  } catch (e) {
    if (e instanceof DrmgError) {
      // The cells that finished are in the journal: say so, and how to continue.
      throw new DrmgError(e.kind, e.path, `${e.detail}; the runs that finished are kept in ${dir} (drmg compare --resume ${dir} continues once the cause is fixed)`);
    }
    throw e;
  }
  const finished: CompareRunResult[] = outcome.runs.filter((r) => r !== null).map((r) => r!.result);
  const summaries: LearnerSummary[] = [];
  const timings: LearnerTiming[] = [];
  // A slope only where the regret at K is above rounding noise (compare-summary.ts, slopeTolerance).
  const H = makeScenarioEnv(config).model.H;
  const tolerance = slopeTolerance(config.episodes, H);
  // The samples axis: simulator calls to a mean gap <= eps = 0.05 H (compare-summary.ts, gapTolerance).
  const gapEps = gapTolerance(H);
  for (const l of outcome.learners) {
    if (l.plan.kind === 'skip') continue;
    const mine = outcome.runs.filter((r) => r !== null && r.result.learner === l.label).map((r) => r!);
    if (mine.length === 0) continue;
    summaries.push(summarizeLearner(l.label, l.name, describePlan(l.plan), mine.map((r) => r.result), config.radii, { slopeTolerance: tolerance, gapTolerance: gapEps }));
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
    resumeDir: dir,
  };
  const text = compareSummaryText(textInput);

  const files: string[] = ['config.json', 'cells.jsonl'];
  const write = (name: string, content: string | Uint8Array): void => {
    folder.writeFile(name, content);
    files.push(name);
  };
  const configJson = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  write('results.jsonl', compareResultsJsonLines(finished, summaries, winners, config.radii));
  write('results.csv', compareResultsCsv(finished, config.radii));
  for (const r of outcome.runs) if (r !== null) write(`policies/${fileStem(r.result.learner)}-seed${r.result.seed}.policy.json`, JSON.stringify(r.policy) + '\n');

  let plots: RenderedPlot[] = [];
  // A continued run without plots must not keep the plots and report of the cells done before.
  if (options.render === false || summaries.length === 0) for (const name of STALE_RENDERED) folder.removeFile(name);
  if (options.render !== false && summaries.length > 0) {
    plots = await renderComparePlots(comparePlotSpecs(summaries, config.radii, `${summaries[0].seeds.length === config.seeds.length ? config.seeds.length : 'the finished'} seeds (${seedsText(config.seeds)})`));
    for (const p of plots) {
      write(`${p.name}.svg`, p.svg);
      write(`${p.name}.png`, p.png);
    }
  }
  const runsMs = outcome.wallMs;
  const workersText = outcome.where;
  const computed = finishedRuns - outcome.reused;
  const reusedText = outcome.reused > 0 ? ` (${outcome.reused} done before, ${computed} now)` : '';
  // The report's timing line is known before the report is written; the total is measured once it is.
  const preliminary = `${finishedRuns} runs${reusedText} in ${(runsMs / 1000).toFixed(1)} s on ${workersText}`;
  if (options.render !== false && summaries.length > 0) write('report.html', compareReportHtml({ ...textInput, plots, configJson, timingLine: preliminary }));
  write('summary.txt', text);
  const totalMs = performance.now() - t0;
  const timingLine = `${finishedRuns}${outcome.interrupted ? ` of ${outcome.planned.length}` : ''} runs${reusedText} in ${(runsMs / 1000).toFixed(1)} s on ${workersText}; total ${(totalMs / 1000).toFixed(1)} s with results, plots and report`;
  const runTimings = outcome.runs.filter((r) => r !== null).map((r) => r!.timing);
  write('timing.json', JSON.stringify({ runsMs, totalMs, workers: outcome.workers, where: outcome.where, reused: outcome.reused, learners: timings, runs: runTimings }, null, 2) + '\n');
  return { dir, files, config, outcome, summaries, winners, plots, text, timingLine, interrupted: outcome.interrupted, resumed: folder.resumed, totalMs };
}
