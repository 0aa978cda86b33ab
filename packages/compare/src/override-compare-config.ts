/**
 * Command-line changes to a compare config (`drmg compare --env ... --learners ... --param LABEL.NAME=VALUE`):
 * each flag replaces the config's value; the result is checked later by `resolveCompareConfig`.
 */
import { inputError, parseParamText } from '@drmg/core';
import { getLearner, hasLearner, listLearners } from '@drmg/learners';
import { defaultCompareInput, type CompareConfigInput, type ParamValue } from './compare-config.ts';

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

type LearnerEntry = { name: string; label?: string; params?: Readonly<Record<string, unknown>> };

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
      // Text from a command line is typed here by the learner's schema, so a config file itself stays strictly typed.
      const schema = hasLearner(target.name) ? getLearner(target.name).params : {};
      const typed: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(params)) {
        const spec = schema[name];
        typed[name] = typeof value === 'string' && spec !== undefined ? parseParamText(`--param ${who}.${name}`, spec, value.trim()) : value;
      }
      target.params = { ...(target.params ?? {}), ...typed };
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
