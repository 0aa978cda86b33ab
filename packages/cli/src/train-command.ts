/**
 * `drmg train GAME_OR_ID --learner NAME ...`: trains a learner online on a game or a registered
 * environment, evaluating its episode policies exactly, and prints the run (drmg-run/1 with --json).
 */
import { DrmgError, MAX_EPISODES, MAX_EVAL_EVERY, MAX_SEED, describeParams, formatParamHelp, inputError, wrap, readGameFile, type TabularGame } from '@drmg/core';
import { createTabularEnv, listEnvs, make, startExternalEnv, type ExternalEnvSpec, type TabularEnv, resolveEnvTarget } from '@drmg/envs';
import {
  defaultEvalEvery,
  jsonLinesFile,
  map,
  progressBar,
  RUN_FORMAT,
  runExternalTraining,
  runToJson,
  runTraining,
  type ExternalRunSummary,
  type RunSummary,
  type MonoTypeOperatorFunction,
  type TrainEvent,
} from '@drmg/experiments';
import { BOUND_GAP_COLUMN, CERTIFIED_GAP_COLUMN } from '@drmg/compare';
import { getLearner, listLearners, resolveLearnerParams, type LearnerDefinition } from '@drmg/learners';
import type { CliCommand } from './cli-command.ts';
import { processIo, type CliIo } from './cli-io.ts';
import { fmt, formatTable } from './format-table.ts';
import { defineOptions, helpOption, maxFileSizeOption, optionValue, optionsHelp, parseCommandOptions, simulatorOptions } from './command-options.ts';

/** The options of drmg train, declared once (parsing, typing, ranges and the help text all read them). */
const trainOptions = defineOptions({
  learner: { kind: 'value', arg: 'NAME', doc: 'the learner (see below)' },
  param: { kind: 'list', short: 'p', arg: 'NAME=VALUE', doc: 'a learner parameter (repeatable), e.g. --param equilibrium=ce' },
  'env-param': { kind: 'list', arg: 'NAME=VALUE', doc: 'a parameter of a registered environment (repeatable), e.g. --env-param rho=0.3' },
  ...simulatorOptions,
  episodes: { kind: 'value', arg: 'K', setting: { type: 'integer', default: 1, min: 1, max: MAX_EPISODES, doc: 'number of episodes K (required)' }, defaultDoc: 'none' },
  seed: { kind: 'value', arg: 'S', setting: { type: 'integer', default: 0, min: 0, max: MAX_SEED, doc: 'seed (the same seed gives the same run, byte for byte)' } },
  'eval-every': {
    kind: 'value',
    arg: 'N',
    setting: {
      type: 'integer',
      default: 1,
      min: 1,
      max: MAX_EVAL_EVERY,
      doc: 'evaluate the policy of every N-th episode exactly, and the last one (--eval-every 1 evaluates every episode, so the regret is exact; with N > 1 each evaluated gap stands for the N episodes since the previous evaluation)',
    },
    defaultDoc: 'ceil(K / 100): at most 100 evaluations',
  },
  'gap-kind': {
    kind: 'value',
    arg: 'gap|ceGap',
    setting: { type: 'enum', values: ['gap', 'ceGap'], default: 'gap', doc: 'which gap: the NE/CCE gap, or the CE gap' },
    defaultDoc: 'ceGap with --param equilibrium=ce, gap otherwise',
  },
  out: {
    kind: 'value',
    arg: 'FILE',
    doc: 'also write the events as JSON lines (episode-start, policy with gap and regret, episode-end); --steps adds the step events, --policies the policy tables (both can be large)',
  },
  steps: { kind: 'flag', doc: 'with --out: add the step events' },
  policies: { kind: 'flag', doc: 'with --out: add the policy tables' },
  json: {
    kind: 'flag',
    doc: `print only the drmg-run/1 document:
  {"format": "drmg-run/1", "episodes": [...], "regret": [...],
   "certifiedGap": number|null, ["boundGap": number, "certified": false,]
   "policy": <drmg-policy/1>, "gap": number}
episodes: the 1-based episode counts at which the policy was evaluated; regret: the cumulative robust regret there (signed sum of the gaps); certifiedGap: the learner's certified bound on its output policy's gap (null for learners that certify nothing); boundGap with "certified": false, only for a learner whose bound is not a certificate: that bound; policy: the learner's output policy; gap: that policy's exact gap averaged over the initial distribution (docs/formats.md).`,
  },
  ...maxFileSizeOption,
  ...helpOption,
});

