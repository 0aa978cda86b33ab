/**
 * `drmg compare`: robust against non-robust learners on one environment, over several seeds, with exact
 * robust regret, deployment under perturbed kernels, plots, an HTML report and a terminal summary.
 * Every flag has a default; `--config FILE` (JSON or YAML) gives the experiment, and flags change it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MAX_SEEDS, describeParams, formatParamHelp, inputError, parseParamArgs, wrap } from '@drmg/core';
import { envSpec, hasEnv } from '@drmg/envs';
import {
  compare,
  compareConfigJsonSchema,
  compareConfigSchema,
  compareProgress,
  importCompareModules,
  learnerNames,
  learnerSummaryJson,
  overrideCompareInput,
  readCompareConfigFile,
  resolveCompareConfig,
  type CompareConfigInput,
  type CompareOverrides,
  type ParamValue,
} from '@drmg/compare';
import type { CliCommand } from './cli-command.ts';
import { processIo, type CliIo } from './cli-io.ts';
import { compareExecutorOption, compareRunOptions, resumeDirOption, signalExitCode, stopOnSignals } from './compare-run-options.ts';
import { dashboardRun, serveOptions } from './serve-options.ts';
import { defineOptions, helpOption, maxFileSizeOption, optionValue, optionsHelp, parseCommandOptions } from './command-options.ts';

const c = compareConfigSchema;

/** The options of drmg compare, declared once: those that set a config setting take its doc, range and default. */
const options = defineOptions({
  config: {
    kind: 'value',
    arg: 'FILE',
    doc: 'an experiment as JSON or YAML (its settings are listed below and in docs/compare.schema.json; drmg compare --print-schema). A run\'s config.json is such a file: it reruns the run exactly. A config is code: its modules are imported (executed) in this process and every worker thread, and its env and out may name any path. Run configs only from sources you trust; compare prints the modules it imports before it does',
  },
  env: { kind: 'value', arg: 'ID|GAME', setting: c.env },
  'env-cmd': { kind: 'value', arg: '"COMMAND"', setting: c.envCmd, doc: 'In a config: envCmd' },
  'env-param': { kind: 'list', arg: 'NAME=VALUE', doc: 'a parameter of the environment (repeatable; see drmg env --help)' },
  learners: {
    kind: 'value',
    arg: 'A,B,...',
    setting: c.learners,
    doc: 'By name or by the config\'s labels, each with its own defaults, on any environment. A robust learner made for the other divergence (mornavi-kl on a TV environment, mornavi-tv on a KL one) is trained with the environment\'s twin of its divergence (divergence=kl|tv) and scored like the others; it is skipped when the environment has none',
  },
  param: { kind: 'list', short: 'p', arg: 'L.NAME=VALUE', doc: 'a parameter of learner L (its label or name), e.g. --param nash-vi.bonusScale=0.001 (each learner\'s parameters: drmg train --help)' },
  seeds: { kind: 'value', arg: 'N', setting: { type: 'integer', default: 5, min: 1, max: MAX_SEEDS, doc: 'number of seeds N: seeds S, S+1, ..., S+N-1 (a config may list them instead)' } },
  seed: { kind: 'value', arg: 'S', setting: c.seed },
  episodes: { kind: 'value', arg: 'K', setting: c.episodes },
  'eval-points': { kind: 'value', arg: 'N', setting: c.evalPoints },
  radii: { kind: 'value', arg: 'R1,R2,...', setting: c.radii, defaultDoc: 'e.g. 0,0.05,...,0.4 for bridge-crossing-v0 (rho = 0.2)' },
  'random-kernels': { kind: 'value', arg: 'N', setting: c.randomKernels },
  'rollout-episodes': { kind: 'value', arg: 'N', setting: c.rolloutEpisodes },
  module: { kind: 'list', arg: 'FILE', setting: c.modules, doc: 'Repeatable. It is code that runs with your permissions, like the config\'s modules' },
  out: {
    kind: 'value',
    arg: 'DIR',
    doc: 'the run folder (default: a new runs/<time>-<env>): a new or empty folder, or a run of the same experiment (continued); anything else is refused, as is \'\'. It is created and locked before the first run starts (two runs never share one)',
  },
  workers: { kind: 'value', arg: 'N', setting: c.workers, doc: '1 runs on the main thread; capped at the cores available (see --oversubscribe) and at the runs to do' },
  ...compareRunOptions,
  ...serveOptions,
  'no-report': { kind: 'flag', doc: 'skip the plots and the HTML report' },
  json: { kind: 'flag', doc: 'print only a drmg-compare/1 JSON document (the folder, the resolved config, per-learner summaries, the winners by radius, timing) instead of text' },
  'print-schema': {
    kind: 'flag',
    doc: "print the JSON Schema (draft 2020-12) of a config file and exit: every setting, each learner's params by its own schema, envParams by the environment's (with --module, custom ones too); docs/compare.schema.json is this output",
  },
  ...maxFileSizeOption,
  ...helpOption,
});

