/**
 * The experiment of `drmg compare`: which environment, which learners (with their parameters),
 * which seeds, how many episodes, how often the policies are scored exactly, and how the output
 * policies are deployed (perturbation radii, Monte Carlo sizes). A config is a plain object, read
 * from JSON or YAML, validated field by field with located errors (`compare.yaml: learners[1].name:
 * unknown learner ...`), and completed with defaults; the resolved config (`resolveCompareConfig`)
 * lists every value explicitly, so that writing it back (config.json) reruns the same experiment.
 *
 * The default scenario is bridge-crossing-v0 (two robots, a slippery bridge whose failure state is
 * the river): the nominal equilibrium sends one robot over the bridge, the robust one sends both
 * around, so a non-robust learner's policy loses return as reality gets more slippery while the
 * robust learner's does not. Each learner runs with its own defaults (see `defaultCompareInput`).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DrmgError,
  MAX_EPISODES,
  MAX_EVAL_POINTS,
  MAX_NESTING_DEPTH,
  MAX_RANDOM_KERNELS,
  MAX_ROLLOUT_EPISODES,
  MAX_SEED,
  MAX_SEEDS,
  MAX_WORKERS,
  describeValue,
  findJsonProblem,
  inputError,
  parseDecimal,
  readTextFile,
  textLineColumn,
} from '@drmg/core';
import { envSpec, hasEnv, resolveParams } from '@drmg/envs';
import { getLearner, listLearners, resolveLearnerParams } from '@drmg/learners';
import { isCollection, parseDocument, visit } from 'yaml';

/** Format tag of a compare config file written by a run (config.json). */
export const COMPARE_CONFIG_FORMAT = 'drmg-compare-config/1';

/** A parameter value of an environment or a learner. */
export type ParamValue = number | string | boolean;

/** One contestant: a registered learner, its label in reports (unique), and its parameters. */
export interface CompareLearnerSpec {
  /** Registered learner name (`mornavi-tv`, `nash-vi`, ... or a custom one). */
  readonly name: string;
  /** Label in plots and tables (default: the name); labels must differ, so one learner may appear twice with other parameters. */
  readonly label: string;
  /** Learner parameters (validated by the learner registry; defaults filled in when resolved). */
  readonly params: Readonly<Record<string, ParamValue>>;
}

/** A fully resolved compare experiment (every field explicit). */
export interface CompareConfig {
  /** A registered environment id, the absolute path of a drmg-game/1 file, or `cmd:<envCmd>` for a simulator. */
  readonly env: string;
  /**
   * A simulator in another process (docs/external-envs.md) instead of `env`: every run starts its own process and
   * trains on its samples; policies are scored on the model it serves (required: compare is exact), or null.
   */
  readonly envCmd: string | null;
  /** Parameters of the registered environment (every parameter, defaults filled in); {} for a game file. */
  readonly envParams: Readonly<Record<string, ParamValue>>;
  readonly learners: readonly CompareLearnerSpec[];
  /** The seeds; every learner is trained once per seed (run seed = the number itself). */
  readonly seeds: readonly number[];
  /** Episodes K per run. */
  readonly episodes: number;
  /** Exact gap evaluations per run: the policies of episodes n, 2n, ... and K with n = ceil(K / evalPoints). */
  readonly evalPoints: number;
  /** `gap` (robust NE / CCE gap, default) or `ceGap` (robust CE gap). */
  readonly gapKind: 'gap' | 'ceGap';
  /** Perturbation radii r at which output policies are deployed (ascending, in [0, 1]). */
  readonly radii: readonly number[];
  /** Random kernels drawn per agent inside its radius-r set (Monte Carlo deployment): 0 skips it, otherwise >= 2. */
  readonly randomKernels: number;
  /** Episodes rolled out per random kernel (>= 2). */
  readonly rolloutEpisodes: number;
  /** Modules imported (by the main thread and every worker) before anything is resolved: they register custom environments and learners. Absolute file URLs. */
  readonly modules: readonly string[];
}

