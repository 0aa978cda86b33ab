/**
 * `drmg compare`: robust against non-robust learners on one environment, over several seeds, with exact
 * robust regret, deployment under perturbed kernels, plots, an HTML report and a terminal summary.
 * Every flag has a default; `--config FILE` (JSON or YAML) gives the experiment, and flags change it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DrmgError, MAX_EPISODES, MAX_EVAL_POINTS, MAX_RANDOM_KERNELS, MAX_ROLLOUT_EPISODES, MAX_SEED, MAX_SEEDS, MAX_WORKERS, parseDecimal } from '@drmg/core';
import { parseParamArgs } from '@drmg/core';
import { envSpec, hasEnv } from '@drmg/envs';
import {
  compare,
  compareProgress,
  defaultCompareInput,
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
import { compareExecutorOption, compareRunHelp, compareRunOptions, resumeDirOption, signalExitCode, stopOnSignals } from './compare-run-options.ts';
import { fileSizeHelp, fileSizeOption, integerOption, parseOptions } from './parse-options.ts';

const d = defaultCompareInput;

function defaultLearnersText(): string {
  return (d.learners ?? [])
    .map((e) => (typeof e === 'string' ? e : `${e.name}${e.params && Object.keys(e.params).length > 0 ? ` (${Object.entries(e.params).map(([k, v]) => `${k}=${v}`).join(', ')})` : ''}`))
    .join(', ');
}

/** Words of `text` wrapped to lines of at most `width` characters, continuation lines indented by `indent`. */
function wrap(text: string, indent: string, first: number, width = 100): string {
  const lines: string[] = [];
  let line = '';
  let room = width - first;
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
      room = width - indent.length;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

function helpText(): string {
  let names = '';
  try {
    names = learnerNames().join(', ');
  } catch {
    names = '(see drmg train --help)';
  }
  return `Usage: drmg compare [--config FILE] [--env ID|GAME] [--env-param NAME=VALUE ...] [--learners A,B,...]
                    [--param LEARNER.NAME=VALUE ...] [--seeds N] [--seed S] [--episodes K]
                    [--eval-points N] [--radii R1,R2,...] [--random-kernels N] [--rollout-episodes N]
                    [--module FILE ...] [--out DIR] [--workers N] [--no-report] [--json]
       drmg compare --resume DIR [--workers N] [--no-report] [--json]
       drmg compare ... --backend bullmq --redis URL [--queue NAME]   (cells run by drmg worker processes)

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
  --config FILE            an experiment as JSON or YAML: env, envParams, learners (names or
                           {name, label, params}), seeds (a count or a list), seed, episodes,
                           evalPoints, gapKind, radii, randomKernels, rolloutEpisodes, modules, out,
                           workers. A run's config.json is such a file: it reruns the run exactly.
                           A config is code: its modules are imported (executed) in this process and
                           every worker thread, and its env and out may name any path. Run configs only
                           from sources you trust; compare prints the modules it imports before it does.
  --env ID|GAME            a registered environment id or a drmg-game/1 file (default ${d.env})
  --env-cmd "COMMAND"      instead of --env: a simulator in another process (docs/external-envs.md); every
                           run starts its own process and trains on its samples, and policies are scored
                           exactly on the model it serves (it must answer "model"); in a config: envCmd
  --env-param NAME=VALUE   a parameter of the environment (repeatable; see drmg env list)
  --learners A,B,...       learners by name or by the config's labels (default:
                           ${wrap(`${defaultLearnersText()}, each with its own defaults, on any environment).`, '                           ', 27)}
                           A robust learner made for the other divergence (mornavi-kl on a TV
                           environment, mornavi-tv on a KL one) is trained with the environment's twin
                           of its divergence (divergence=kl|tv) and scored like the others; it is
                           skipped when the environment has none. Registered learners:
                           ${wrap(names, '                           ', 27)}
  --param L.NAME=VALUE     a parameter of learner L (its label or name), e.g. --param nash-vi.bonusScale=0.001
  --seeds N                number of seeds (default ${d.seeds}, at most ${MAX_SEEDS}), seeds S, S+1, ..., S+N-1
  --seed S                 first seed (default ${d.seed}, at most ${MAX_SEED})
  --episodes K             episodes per run (default ${d.episodes}, at most ${MAX_EPISODES})
  --eval-points N          exact gap evaluations per run, every ceil(K/N) episodes and at K
                           (default ${d.evalPoints}, at most ${MAX_EVAL_POINTS})
  --radii R1,R2,...        perturbation radii in [0, 1], increasing (default ${(d.radii ?? []).join(',')})
  --random-kernels N       random kernels per radius and agent, 0 or >= 2 (default ${d.randomKernels}, at most ${MAX_RANDOM_KERNELS})
  --rollout-episodes N     episodes per random kernel (default ${d.rolloutEpisodes}, at most ${MAX_ROLLOUT_EPISODES})
  --module FILE            a module to import first, in the main thread and every worker (repeatable):
                           it registers custom environments (register) or learners (registerLearner).
                           It is code that runs with your permissions, like the config's modules
  --out DIR                the run folder (default: a new runs/<time>-<env>): a new or empty folder, or a
                           run of the same experiment (continued); anything else is refused, as is ''.
                           It is created and locked before the first run starts (two runs never share one)
  --workers N              worker threads; 1 runs on the main thread (default: one per core, at most ${MAX_WORKERS});
                           capped at the cores available (see --oversubscribe) and at the runs to do
${compareRunHelp}
  --no-report              skip the plots and the HTML report
  --json                   print only a drmg-compare/1 JSON document (the folder, the resolved config,
                           per-learner summaries, the winners by radius, timing) instead of text
${fileSizeHelp(27)}
  -h, --help               show this help

The config's settings have the same bounds as the flags. An option given twice is an error, except
the list options --env-param, --param and --module (and there, a parameter given twice is an error).

The run folder: config.json (resolved config, seeds, versions), results.jsonl and results.csv (raw
results, identical for any number of workers), timing.json, policies/*.policy.json (output
policies, drmg-policy/1), regret.svg/png, return-vs-radius.svg/png, nominal-vs-worst.svg/png,
report.html (self-contained) and summary.txt; cells.jsonl, the journal: one line per finished run,
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
    const m = /^([^=]+)\.([A-Za-z0-9_]+)=(.*)$/.exec(pair);
    if (m === null) throw new DrmgError('input', `drmg compare --param ${pair}`, 'expected LEARNER.NAME=VALUE, e.g. nash-vi.bonusScale=0.001');
    const [, who, name, value] = m;
    const mine = (out[who.trim()] ??= {});
    if (Object.hasOwn(mine, name)) throw new DrmgError('input', `drmg compare --param ${who.trim()}.${name}`, `given twice (${mine[name]}, ${value.trim()}); give each parameter once`);
    mine[name] = value.trim();
  }
  return out;
}

function radiiOption(text: string): number[] {
  const parts = text.split(',').map((x) => x.trim());
  return parts.map((x) => {
    const r = parseDecimal(x);
    if (r === undefined) throw new DrmgError('input', 'drmg compare --radii', `expected comma-separated numbers in [0, 1], got ${JSON.stringify(x)}`);
    return r;
  });
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
    const { values, positionals } = parseOptions('compare', args, {
      config: { type: 'string' },
      env: { type: 'string' },
      'env-cmd': { type: 'string' },
      'env-param': { type: 'string', multiple: true },
      learners: { type: 'string' },
      param: { type: 'string', short: 'p', multiple: true },
      seeds: { type: 'string' },
      seed: { type: 'string' },
      episodes: { type: 'string' },
      'eval-points': { type: 'string' },
      radii: { type: 'string' },
      'random-kernels': { type: 'string' },
      'rollout-episodes': { type: 'string' },
      module: { type: 'string', multiple: true },
      out: { type: 'string' },
      workers: { type: 'string' },
      ...compareRunOptions,
      'no-report': { type: 'boolean' },
      json: { type: 'boolean' },
      ...fileSizeOption,
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(helpText());
      return 0;
    }
    if (positionals.length > 0) throw new DrmgError('input', 'drmg compare', `takes no arguments, got ${JSON.stringify(positionals[0])} (use --env ID or --config FILE; see drmg compare --help)`);
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
      if (!existsSync(fileURLToPath(configModules[n]))) throw new DrmgError('input', `${source}: modules[${n}]`, `cannot import ${configModules[n]}: no such file`);
    }
    for (const f of moduleFiles) if (!existsSync(resolve(f))) throw new DrmgError('input', `drmg compare --module ${f}`, 'cannot import it: no such file');
    if (configModules.length + modules.length > 0) {
      const list = [...configModules.map((m) => `${fileURLToPath(m)} (from ${source})`), ...moduleFiles.map((f) => `${resolve(f)} (--module)`)];
      io.err(`compare: importing ${list.length} module${list.length === 1 ? '' : 's'} (code that runs in this process and every worker thread):\n${list.map((x) => `  ${x}\n`).join('')}`);
    }
    await importCompareModules(configModules, source);
    for (let n = 0; n < modules.length; n++) {
      try {
        await import(modules[n]);
      } catch (e) {
        throw new DrmgError('input', `drmg compare --module ${moduleFiles[n]}`, `cannot import it: ${(e as Error).message}`);
      }
    }
    if (typeof values.env === 'string' && typeof values['env-cmd'] === 'string') throw new DrmgError('input', 'drmg compare --env-cmd', 'takes the place of --env; give one of them');
    if (typeof values.env === 'string') overrides.env = hasEnv(values.env) ? values.env : resolve(values.env);
    if (typeof values['env-cmd'] === 'string') overrides.envCmd = values['env-cmd'];
    const envPairs = (values['env-param'] as string[] | undefined) ?? [];
    if (envPairs.length > 0) {
      const id = overrides.env ?? base.env ?? d.env!;
      if (!hasEnv(id)) throw new DrmgError('input', 'drmg compare --env-param', `environment parameters apply to registered environment ids only; ${JSON.stringify(id)} is not one (see drmg env list)`);
      overrides.envParams = parseParamArgs(id, envSpec(id).params, envPairs) as Record<string, ParamValue>;
    }
    if (typeof values.learners === 'string') {
      const list = values.learners.split(',').map((x) => x.trim());
      if (list.some((x) => x === '')) throw new DrmgError('input', 'drmg compare --learners', `expected comma-separated learner names, got ${JSON.stringify(values.learners)}`);
      overrides.learners = list;
    }
    const paramPairs = (values.param as string[] | undefined) ?? [];
    if (paramPairs.length > 0) overrides.learnerParams = learnerParams(paramPairs);
    if (values.seeds !== undefined) overrides.seeds = integerOption('compare', 'seeds', values.seeds, 5, 1, MAX_SEEDS);
    if (values.seed !== undefined) overrides.seed = integerOption('compare', 'seed', values.seed, 0, 0, MAX_SEED);
    if (values.episodes !== undefined) overrides.episodes = integerOption('compare', 'episodes', values.episodes, 1, 1, MAX_EPISODES);
    if (values['eval-points'] !== undefined) overrides.evalPoints = integerOption('compare', 'eval-points', values['eval-points'], 1, 1, MAX_EVAL_POINTS);
    if (typeof values.radii === 'string') overrides.radii = radiiOption(values.radii);
    if (values['random-kernels'] !== undefined) overrides.randomKernels = integerOption('compare', 'random-kernels', values['random-kernels'], 0, 0, MAX_RANDOM_KERNELS);
    if (values['rollout-episodes'] !== undefined) overrides.rolloutEpisodes = integerOption('compare', 'rollout-episodes', values['rollout-episodes'], 2, 2, MAX_ROLLOUT_EPISODES);
    const workers = values.workers !== undefined ? integerOption('compare', 'workers', values.workers, 0, 0, MAX_WORKERS) : base.workers;
    // '' is passed on as it is: compare refuses it (resolve('') would be the working directory).
    const out = resumeDir ?? (typeof values.out === 'string' ? (values.out.trim() === '' ? '' : resolve(values.out)) : base.out !== undefined ? resolve(baseDir, base.out) : undefined);
    const input = overrideCompareInput(base, overrides);

    const controller = new AbortController();
    const signals = stopOnSignals(io, controller);
    let report;
    try {
      report = await compare(input, {
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
      return code;
    }
    io.out(`\n${report.text}\n`);
    io.out(`results: ${report.dir}\n`);
    if (report.files.includes('report.html')) io.out(`report:  ${resolve(report.dir, 'report.html')}\n`);
    io.out(`compare: ${report.timingLine}; ${seconds.toFixed(1)} s in all${io === processIo ? ` (${process.uptime().toFixed(1)} s since the process started)` : ''}\n`);
    return code;
  },
};