const usage = `Usage: drmg train GAME_OR_ID --learner NAME [--param NAME=VALUE ...] [--env-param NAME=VALUE ...]
       drmg train --env-cmd "COMMAND" [--timeout MS] --learner NAME ...
                  --episodes K [--seed S] [--eval-every N] [--gap-kind gap|ceGap]
                  [--out run.jsonl [--steps] [--policies]] [--json]`;

function learnerListing(): string {
  let defs: readonly LearnerDefinition[];
  try {
    defs = listLearners();
  } catch {
    return '  (the learner registry could not be listed)\n';
  }
  return defs
    .map((d) => {
      const head = ['  ' + d.name, ...wrap(`${d.description}${d.needsModel ? ' [is given the model]' : ''}`, 104).map((l) => `      ${l}`)].join('\n');
      const params = formatParamHelp(describeParams(d.params), { prefix: '--param ', indent: 6 });
      return params === '' ? head : `${head}\n${params}`;
    })
    .join('\n');
}

/** The registered ids, wrapped to lines of about 100 characters with `indent` before each continuation. */
function envIds(indent: string): string {
  let ids: string[];
  try {
    ids = listEnvs().map((e) => e.id);
  } catch {
    return '(see drmg env list)';
  }
  const lines: string[] = [];
  let line = '';
  for (const id of ids) {
    if (line !== '' && indent.length + line.length + id.length + 2 > 100) {
      lines.push(line + ',');
      line = id;
    } else {
      line = line === '' ? id : `${line}, ${id}`;
    }
  }
  lines.push(line);
  return lines.join(`\n${indent}`);
}

function helpText(): string {
  return `${usage}

Trains a learner online on GAME_OR_ID for K episodes from seed S and evaluates its episode policies
exactly (robust Bellman recursion, no sampling): the cumulative robust regret
sum_k gap(pi^k) (Def. 2, gap from the initial distribution; unclipped, so a correlated policy's
negative gap lowers it) and the output policy's exact gap. The same seed gives the same run, byte for byte.
A learner's own bound on its output policy's gap is shown as "certified gap" only when it comes from
provably valid confidence widths (mornavi-tv / mornavi-kl with bonus=valid, the planner); any other bound
(a heuristic bonus: bonus=paper or scaled, nash-vi) is shown as "bound (not certified)": not a certificate.

Arguments:
  GAME_OR_ID  a drmg-game/1 JSON file, or a registered environment id with its parameters given
              by --env-param (parameters and ranges: drmg env list); registered ids:
              ${envIds('              ')}

Options:
${optionsHelp(trainOptions)}

Without --json: a progress bar on stderr and a summary on stdout. An option given twice is an error,
except the list options --param and --env-param (and there, a NAME given twice is an error too).

Learners:
${learnerListing()}

Exit codes: 0 success, 2 bad input (message on stderr), 1 internal failure.
`;
}

function loadEnv(target: string, params: string[]): { env: TabularEnv; label: string } {
  const t = resolveEnvTarget(target, params, { paramsAt: 'drmg train --env-param' });
  return { env: t.kind === 'registered' ? make(t.id, t.params) : createTabularEnv(readGameFile(t.path)), label: target };
}