/** A config as written by a user: every field optional, learners as names or objects, seeds as a count or a list. */
export interface CompareConfigInput {
  readonly env?: string;
  /** A simulator command line instead of `env` (it must answer "model"); null (as a resolved config writes it) is none. */
  readonly envCmd?: string | null;
  readonly envParams?: Readonly<Record<string, ParamValue>>;
  readonly learners?: readonly (string | { readonly name: string; readonly label?: string; readonly params?: Readonly<Record<string, ParamValue>> })[];
  /** A count n (seeds seed, seed + 1, ..., seed + n - 1) or an explicit list. */
  readonly seeds?: number | readonly number[];
  /** First seed when `seeds` is a count (default 0). */
  readonly seed?: number;
  readonly episodes?: number;
  readonly evalPoints?: number;
  readonly gapKind?: 'gap' | 'ceGap';
  readonly radii?: readonly number[];
  readonly randomKernels?: number;
  readonly rolloutEpisodes?: number;
  readonly modules?: readonly string[];
  /** Run options a config file may also carry (not part of the experiment: they never change the results). */
  readonly out?: string;
  readonly workers?: number;
  /** Ignored metadata of config.json files written by a run. */
  readonly format?: string;
  readonly provenance?: unknown;
}

/**
 * The default experiment: bridge-crossing-v0 at its defaults (H = 6, slip 0.1, crowding 0.25, TV rho 0.2
 * on the bridge), the robust learners MORNAVI-TV and MORNAVI-KL (the latter trained with the environment's
 * KL twin, `divergence=kl`, as its uncertainty model: see `planLearner`), non-robust Nash-VI, decentralised
 * independent Q-learning and the known-model robust planner, 5 seeds of K = 3,000 episodes, 150 exact gap
 * evaluations per run, deployment at r = 0, 0.05, ..., 0.3 with 10 random kernels per agent x 200 episodes per radius.
 *
 * Every learner runs with its own registry defaults, for whatever environment the experiment names (`--env`
 * changes the environment and nothing else): no constant tuned on one environment is carried to another.
 * Parameters given in a config file or with `--param` still win. (Earlier versions gave the default learners
 * exploration constants tuned on bridge-crossing; docs/compare/README.md keeps that sweep and its figures.)
 */
export const defaultCompareInput: CompareConfigInput = {
  env: 'bridge-crossing-v0',
  envParams: {},
  learners: ['mornavi-tv', 'mornavi-kl', 'nash-vi', 'independent-q', 'planner'],
  seeds: 5,
  seed: 0,
  episodes: 3000,
  evalPoints: 150,
  gapKind: 'gap',
  radii: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3],
  randomKernels: 10,
  rolloutEpisodes: 200,
  modules: [],
};

const knownKeys = new Set([
  'env',
  'envCmd',
  'envParams',
  'learners',
  'seeds',
  'seed',
  'episodes',
  'evalPoints',
  'gapKind',
  'radii',
  'randomKernels',
  'rolloutEpisodes',
  'modules',
  'out',
  'workers',
  'format',
  'provenance',
]);

/** `source: field` as the error path (source = the file name, or `config`). */
function at(source: string, field: string): string {
  return `${source}: ${field}`;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** At most this many deployment radii (each is a worst-case evaluation per learner and seed). */
const MAX_RADII = 1000;

function integerIn(source: string, field: string, x: unknown, min: number, max: number): number {
  if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < min || x > max) {
    inputError(at(source, field), `expected an integer in [${min}, ${max}], got ${describeValue(x)}`);
  }
  return x;
}

/** Re-raises a registry's DrmgError at a config path, keeping its detail. */
function relocate<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DrmgError && e.kind === 'input') throw new DrmgError('input', path, e.message);
    throw e;
  }
}