function helpText(): string {
  let names = '';
  try {
    names = learnerNames().join(', ');
  } catch {
    names = '(see drmg train --help)';
  }
  const configSettings = formatParamHelp(describeParams(compareConfigSchema), { indent: 2 });
  return `Usage: drmg compare [--config FILE] [--env ID|GAME] [--env-param NAME=VALUE ...] [--learners A,B,...]
                    [--param LEARNER.NAME=VALUE ...] [--seeds N] [--seed S] [--episodes K]
                    [--eval-points N] [--radii R1,R2,...] [--random-kernels N] [--rollout-episodes N]
                    [--module FILE ...] [--out DIR] [--workers N] [--no-report] [--json]
       drmg compare --resume DIR [--workers N] [--no-report] [--json]
       drmg compare ... --backend bullmq --redis URL [--queue NAME]   (cells run by drmg worker processes)
       drmg compare ... --serve [--port N] [--host ADDRESS]            (a live dashboard in the browser)

Trains every learner on one environment once per seed, scores every learner the same way on the
environment's robust problem, and writes a run folder with the results, plots and an HTML report:
  - exact cumulative robust regret sum_k gap(pi^k) against episodes (Def. 2, unclipped; mean and
    min-max band over seeds), with its log-log slope where the regret at K exceeds max(1e-6, 1e-9 K H)
    ('-' and the reason otherwise);
  - the exact robust gap and robust value of each learner's output policy, and the learner's own bound
    on that gap: "certified gap" only from provably valid confidence widths, else "bound (not certified)";
  - deployment: the output policy's team return (sum over agents) under the nominal kernel, under
    every agent's worst-case kernel of radius r (exact; r rescales the environment's uncertainty
    profile, r = 0 is the nominal model) and under random kernels inside each agent's set (Monte
    Carlo, with standard errors);
  - wall time and episodes per second.
Runs go to worker threads (one per core by default), or to drmg worker processes through a queue
(--backend bullmq); the results do not depend on where they run.

Options (every one has a default; flags change the config file's values):
${optionsHelp(options)}

Registered learners: ${wrap(names, 100).join('\n  ')}

The settings of a config file (YAML or JSON), with the same bounds as the flags:
${configSettings}

The config's settings have the same bounds as the flags. An option given twice is an error, except
the list options --env-param, --param and --module (and there, a parameter given twice is an error).

The run folder: config.json (resolved config, seeds, versions), results.jsonl and results.csv (raw
results, identical for any number of workers), timing.json, policies/*.policy.json (output
policies, drmg-policy/1), regret.svg/png, gap-vs-samples.svg/png (exact gap against simulator
calls), return-vs-radius.svg/png, nominal-vs-worst.svg/png, report.html (self-contained) and summary.txt; cells.jsonl, the journal: one line per finished run,
appended and flushed as it finishes (--resume reads it). Every other file is written whole or not at all.

Progress goes to stderr (bars on a terminal, plain lines otherwise). Ctrl-C (SIGINT) or SIGTERM stops
the experiment: runs that finished are kept and written with a partial report that says so, exit code
130 (SIGINT) or 143 (SIGTERM); the same signal again quits at once. --resume DIR then runs the rest.
Exit codes: 0 success, 2 bad input or a folder that cannot be written (message on stderr, with the path
and the cause), 1 internal failure, 130 / 143 interrupted.
`;
}

