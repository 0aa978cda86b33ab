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
import {
  DrmgError,
  MAX_EPISODES,
  MAX_EVAL_POINTS,
  MAX_RANDOM_KERNELS,
  MAX_ROLLOUT_EPISODES,
  MAX_SEED,
  MAX_SEEDS,
  MAX_WORKERS,
  defineParams,
  describeValue,
  inputError,
  paramsJsonSchema,
  paramJsonSchema,
  type ParamInputs,
  type ParamValues,
} from '@drmg/core';
import { envSpec, listEnvs } from '@drmg/envs';
import { getLearner, listLearners, resolveLearnerParams } from '@drmg/learners';

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
  /** Learner parameters (validated by the learner's schema; defaults filled in when resolved). */
  readonly params: Readonly<Record<string, unknown>>;
}

/** A learner entry as a user writes it: a name, or { name, label?, params? }. */
export type CompareLearnerInput = string | { readonly name: string; readonly label?: string; readonly params?: Readonly<Record<string, unknown>> };

/** At most this many deployment radii (each is a worst-case evaluation per learner and seed). */
const MAX_RADII = 1000;

/** What a label may be made of (it names files and plot legends). */
const LABEL = /^[A-Za-z0-9][A-Za-z0-9 ._()=+-]*$/;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Re-raises a registry's DrmgError at a config path, keeping its detail. */
export function relocateError<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof DrmgError && e.kind === 'input') inputError(path, e.message);
    throw e;
  }
}

/** Resolves a list of learner entries: names registered, labels unique, parameters checked by each learner's schema. */
function resolveLearners(value: unknown, path: string): readonly CompareLearnerSpec[] {
  if (!Array.isArray(value) || value.length === 0) inputError(path, `expected a non-empty list of learner names or { name, label, params }, got ${describeValue(value)}`);
  const labels = new Set<string>();
  return value.map((entry: unknown, n: number) => {
    const at = `${path}[${n}]`;
    const obj = typeof entry === 'string' ? { name: entry } : entry;
    if (!isRecord(obj)) inputError(at, `expected a learner name or { name, label, params }, got ${describeValue(entry)}`);
    for (const key of Object.keys(obj)) if (key !== 'name' && key !== 'label' && key !== 'params') inputError(`${at}.${key}`, 'unknown setting; expected name, label or params');
    const name = obj.name;
    if (typeof name !== 'string') inputError(`${at}.name`, `expected a learner name, got ${describeValue(name)}`);
    const def = relocateError(`${at}.name`, () => getLearner(name));
    const label = obj.label ?? name;
    if (typeof label !== 'string' || !LABEL.test(label)) inputError(`${at}.label`, `expected a label of letters, digits, spaces and ._()=+-, got ${JSON.stringify(label)}`);
    if (labels.has(label)) inputError(`${at}.label`, `duplicate label ${JSON.stringify(label)}; give each entry of the same learner its own label`);
    labels.add(label);
    const params = obj.params ?? {};
    if (!isRecord(params)) inputError(`${at}.params`, `expected an object of NAME: VALUE, got ${describeValue(obj.params)}`);
    // Typed values only (a YAML or JSON number, not text): what the JSON Schema says; flags are typed before they get here.
    return { name, label, params: relocateError(`${at}.params`, () => resolveLearnerParams(def, params, { text: false })) };
  });
}

/** Resolves `seeds`: a count (seed, seed + 1, ...) or a list of distinct seeds. */
function resolveSeeds(value: unknown, path: string, params: Readonly<Record<string, unknown>>): readonly number[] {
  const seedOk = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0 && x <= MAX_SEED;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_SEEDS) inputError(path, `expected an integer in [1, ${MAX_SEEDS}], got ${describeValue(value)}`);
    const first = params.seed as number;
    if (first + value - 1 > MAX_SEED) inputError(path, `seeds ${first} to ${first + value - 1} exceed the largest seed ${MAX_SEED}`);
    return Array.from({ length: value }, (_, n) => first + n);
  }
  if (!Array.isArray(value) || value.length === 0) inputError(path, `expected a count >= 1 or a non-empty list of seeds, got ${describeValue(value)}`);
  if (value.length > MAX_SEEDS) inputError(path, `expected at most ${MAX_SEEDS} seeds, got ${value.length}`);
  value.forEach((x: unknown, n: number) => {
    if (!seedOk(x)) inputError(`${path}[${n}]`, `expected an integer in [0, ${MAX_SEED}], got ${describeValue(x)}`);
  });
  if (new Set(value).size !== value.length) inputError(path, `expected distinct seeds, got ${JSON.stringify(value)}`);
  return value as number[];
}