/** Absolute file URL of a module given relative to `baseDir` (or already a URL). */
function moduleUrl(spec: string, baseDir: string): string {
  if (/^file:\/\//.test(spec)) return spec;
  return pathToFileURL(isAbsolute(spec) ? spec : resolve(baseDir, spec)).href;
}

/** Options of `resolveCompareConfig`. */
export interface ResolveOptions {
  /** Name of the config's source in error paths (a file name; default `config`). */
  readonly source?: string;
  /** Directory relative paths (game files, modules) are resolved against (default: the working directory). */
  readonly baseDir?: string;
}

/**
 * Validates a config and fills in the defaults of `defaultCompareInput` for absent fields; learner and
 * environment parameters are checked by their registries (so modules registering custom ones must be
 * imported first: see `importCompareModules`).
 * @throws DrmgError ('input') at `source: field` for an unknown field, a value of the wrong type or out of
 * range, an unknown environment or learner, a bad parameter, or duplicate learner labels.
 * @example resolveCompareConfig({ episodes: 500, seeds: 2 })
 */
export function resolveCompareConfig(input: unknown, options: ResolveOptions = {}): CompareConfig {
  const source = options.source ?? 'config';
  const baseDir = options.baseDir ?? process.cwd();
  if (!isRecord(input)) inputError(source, `expected an object of settings (env, learners, seeds, episodes, ...), got ${describeValue(input)}`);
  for (const key of Object.keys(input)) {
    if (!knownKeys.has(key)) inputError(at(source, key), `unknown setting; expected one of ${[...knownKeys].filter((k) => k !== 'format' && k !== 'provenance').join(', ')}`);
  }
  const d = defaultCompareInput;
  const raw = input as CompareConfigInput;

  // Environment: a simulator command, a registered id, or a drmg-game/1 file.
  if (raw.envCmd !== undefined && raw.envCmd !== null) {
    if (typeof raw.envCmd !== 'string' || raw.envCmd.trim() === '') inputError(at(source, 'envCmd'), `expected a simulator command line, got ${JSON.stringify(raw.envCmd)}`);
    // A config.json written by compare carries env "cmd:<envCmd>" beside envCmd: that pair is the same scenario.
    if (raw.env !== undefined && raw.env !== `cmd:${raw.envCmd.trim()}`) inputError(at(source, 'envCmd'), `takes the place of env; got both envCmd and env ${JSON.stringify(raw.env)}`);
    if (raw.envParams !== undefined && Object.keys(raw.envParams).length > 0) inputError(at(source, 'envParams'), 'environment parameters apply to registered environment ids only, not to envCmd');
  }
  const envCmd = raw.envCmd === undefined || raw.envCmd === null ? null : raw.envCmd.trim();
  const envText = envCmd !== null ? `cmd:${envCmd}` : (raw.env ?? d.env!);
  if (typeof envText !== 'string' || envText === '') inputError(at(source, 'env'), `expected a registered environment id or a game file, got ${JSON.stringify(raw.env)}`);
  let env: string;
  let envParams: Record<string, ParamValue> = {};
  const givenEnvParams = raw.envParams ?? (raw.env === undefined && envCmd === null ? d.envParams : {});
  if (!isRecord(givenEnvParams)) inputError(at(source, 'envParams'), `expected an object of NAME: VALUE, got ${JSON.stringify(raw.envParams)}`);
  if (envCmd !== null) {
    env = envText;
  } else if (hasEnv(envText)) {
    env = envText;
    const spec = envSpec(env);
    envParams = relocate(at(source, 'envParams'), () => {
      const resolved = resolveParams(env, spec.params, givenEnvParams) as Record<string, ParamValue>;
      spec.check?.(resolved);
      return { ...resolved };
    });
  } else {
    const file = isAbsolute(envText) ? envText : resolve(baseDir, envText);
    if (/^[a-z0-9-]+-v\d+$/.test(envText) && !existsSync(file)) relocate(at(source, 'env'), () => envSpec(envText));
    if (!existsSync(file)) inputError(at(source, 'env'), `${JSON.stringify(envText)} is neither a registered environment id (see drmg env list) nor an existing drmg-game/1 file`);
    if (Object.keys(givenEnvParams).length > 0) inputError(at(source, 'envParams'), 'environment parameters apply to registered environment ids only, not to a game file');
    env = file;
  }

  // Learners: names or { name, label?, params? }, labels unique.
  const learnersIn = raw.learners ?? d.learners!;
  if (!Array.isArray(learnersIn) || learnersIn.length === 0) inputError(at(source, 'learners'), `expected a non-empty list of learner names or { name, label, params }, got ${JSON.stringify(raw.learners)}`);
  const labels = new Set<string>();
  const learners: CompareLearnerSpec[] = learnersIn.map((entry, n) => {
    const path = `learners[${n}]`;
    const obj = typeof entry === 'string' ? { name: entry } : entry;
    if (!isRecord(obj)) inputError(at(source, path), `expected a learner name or { name, label, params }, got ${describeValue(entry)}`);
    for (const key of Object.keys(obj)) if (key !== 'name' && key !== 'label' && key !== 'params') inputError(at(source, `${path}.${key}`), 'unknown setting; expected name, label or params');
    const name = obj.name;
    if (typeof name !== 'string') inputError(at(source, `${path}.name`), `expected a learner name, got ${describeValue(name)}`);
    const def = relocate(at(source, `${path}.name`), () => getLearner(name));
    const label = obj.label ?? name;
    if (typeof label !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9 ._()=+-]*$/.test(label)) {
      inputError(at(source, `${path}.label`), `expected a label of letters, digits, spaces and ._()=+-, got ${JSON.stringify(label)}`);
    }
    if (labels.has(label)) inputError(at(source, `${path}.label`), `duplicate label ${JSON.stringify(label)}; give each entry of the same learner its own label`);
    labels.add(label);
    const params = obj.params ?? {};
    if (!isRecord(params)) inputError(at(source, `${path}.params`), `expected an object of NAME: VALUE, got ${describeValue(obj.params)}`);
    // Number() would read "0x1" or "Infinity" silently: a number parameter given as text must be plain decimal.
    for (const p of def.params) {
      const v = params[p.name];
      if ((p.type === 'number' || p.type === 'integer') && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) && parseDecimal(v.trim()) === undefined) {
        inputError(at(source, `${path}.params.${p.name}`), `learner ${def.name}: expected ${p.type === 'integer' ? 'an integer' : 'a number'} in plain decimal notation, got ${describeValue(v)}`);
      }
    }
    const resolved = relocate(at(source, `${path}.params`), () => resolveLearnerParams(def, params as Record<string, ParamValue>));
    return { name, label, params: resolved };
  });

  // Seeds: a count from `seed`, or a list of distinct non-negative integers.
  const seedsIn = raw.seeds ?? d.seeds!;
  let seeds: number[];
  if (typeof seedsIn === 'number') {
    const count = integerIn(source, 'seeds', seedsIn, 1, MAX_SEEDS);
    const first = integerIn(source, 'seed', raw.seed ?? d.seed!, 0, MAX_SEED);
    seeds = Array.from({ length: count }, (_, n) => first + n);
  } else if (Array.isArray(seedsIn) && seedsIn.length > 0) {
    if (raw.seed !== undefined) inputError(at(source, 'seed'), 'applies only when seeds is a count; with a list of seeds, leave it out');
    if (seedsIn.length > MAX_SEEDS) inputError(at(source, 'seeds'), `expected at most ${MAX_SEEDS} seeds, got ${seedsIn.length}`);
    seeds = seedsIn.map((x, n) => integerIn(source, `seeds[${n}]`, x, 0, MAX_SEED));
    if (new Set(seeds).size !== seeds.length) inputError(at(source, 'seeds'), `expected distinct seeds, got ${JSON.stringify(seedsIn)}`);
  } else {
    return inputError(at(source, 'seeds'), `expected a count >= 1 or a non-empty list of seeds, got ${describeValue(seedsIn)}`);
  }

  const episodes = integerIn(source, 'episodes', raw.episodes ?? d.episodes!, 1, MAX_EPISODES);
  const evalPoints = integerIn(source, 'evalPoints', raw.evalPoints ?? d.evalPoints!, 1, MAX_EVAL_POINTS);
  const gapKind = raw.gapKind ?? d.gapKind!;
  if (gapKind !== 'gap' && gapKind !== 'ceGap') inputError(at(source, 'gapKind'), `expected "gap" or "ceGap", got ${JSON.stringify(gapKind)}`);

  const radiiIn = raw.radii ?? d.radii!;
  if (!Array.isArray(radiiIn) || radiiIn.length === 0) inputError(at(source, 'radii'), `expected a non-empty list of radii in [0, 1], got ${describeValue(raw.radii)}`);
  if (radiiIn.length > MAX_RADII) inputError(at(source, 'radii'), `expected at most ${MAX_RADII} radii, got ${radiiIn.length}`);
  const radii = radiiIn.map((r, n) => {
    if (typeof r !== 'number' || !Number.isFinite(r) || r < 0 || r > 1) inputError(at(source, `radii[${n}]`), `expected a radius in [0, 1], got ${describeValue(r)}`);
    if (n > 0 && !(r > radiiIn[n - 1])) inputError(at(source, `radii[${n}]`), `expected radii in increasing order, got ${r} after ${radiiIn[n - 1]}`);
    return r;
  });
  const randomKernels = integerIn(source, 'randomKernels', raw.randomKernels ?? d.randomKernels!, 0, MAX_RANDOM_KERNELS);
  if (randomKernels === 1) inputError(at(source, 'randomKernels'), 'expected 0 (no Monte Carlo) or at least 2 (the standard error is taken across kernels), got 1');
  const rolloutEpisodes = integerIn(source, 'rolloutEpisodes', raw.rolloutEpisodes ?? d.rolloutEpisodes!, 2, MAX_ROLLOUT_EPISODES);

  const modulesIn = raw.modules ?? [];
  if (!Array.isArray(modulesIn)) inputError(at(source, 'modules'), `expected a list of module files, got ${JSON.stringify(raw.modules)}`);
  const modules = modulesIn.map((x, n) => {
    if (typeof x !== 'string' || x === '') inputError(at(source, `modules[${n}]`), `expected a module file, got ${JSON.stringify(x)}`);
    return moduleUrl(x, baseDir);
  });

  if (raw.out !== undefined && (typeof raw.out !== 'string' || raw.out === '')) inputError(at(source, 'out'), `expected a directory, got ${JSON.stringify(raw.out)}`);
  if (raw.workers !== undefined) integerIn(source, 'workers', raw.workers, 0, MAX_WORKERS);
  return { env, envCmd, envParams, learners, seeds, episodes, evalPoints, gapKind, radii, randomKernels, rolloutEpisodes, modules };
}