/** `--param NAME=VALUE` strings, validated and typed by the learner's schema (unknown names, types, ranges, choices). */
function parseLearnerParams(def: LearnerDefinition, pairs: readonly string[]): Record<string, unknown> {
  const raw: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) inputError(`drmg train --param ${pair}`, 'expected NAME=VALUE');
    const name = pair.slice(0, eq).trim();
    if (Object.hasOwn(raw, name)) inputError(`drmg train --param ${name}`, `given twice (${name}=${raw[name]}, ${pair}); give each parameter once`);
    raw[name] = pair.slice(eq + 1).trim();
  }
  try {
    return resolveLearnerParams(def, raw);
  } catch (e) {
    if (e instanceof DrmgError && e.kind === 'input' && e.path.startsWith('--param')) inputError(`drmg train ${e.path}`, e.detail);
    throw e;
  }
}

/** What the --out file gets: no step events unless --steps, and policy events without their tables unless --policies. */
function outFilter(policies: boolean): MonoTypeOperatorFunction<TrainEvent> {
  return map((e: TrainEvent): TrainEvent => {
    if (e.type !== 'policy' || policies) return e;
    const { policy: _table, ...rest } = e;
    return rest as TrainEvent;
  });
}

function progressStream(io: CliIo): { write(t: string): void; isTTY: boolean; columns?: number } {
  const tty = io === processIo && process.stderr.isTTY === true;
  return { write: (t) => io.err(t), isTTY: tty, columns: tty ? process.stderr.columns : undefined };
}

function summaryRows(episodes: readonly number[], regret: readonly number[], gaps: readonly number[]): string[][] {
  // At most ten checkpoints, evenly spread over the evaluated episodes, always with the last one.
  const n = episodes.length;
  const picks = new Set<number>();
  for (let q = 1; q <= 10; q++) picks.add(Math.max(0, Math.ceil((q * n) / 10) - 1));
  return [...picks].sort((a, b) => a - b).map((x) => [String(episodes[x]), fmt(regret[x], 4), fmt(regret[x] / episodes[x], 6), fmt(gaps[x], 6)]);
}

function describeGame(g: TabularGame): string {
  return `${g.m} agents, actions [${g.A.join(', ')}], S = ${g.S}, H = ${g.H}, ${g.divergence.toUpperCase()} uncertainty`;
}

interface SimulatorRun {
  readonly envCmd: string;
  readonly timeoutMs: number;
  readonly def: LearnerDefinition;
  readonly params: Record<string, unknown>;
  readonly episodes: number;
  readonly seed: number;
  readonly evalEvery: number;
  readonly gapKind: 'gap' | 'ceGap';
  readonly out: string | undefined;
  readonly steps: boolean;
  readonly policies: boolean;
  readonly json: boolean;
}