/** `NAME=VALUE` pairs of --param as { learner: { name: value } }. */
function learnerParams(pairs: readonly string[]): Record<string, Record<string, ParamValue>> {
  const out: Record<string, Record<string, ParamValue>> = {};
  for (const pair of pairs) {
    const match = /^([^=]+)\.([A-Za-z0-9_]+)=(.*)$/.exec(pair);
    if (match === null) inputError(`drmg compare --param ${pair}`, 'expected LEARNER.NAME=VALUE, e.g. nash-vi.bonusScale=0.001');
    const [, who, name, value] = match;
    const mine = (out[who.trim()] ??= {});
    if (Object.hasOwn(mine, name)) inputError(`drmg compare --param ${who.trim()}.${name}`, `given twice (${mine[name]}, ${value.trim()}); give each parameter once`);
    mine[name] = value.trim();
  }
  return out;
}

function progressStream(io: CliIo): { write(t: string): void; isTTY: boolean; columns?: number } {
  const tty = io === processIo && process.stderr.isTTY === true;
  return { write: (t) => io.err(t), isTTY: tty, columns: tty ? process.stderr.columns : undefined };
}

/** The `compare` subcommand. */
export const compareCommand: CliCommand = {
  name: 'compare',
  summary: 'robust vs non-robust learners over seeds: regret, deployment under perturbed kernels, plots, report',
  get help(): string {
    return helpText();
  },
  async run(args, io) {
    const { values, positionals } = parseCommandOptions('compare', args, options);
    const option = (name: keyof typeof options) => optionValue('compare', options, values, name);
    if (values.help) {
      io.out(helpText());
      return 0;
    }
    if (positionals.length > 0) inputError('drmg compare', `takes no arguments, got ${JSON.stringify(positionals[0])} (use --env ID or --config FILE; see drmg compare --help)`);
    const t0 = performance.now();

    // --resume DIR: the experiment is the run's config.json, the folder the run's own.
    const resumeDir = resumeDirOption(values);
    const executor = compareExecutorOption(values);
    let base: CompareConfigInput = {};
    let source = 'config';
    let baseDir = process.cwd();
    const configFile = resumeDir !== undefined ? join(resumeDir, 'config.json') : values.config;
    if (typeof configFile === 'string') {
      const file = readCompareConfigFile(configFile);
      base = file.input;
      source = file.source;
      baseDir = file.baseDir;
    }
    const overrides: { -readonly [K in keyof CompareOverrides]: CompareOverrides[K] } = {};
    // Modules first (the config's, then --module's): they register the environments and learners named below.
    const moduleFiles = (values.module as string[] | undefined) ?? [];
    const modules = moduleFiles.map((m) => pathToFileURL(resolve(m)).href);
    if (modules.length > 0) overrides.modules = modules;
    const configModules = resolveCompareConfig({ modules: base.modules ?? [] }, { source, baseDir }).modules;
    // A config is code: say which modules run (here and in every worker thread) before any of them does.
    for (let n = 0; n < configModules.length; n++) {
      if (!existsSync(fileURLToPath(configModules[n]))) inputError(`${source}: modules[${n}]`, `cannot import ${configModules[n]}: no such file`);
    }
    for (const f of moduleFiles) if (!existsSync(resolve(f))) inputError(`drmg compare --module ${f}`, 'cannot import it: no such file');
    if (configModules.length + modules.length > 0) {
      const list = [...configModules.map((m) => `${fileURLToPath(m)} (from ${source})`), ...moduleFiles.map((f) => `${resolve(f)} (--module)`)];
      io.err(`compare: importing ${list.length} module${list.length === 1 ? '' : 's'} (code that runs in this process and every worker thread):\n${list.map((x) => `  ${x}\n`).join('')}`);
    }
    await importCompareModules(configModules, source);
    for (let n = 0; n < modules.length; n++) {
      try {
        await import(modules[n]);
      } catch (e) {
        inputError(`drmg compare --module ${moduleFiles[n]}`, `cannot import it: ${(e as Error).message}`);
      }
    }
    if (values['print-schema'] === true) {
      // After the modules: their learners and environments are part of the schema.
      io.out(`${JSON.stringify(compareConfigJsonSchema(), null, 2)}\n`);
      return 0;
    }
    if (typeof values.env === 'string' && typeof values['env-cmd'] === 'string') inputError('drmg compare --env-cmd', 'takes the place of --env; give one of them');
    if (typeof values.env === 'string') overrides.env = hasEnv(values.env) ? values.env : resolve(values.env);
    if (typeof values['env-cmd'] === 'string') overrides.envCmd = values['env-cmd'];
    const envPairs = (values['env-param'] as string[] | undefined) ?? [];
    if (envPairs.length > 0) {
      const id = overrides.env ?? base.env ?? compareConfigSchema.env.default;
      if (!hasEnv(id)) inputError('drmg compare --env-param', `environment parameters apply to registered environment ids only; ${JSON.stringify(id)} is not one (see drmg env list)`);
      overrides.envParams = parseParamArgs(id, envSpec(id).params, envPairs) as Record<string, ParamValue>;
    }
    if (typeof values.learners === 'string') {
      const list = values.learners.split(',').map((x) => x.trim());
      if (list.some((x) => x === '')) inputError('drmg compare --learners', `expected comma-separated learner names, got ${JSON.stringify(values.learners)}`);
      overrides.learners = list;
    }
    const paramPairs = (values.param as string[] | undefined) ?? [];
    if (paramPairs.length > 0) overrides.learnerParams = learnerParams(paramPairs);
    if (values.seeds !== undefined) overrides.seeds = option('seeds') as number;
    if (values.seed !== undefined) overrides.seed = option('seed') as number;
    if (values.episodes !== undefined) overrides.episodes = option('episodes') as number;
    if (values['eval-points'] !== undefined) overrides.evalPoints = option('eval-points') as number;
    if (values.radii !== undefined) overrides.radii = option('radii') as number[];
    if (values['random-kernels'] !== undefined) overrides.randomKernels = option('random-kernels') as number;
    if (values['rollout-episodes'] !== undefined) overrides.rolloutEpisodes = option('rollout-episodes') as number;
    const workers = values.workers !== undefined ? (option('workers') as number) : base.workers;
    // '' is passed on as it is: compare refuses it (resolve('') would be the working directory).
    const out = resumeDir ?? (typeof values.out === 'string' ? (values.out.trim() === '' ? '' : resolve(values.out)) : typeof base.out === 'string' ? resolve(baseDir, base.out) : undefined);
    const input = overrideCompareInput(base, overrides);

    const dashboard = dashboardRun(values, io);
    const controller = new AbortController();
    const signals = stopOnSignals(io, controller);
    let report;
    try {
      report = await (dashboard?.compare ?? compare)(input, {
        out,
        resume: resumeDir !== undefined,
        workers,
        oversubscribe: values.oversubscribe === true,
        executor,
        signal: controller.signal,
        progress: values.json ? undefined : compareProgress(progressStream(io)),
        render: values['no-report'] !== true,
        source,
        baseDir,
        command: ['drmg', 'compare', ...args].join(' '),
      });
    } finally {
      signals.dispose();
    }
    const seconds = (performance.now() - t0) / 1000;
    const received = signals.received();
    const code = received !== null ? signalExitCode(received) : report.interrupted ? 130 : 0;
    if (values.json) {
      io.out(
        JSON.stringify({
          format: 'drmg-compare/1',
          dir: report.dir,
          interrupted: report.interrupted,
          config: report.config,
          radii: report.config.radii,
          summaries: report.summaries.map((x) => learnerSummaryJson(x, report.config.radii)),
          winners: report.winners.map((w) => ({ ...w, value: Number.isFinite(w.value) ? w.value : null })),
          timing: { runsSeconds: report.outcome.wallMs / 1000, totalSeconds: seconds, workers: report.outcome.workers },
        }) + '\n',
      );
      await dashboard?.hold(report, received !== null);
      return code;
    }
    io.out(`\n${report.text}\n`);
    io.out(`results: ${report.dir}\n`);
    if (report.files.includes('report.html')) io.out(`report:  ${resolve(report.dir, 'report.html')}\n`);
    io.out(`compare: ${report.timingLine}; ${seconds.toFixed(1)} s in all${io === processIo ? ` (${process.uptime().toFixed(1)} s since the process started)` : ''}\n`);
    await dashboard?.hold(report, received !== null);
    return code;
  },
};