/** The evaluation interval n = ceil(K / evalPoints) of a config (at least 1). */
export function compareEvalEvery(config: Pick<CompareConfig, 'episodes' | 'evalPoints'>): number {
  return Math.max(1, Math.ceil(config.episodes / config.evalPoints));
}

/**
 * Imports the modules of a config (file URLs), in order: each registers its custom environments or learners
 * when it loads (use `replace: true` so that importing twice is harmless).
 * @throws DrmgError ('input') at `modules[n]` when a module cannot be imported.
 */
export async function importCompareModules(modules: readonly string[], source = 'config'): Promise<void> {
  for (let n = 0; n < modules.length; n++) {
    try {
      await import(modules[n]);
    } catch (e) {
      inputError(at(source, `modules[${n}]`), `cannot import ${modules[n]}: ${(e as Error).message}`);
    }
  }
}

/** What `readCompareConfigFile` returns: the raw object, its source name and directory (for relative paths). */
export interface CompareConfigFile {
  readonly input: CompareConfigInput;
  readonly source: string;
  readonly baseDir: string;
}

/** How deeply a value nests arrays and objects (iterative: any depth is safe); stops counting past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > deepest) deepest = d + 1;
    if (deepest > limit) return deepest;
    for (const x of Object.values(v)) if (x !== null && typeof x === 'object') stack.push([x, d + 1]);
  }
  return deepest;
}

/** The YAML text of a config as a plain value, or a located input error (syntax, duplicate keys, alias bombs, depth). */
function parseYamlConfig(text: string, source: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0];
    let reason = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    // The yaml parser recurses per level and reports running out of stack as an error of the document.
    if (/call stack/i.test(reason)) reason = `nested too deeply for the YAML parser (a compare config needs 4 levels; at most ${MAX_NESTING_DEPTH})`;
    inputError(pos ? `${source}:${pos.line}:${pos.col}` : source, `invalid YAML: ${reason}`);
  }
  if (doc.contents === null) {
    inputError(source, 'the config is empty; expected a mapping of settings such as "episodes: 500" (write {} to run the default experiment)');
  }
  // A key that is itself a list or a mapping has no JSON form (yaml would stringify it, with a warning).
  let complexKey: number | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) {
        complexKey = pair.key.range?.[0] ?? 0;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (complexKey !== undefined) {
    const at = textLineColumn(text, complexKey);
    inputError(`${source}:${at.line}:${at.column}`, 'invalid YAML: a key that is a list or a mapping; expected a plain name');
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    if (!(e instanceof ReferenceError || e instanceof RangeError)) throw e;
    let first: number | undefined;
    visit(doc, {
      Alias(_, node) {
        first = node.range?.[0];
        return visit.BREAK;
      },
    });
    const at = first === undefined ? null : textLineColumn(text, first);
    inputError(
      at ? `${source}:${at.line}:${at.column}` : source,
      e instanceof RangeError
        ? `invalid YAML: its aliases expand too deeply (${e.message})`
        : 'invalid YAML: its aliases expand to too many nodes (more than 100 times the document: an "alias bomb"); write the values out instead',
    );
  }
}