/** `drmg train --env-cmd`: the same pipeline on a simulator in another process (exact when it gives a model). */
async function trainOnSimulator(io: CliIo, o: SimulatorRun): Promise<number> {
  const env = await startExternalEnv(o.envCmd, { timeoutMs: o.timeoutMs });
  try {
    const label = `${JSON.stringify(o.envCmd)} (${env.spec.name})`;
    const exactNote = env.model === null ? 'no model: mean returns only (Monte Carlo)' : `exact ${o.gapKind} every ${o.evalEvery} episode${o.evalEvery === 1 ? '' : 's'} on its model`;
    const operators: MonoTypeOperatorFunction<TrainEvent>[] = [];
    if (typeof o.out === 'string') operators.push(outFilter(o.policies), jsonLinesFile<TrainEvent>(o.out));
    if (!o.json) {
      io.err(`drmg train: ${o.def.name} on ${label} (${describeSpec(env.spec)}), K = ${o.episodes}, seed ${o.seed}, ${exactNote}\n`);
      operators.push(progressBar(progressStream(io), { total: o.episodes, label: o.def.name }));
    }
    const run = await runExternalTraining({ env, learner: { name: o.def.name, params: o.params }, episodes: o.episodes, seed: o.seed, evalEvery: o.evalEvery, gapKind: o.gapKind, steps: o.steps, operators });
    if (run.exact !== null) {
      if (o.json) io.out(JSON.stringify(runToJson(run.exact)) + '\n');
      else io.out(`${o.def.name} on ${label}: ${describeGame(run.exact.game)} (the simulator's model)\n\n` + exactSummary(o.def.name, run.exact) + returnsLine(run));
      return 0;
    }
    if (o.json) {
      const bound = run.boundGap === null ? {} : { boundGap: run.boundGap, certified: false };
      io.out(JSON.stringify({ format: RUN_FORMAT, episodes: [], regret: [], certifiedGap: run.certifiedGap, ...bound, policy: null, gap: null, exact: false, meanReturns: run.meanReturns, returnErrors: run.returnErrors }) + '\n');
      return 0;
    }
    io.out(
      `${o.def.name} on ${label}: ${describeSpec(env.spec)}\n\n` +
        returnsLine(run) +
        `the simulator gave no model, so no exact gap or regret: returns are Monte Carlo under its own dynamics (the nominal kernel)\n` +
        `${run.certifiedGap !== null ? `${CERTIFIED_GAP_COLUMN}: ${fmt(run.certifiedGap, 6)}\n` : ''}${run.boundGap !== null ? `${BOUND_GAP_COLUMN}: ${fmt(run.boundGap, 6)}\n` : ''}` +
        `${o.episodes} episodes in ${(run.elapsedMs / 1000).toFixed(2)} s (${((1000 * o.episodes) / Math.max(1e-9, run.elapsedMs)).toFixed(0)} episodes/s through the pipe)\n`,
    );
    return 0;
  } finally {
    await env.close();
  }
}

function describeSpec(spec: ExternalEnvSpec): string {
  return `${spec.m} agents, actions [${spec.A.join(', ')}], S = ${spec.S}, H = ${spec.H}, ${spec.divergence.toUpperCase()} uncertainty`;
}

function returnsLine(run: ExternalRunSummary): string {
  return `mean return per agent over the ${run.K} training episodes: ${run.meanReturns.map((x, i) => `${fmt(x, 4)} ± ${fmt(run.returnErrors[i], 4)}`).join(', ')}\n`;
}

/** The summary tables of a run with exact gaps (a game file, a registered id, or a simulator with a model). */
function exactSummary(learnerName: string, run: RunSummary): string {
  const K = run.K;
  const last = run.regret.length - 1;
  const bound = run.boundGap !== null;
  return (
    formatTable(['episode', 'regret', 'regret/episode', run.gapKind], summaryRows(run.episodes, run.regret, run.gaps)) +
    '\n' +
    formatTable(
      ['learner', 'episodes', 'regret', 'output gap', CERTIFIED_GAP_COLUMN, ...(bound ? [BOUND_GAP_COLUMN] : []), 'seconds', 'episodes/s'],
      [
        [
          learnerName,
          String(K),
          fmt(run.regret[last], 4),
          fmt(run.gap, 6),
          run.certifiedGap === null ? '-' : fmt(run.certifiedGap, 6),
          ...(bound ? [fmt(run.boundGap!, 6)] : []),
          (run.elapsedMs / 1000).toFixed(2),
          ((1000 * K) / Math.max(1e-9, run.elapsedMs)).toFixed(0),
        ],
      ],
    ) +
    `\nregret: the sum over episodes of the exact robust ${run.gapKind} of each episode policy, from the initial distribution\n` +
    `  (Def. 2, unclipped: a negative gap of a correlated policy lowers it)\n` +
    `${run.evalEvery > 1 ? `  evaluated every ${run.evalEvery} episodes, each gap standing for the episodes since the previous evaluation\n` : ''}` +
    `output gap: exact ${run.gapKind} of the learner's output policy\n` +
    `${CERTIFIED_GAP_COLUMN}: the learner's bound on that gap from provably valid confidence widths (- if it certifies nothing)\n` +
    `${bound ? `${BOUND_GAP_COLUMN}: the learner's bound on that gap from widths not known to hold: not a certificate\n` : ''}`
  );
}