/** JSON Schema of one learner entry of `learners`, per registered learner (name, label, its own parameter schema). */
function learnersJsonSchema(): Record<string, unknown> {
  const defs = listLearners();
  return {
    type: 'array',
    minItems: 1,
    items: {
      anyOf: [
        { type: 'string', enum: defs.map((d) => d.name) },
        ...defs.map((d) => ({
          type: 'object',
          description: d.description,
          properties: { name: { const: d.name }, label: { type: 'string', pattern: LABEL.source }, params: paramsJsonSchema(d.params) },
          required: ['name'],
          additionalProperties: false,
        })),
      ],
    },
  };
}

/**
 * The settings of a compare config, declared once: each one's type, default, range and doc. `CompareConfig` is
 * derived from it, `resolveCompareConfig` checks against it, `drmg compare --help` lists it and
 * `compareConfigJsonSchema` turns it into the JSON Schema of docs/compare.schema.json. The default experiment:
 * bridge-crossing-v0 at its defaults, MORNAVI-TV, MORNAVI-KL (on the environment's KL twin), Nash-VI, independent
 * Q-learning and the known-model planner, each with its own registry defaults (no constant tuned on one
 * environment is carried to another), 5 seeds of K = 3,000 episodes, 150 exact gap evaluations per run,
 * deployment at r = 0, 0.05, ..., 0.3 with 10 random kernels per agent x 200 episodes per radius.
 */
export const compareConfigSchema = defineParams({
  env: {
    type: 'string',
    default: 'bridge-crossing-v0',
    pattern: /\S/,
    patternDoc: 'a registered environment id or a game file',
    doc: 'a registered environment id (drmg env list) or a drmg-game/1 file (relative to the config file); a written config.json says cmd:COMMAND for a simulator',
  },
  envCmd: {
    type: 'string',
    default: null,
    pattern: /\S/,
    patternDoc: 'a simulator command line',
    doc: 'instead of env: a simulator in another process (docs/external-envs.md); every run starts its own, and policies are scored on the model it serves (required)',
  },
  envParams: {
    type: 'custom',
    typeDoc: '{NAME: VALUE}',
    default: {} as Readonly<Record<string, unknown>>,
    doc: "parameters of the registered environment (checked by the environment's own schema; see drmg env list)",
    jsonSchema: () => ({ type: 'object' }),
    resolve: (v: unknown, path: string): Readonly<Record<string, unknown>> => {
      if (!isRecord(v)) inputError(path, `expected an object of NAME: VALUE, got ${describeValue(v)}`);
      return v;
    },
  },
  learners: {
    type: 'custom',
    typeDoc: '[NAME | {name, label, params}, ...]',
    default: ['mornavi-tv', 'mornavi-kl', 'nash-vi', 'independent-q', 'planner'] as readonly CompareLearnerInput[],
    doc: "the contestants: registered learner names, or { name, label, params } with the learner's own parameters (drmg train --help lists them); labels must differ",
    jsonSchema: learnersJsonSchema,
    resolve: resolveLearners,
  },
  seed: { type: 'integer', default: 0, min: 0, max: MAX_SEED, doc: 'the first seed when seeds is a count' },
  seeds: {
    type: 'custom',
    typeDoc: `COUNT|[SEED, ...]`,
    default: 5 as number | readonly number[],
    doc: `a count n (seeds seed, ..., seed + n - 1; at most ${MAX_SEEDS}) or a list of distinct seeds in [0, ${MAX_SEED}]; every learner is trained once per seed`,
    jsonSchema: () => ({
      anyOf: [
        { type: 'integer', minimum: 1, maximum: MAX_SEEDS },
        { type: 'array', items: { type: 'integer', minimum: 0, maximum: MAX_SEED }, minItems: 1, maxItems: MAX_SEEDS, uniqueItems: true },
      ],
    }),
    resolve: resolveSeeds,
  },
  episodes: { type: 'integer', default: 3000, min: 1, max: MAX_EPISODES, doc: 'episodes K per run' },
  evalPoints: { type: 'integer', default: 150, min: 1, max: MAX_EVAL_POINTS, doc: 'exact gap evaluations per run: the policies of episodes n, 2n, ... and K with n = ceil(K / evalPoints)' },
  gapKind: { type: 'enum', values: ['gap', 'ceGap'], default: 'gap', doc: 'gap: the robust NE / CCE gap; ceGap: the robust CE gap' },
  radii: {
    type: 'list',
    items: 'number',
    default: [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3],
    min: 0,
    max: 1,
    minItems: 1,
    maxItems: MAX_RADII,
    increasing: true,
    doc: 'perturbation radii r at which the output policies are deployed (worst case and random kernels), in increasing order; when not given, 0 to twice the environment\'s own radius rho in steps of rho / 4 (recorded in config.json), and this list when rho = 0',
  },
  randomKernels: {
    type: 'integer',
    default: 10,
    min: 0,
    max: MAX_RANDOM_KERNELS,
    doc: 'random kernels drawn per agent inside its radius-r set (Monte Carlo deployment): 0 skips it, otherwise at least 2',
    check: (v: number) => (v === 1 ? 'expected 0 (no Monte Carlo) or at least 2 (the standard error is taken across kernels), got 1' : undefined),
  },
  rolloutEpisodes: { type: 'integer', default: 200, min: 2, max: MAX_ROLLOUT_EPISODES, doc: 'episodes rolled out per random kernel' },
  modules: {
    type: 'list',
    items: 'string',
    default: [],
    doc: 'modules imported (by the main thread and every worker) before anything is resolved: they register custom environments and learners; relative to the config file',
  },
  out: { type: 'string', default: null, pattern: /\S/, patternDoc: 'a directory', doc: 'run option: the run folder (default runs/<time>-<env>); never changes the results' },
  workers: { type: 'integer', default: 0, min: 0, max: MAX_WORKERS, doc: 'run option: worker threads (0: one per core, at most the number of runs); never changes the results' },
  format: { type: 'string', default: null, doc: `metadata of a config.json written by a run (${COMPARE_CONFIG_FORMAT}); ignored` },
  provenance: {
    type: 'custom',
    typeDoc: 'OBJECT',
    default: null as unknown,
    doc: 'metadata of a config.json written by a run (versions, time); ignored',
    jsonSchema: () => ({}),
    resolve: (v: unknown) => v,
  },
});