/**
 * Reads a config file: `.json` as JSON, `.yaml` / `.yml` as YAML; relative paths inside it are relative to its directory.
 * The file is read bounded (`readTextFile`: the size limit, UTF-8); JSON and YAML alike refuse duplicate keys and
 * nesting deeper than MAX_NESTING_DEPTH, YAML aliases that expand out of proportion, and an empty or null document
 * (which would otherwise run the whole default experiment unasked).
 *
 * A config is code: its `modules` are imported (executed) by `compare` in the main thread and every worker, and
 * `env` and `out` may name any path. Read configs only from sources you trust.
 * @throws DrmgError ('input') naming the file when it is missing, too large, not UTF-8, has another extension,
 * is empty or null, or does not parse (with the line and column of the first problem).
 */
export function readCompareConfigFile(file: string): CompareConfigFile {
  const path = resolve(file);
  const source = file;
  const yamlFile = /\.ya?ml$/i.test(file);
  if (!yamlFile && !/\.json$/i.test(file)) inputError(source, 'expected a .json, .yaml or .yml config file');
  let text: string;
  try {
    text = readTextFile(file, { expected: 'a config file' });
  } catch (e) {
    if (!(e instanceof DrmgError)) throw e;
    return inputError(source, e.detail === 'file not found' ? 'cannot read the config file: no such file' : e.detail);
  }
  let input: unknown;
  if (yamlFile) {
    input = parseYamlConfig(text, source);
  } else {
    const p = findJsonProblem(text);
    if (p !== null) inputError(`${source}:${p.line}:${p.column}`, p.kind === 'depth' ? `JSON refused: ${p.reason}` : `invalid JSON: ${p.reason}`);
    input = JSON.parse(text);
  }
  if (input === null || input === undefined) {
    inputError(source, `the config is null; expected a mapping of settings such as ${yamlFile ? '"episodes: 500"' : '{"episodes": 500}'} (write {} to run the default experiment)`);
  }
  if (nestingDepth(input, MAX_NESTING_DEPTH) > MAX_NESTING_DEPTH) inputError(source, `nested deeper than ${MAX_NESTING_DEPTH} levels of lists and mappings (the limit)`);
  if (!isRecord(input)) inputError(source, `expected a mapping of settings at the top level, got ${describeValue(input)}`);
  return { input: input as CompareConfigInput, source, baseDir: dirname(path) };
}