/** The `train` subcommand. */
export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train a learner online, with exact robust regret and the output policy (drmg-run/1)',
  get help(): string {
    return helpText();
  },
  async run(args, io) {
    const { values, positionals } = parseCommandOptions('train', args, trainOptions);
    if (values.help) {
      io.out(helpText());
      return 0;
    }
    const envCmd = values['env-cmd'] as string | undefined;
    if (envCmd !== undefined && positionals.length !== 0) {
      inputError('drmg train --env-cmd', `takes the place of GAME_OR_ID; got both --env-cmd and ${JSON.stringify(positionals[0])}`);
    }
    if (envCmd === undefined && values.timeout !== undefined) inputError('drmg train --timeout', 'applies to --env-cmd only');
    if (envCmd === undefined && positionals.length !== 1) {
      inputError('drmg train', `expected 1 argument GAME_OR_ID, got ${positionals.length} (see drmg train --help)`);
    }
    if (typeof values.learner !== 'string') inputError('drmg train --learner', 'missing; expected a learner name (see drmg train --help)');
    if (values.episodes === undefined) inputError('drmg train --episodes', 'missing; expected the number of episodes K >= 1');
    const option = (name: keyof typeof trainOptions) => optionValue('train', trainOptions, values, name);
    const episodes = option('episodes') as number;
    const seed = (option('seed') as number | undefined) ?? 0;
    const evalEvery = (option('eval-every') as number | undefined) ?? defaultEvalEvery(episodes);
    const def = getLearner(values.learner);
    const params = parseLearnerParams(def, (values.param as string[] | undefined) ?? []);
    const gapKind = (option('gap-kind') as 'gap' | 'ceGap' | undefined) ?? (params.equilibrium === 'ce' ? 'ceGap' : 'gap');
    if ((values.steps || values.policies) && values.out === undefined) {
      inputError(`drmg train --${values.steps ? 'steps' : 'policies'}`, 'applies to the --out file only; give --out FILE');
    }
    if (envCmd !== undefined) {
      if (values['env-param'] !== undefined) inputError('drmg train --env-param', 'applies to registered environment ids only, not to --env-cmd');
      const timeoutMs = (option('timeout') as number | undefined) ?? trainOptions.timeout.setting.default;
      return trainOnSimulator(io, { envCmd, timeoutMs, def, params, episodes, seed, evalEvery, gapKind, out: values.out as string | undefined, steps: values.steps === true, policies: values.policies === true, json: values.json === true });
    }
    const { env, label } = loadEnv(positionals[0], (values['env-param'] as string[] | undefined) ?? []);
    const game = env.model;

    const operators: MonoTypeOperatorFunction<TrainEvent>[] = [];
    if (typeof values.out === 'string') operators.push(outFilter(values.policies === true), jsonLinesFile<TrainEvent>(values.out));
    if (!values.json) {
      io.err(`drmg train: ${def.name} on ${label} (${describeGame(game)}), K = ${episodes}, seed ${seed}, exact ${gapKind} every ${evalEvery} episode${evalEvery === 1 ? '' : 's'}\n`);
      operators.push(progressBar(progressStream(io), { total: episodes, label: def.name }));
    }
    // Step events only with --steps (they are what the --out file would get); the summary does not need them.
    const run = await runTraining({
      env,
      learner: { name: def.name, params },
      episodes,
      seed,
      evalEvery,
      gapKind,
      steps: values.steps === true,
      operators,
    });

    if (values.json) {
      io.out(JSON.stringify(runToJson(run)) + '\n');
      return 0;
    }
    io.out(`${def.name} on ${label}: ${describeGame(game)}\n\n` + exactSummary(def.name, run));
    return 0;
  },
};