/** The settings of a config that are run options or metadata: they never change the results. */
type RunOnly = 'out' | 'workers' | 'format' | 'provenance' | 'seed';

/** A fully resolved compare experiment (every field explicit): the schema's values without the run options. */
export type CompareConfig = Omit<ParamValues<typeof compareConfigSchema>, RunOnly | 'envParams'> & {
  /** Parameters of the registered environment (every parameter, defaults filled in); {} for a game file or a simulator. */
  readonly envParams: Readonly<Record<string, unknown>>;
};

/**
 * A config as written by a user (a YAML or JSON file, a library call): every setting optional, of its input type
 * (learners as names or objects, seeds as a count or a list). Derived from the schema: nothing is declared twice.
 */
export type CompareConfigInput = ParamInputs<typeof compareConfigSchema>;

/** The default experiment (the schema's defaults, see `compareConfigSchema`). */
export const defaultCompareInput: CompareConfigInput = {
  env: compareConfigSchema.env.default,
  envParams: {},
  learners: compareConfigSchema.learners.default,
  seeds: compareConfigSchema.seeds.default,
  seed: compareConfigSchema.seed.default,
  episodes: compareConfigSchema.episodes.default,
  evalPoints: compareConfigSchema.evalPoints.default,
  gapKind: compareConfigSchema.gapKind.default,
  radii: compareConfigSchema.radii.default,
  randomKernels: compareConfigSchema.randomKernels.default,
  rolloutEpisodes: compareConfigSchema.rolloutEpisodes.default,
  modules: [],
};

/** The evaluation interval n = ceil(K / evalPoints) of a config (at least 1). */
export function compareEvalEvery(config: Pick<CompareConfig, 'episodes' | 'evalPoints'>): number {
  return Math.max(1, Math.ceil(config.episodes / config.evalPoints));
}

/**
 * The JSON Schema (draft 2020-12) of a compare config file: every setting of `compareConfigSchema`, each learner
 * entry's `params` checked by that learner's schema, and `envParams` by the schema of the environment `env` names
 * (the default environment's when neither env nor envCmd is given). Registered custom learners and environments
 * are included when their modules were imported first. docs/compare.schema.json is this (a test keeps it current).
 * @example JSON.stringify(compareConfigJsonSchema(), null, 2)
 */
export function compareConfigJsonSchema(): Record<string, unknown> {
  const base = paramsJsonSchema(compareConfigSchema);
  const envs = listEnvs();
  const byEnv = envs.map((e) => ({
    if: { properties: { env: { const: e.id } }, required: ['env'] },
    then: { properties: { envParams: paramsJsonSchema(envSpec(e.id).params) } },
  }));
  const defaultEnv = compareConfigSchema.env.default;
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'drmg compare config',
    description: 'An experiment of drmg compare (YAML or JSON). Generated by `drmg compare --print-schema` from the settings\' schemas.',
    ...base,
    properties: { ...(base.properties as Record<string, unknown>), format: paramJsonSchema(compareConfigSchema.format) },
    allOf: [
      ...byEnv,
      { if: { not: { anyOf: [{ properties: { env: true }, required: ['env'] }, { properties: { envCmd: true }, required: ['envCmd'] }] } }, then: { properties: { envParams: paramsJsonSchema(envSpec(defaultEnv).params) } } },
      { if: { required: ['envCmd'], properties: { envCmd: { type: 'string' } } }, then: { properties: { envParams: { type: 'object', maxProperties: 0 } } } },
    ],
  };
}