/** The names of every registered learner (for help texts). */
export function learnerNames(): string[] {
  return listLearners().map((d) => d.name);
}

/** Command-line style changes to a config (each one replaces the config's value; see `overrideCompareInput`). */
export interface CompareOverrides {
  readonly env?: string;
  /** A simulator command instead of the config's environment (drops env and envParams). */
  readonly envCmd?: string;
  /** Merged into the config's envParams (which are dropped when `env` names another environment). */
  readonly envParams?: Readonly<Record<string, ParamValue>>;
  /** Learners by label or name: an entry of the config with that label or name keeps its parameters; any other name is a registered learner with its defaults. */
  readonly learners?: readonly string[];
  /** Parameter values per learner label (or name), e.g. { 'nash-vi': { bonusScale: '0.001' } }; strings are parsed by the registry. */
  readonly learnerParams?: Readonly<Record<string, Readonly<Record<string, ParamValue>>>>;
  readonly seeds?: number;
  readonly seed?: number;
  readonly episodes?: number;
  readonly evalPoints?: number;
  readonly radii?: readonly number[];
  readonly randomKernels?: number;
  readonly rolloutEpisodes?: number;
  /** Appended to the config's modules. */
  readonly modules?: readonly string[];
}

type LearnerEntry = { name: string; label?: string; params?: Readonly<Record<string, ParamValue>> };

/**
 * The config `base` with `overrides` applied (see CompareOverrides); the result is validated later by `resolveCompareConfig`.
 * @throws DrmgError ('input', `--param LABEL...`) when learner parameters name a learner that is not in the list.
 * @example overrideCompareInput({}, { learners: ['mornavi-tv', 'nash-vi'], episodes: 500 })
 */
export function overrideCompareInput(base: CompareConfigInput, overrides: CompareOverrides): CompareConfigInput {
  const out: { -readonly [K in keyof CompareConfigInput]: CompareConfigInput[K] } = { ...base };
  if (overrides.env !== undefined) {
    if (overrides.env !== (base.env ?? defaultCompareInput.env)) out.envParams = {};
    out.env = overrides.env;
    delete out.envCmd;
  }
  if (overrides.envCmd !== undefined) {
    out.envCmd = overrides.envCmd;
    delete out.env;
    out.envParams = {};
  }
  if (overrides.envParams !== undefined) out.envParams = { ...(out.envParams ?? (out.env === undefined ? defaultCompareInput.envParams : {})), ...overrides.envParams };
  // Entries of the config keep their parameters when named; the default entries carry none (learner defaults).
  const known: LearnerEntry[] = (base.learners ?? defaultCompareInput.learners ?? []).map((e) => (typeof e === 'string' ? { name: e } : { ...e }));
  let learners: LearnerEntry[] = (base.learners ?? defaultCompareInput.learners ?? []).map((e) => (typeof e === 'string' ? { name: e } : { ...e }));
  if (overrides.learners !== undefined) {
    learners = overrides.learners.map((item) => {
      const hit = known.find((k) => (k.label ?? k.name) === item) ?? known.find((k) => k.name === item);
      return hit !== undefined ? { ...hit } : { name: item };
    });
  }
  if (overrides.learnerParams !== undefined) {
    for (const [who, params] of Object.entries(overrides.learnerParams)) {
      const target = learners.find((l) => (l.label ?? l.name) === who) ?? learners.find((l) => l.name === who);
      if (target === undefined) inputError(`--param ${who}.`, `no learner labelled or named ${JSON.stringify(who)} in this comparison; its learners are ${learners.map((l) => l.label ?? l.name).join(', ')}`);
      target.params = { ...(target.params ?? {}), ...params };
    }
  }
  if (overrides.learners !== undefined || overrides.learnerParams !== undefined) out.learners = learners;
  if (overrides.seeds !== undefined) out.seeds = overrides.seeds;
  if (overrides.seed !== undefined) {
    if (Array.isArray(out.seeds) && overrides.seeds === undefined) out.seeds = out.seeds.length;
    out.seed = overrides.seed;
  }
  if (overrides.episodes !== undefined) out.episodes = overrides.episodes;
  if (overrides.evalPoints !== undefined) out.evalPoints = overrides.evalPoints;
  if (overrides.radii !== undefined) out.radii = overrides.radii;
  if (overrides.randomKernels !== undefined) out.randomKernels = overrides.randomKernels;
  if (overrides.rolloutEpisodes !== undefined) out.rolloutEpisodes = overrides.rolloutEpisodes;
  if (overrides.modules !== undefined) out.modules = [...(base.modules ?? []), ...overrides.modules];
  return out;
}
