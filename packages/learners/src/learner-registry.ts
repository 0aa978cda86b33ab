/**
 * The learner registry: the built-in learners by command-line name (`mornavi-tv`, `mornavi-kl`, `nash-vi`,
 * `independent-q`, `random`, `planner`, `dr-nvi`, `v-learning`, `robust-v-learning`, `robust-q`), custom learners added with `registerLearner`, and `createLearner`, which
 * validates `--param k=v` values against a learner's parameter list (numbers may arrive as strings from a command
 * line) and fills in the defaults.
 */
import { describeValue, inputError, resolveParams, type ParamSchema, type ParamValues } from '@drmg/core';
import { drNviDefinition } from './dr-nvi.ts';
import { independentQDefinition } from './independent-q.ts';
import type { Learner, LearnerContext, LearnerDefinition } from './learner.ts';
import { mornaviKlDefinition, mornaviTvDefinition } from './mornavi.ts';
import { nashViDefinition } from './nash-vi.ts';
import { plannerDefinition } from './planner.ts';
import { randomDefinition } from './random-learner.ts';
import { robustQDefinition } from './robust-q.ts';
import { robustVLearningDefinition } from './robust-v-learning.ts';
import { vLearningDefinition } from './v-learning.ts';

/** Parameter values as given: from code (typed) or from a command line (strings). */
export type LearnerParamValues = Readonly<Record<string, unknown>>;

// The registry holds definitions of any schema; each one's create receives the values of its own schema.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyLearnerDefinition = LearnerDefinition<any>;

const registry = new Map<string, AnyLearnerDefinition>();
for (const def of [mornaviTvDefinition, mornaviKlDefinition, nashViDefinition, independentQDefinition, randomDefinition, plannerDefinition, drNviDefinition, vLearningDefinition, robustVLearningDefinition, robustQDefinition] as AnyLearnerDefinition[]) {
  registry.set(def.name, def);
}

/** Every registered learner definition, built-ins first, in registration order. */
export function listLearners(): readonly LearnerDefinition[] {
  return [...registry.values()];
}

/**
 * The definition registered under `name`.
 * @throws DrmgError ('input', '--learner') naming the known learners when there is none.
 */
export function getLearner(name: string): LearnerDefinition {
  const def = registry.get(name);
  if (def === undefined) inputError('--learner', `unknown learner ${JSON.stringify(name)}, expected one of: ${[...registry.keys()].join(', ')}`);
  return def;
}

/** Whether a learner is registered under `name`. */
export function hasLearner(name: string): boolean {
  return registry.has(name);
}

/**
 * Adds a custom learner under `def.name` (lower-case letters, digits and dashes); `replace` allows redefining one.
 * @throws DrmgError ('input') when the name is malformed or taken, its params are not a schema, or a parameter's
 *   default is not valid for it.
 */
export function registerLearner<P extends ParamSchema>(def: LearnerDefinition<P>, options: { replace?: boolean } = {}): void {
  if (def === null || typeof def !== 'object' || typeof def.create !== 'function') inputError('learner', 'expected a LearnerDefinition with a create function');
  if (typeof def.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(def.name)) {
    inputError('learner.name', `expected lower-case letters, digits and dashes (e.g. my-agent), got ${JSON.stringify(def.name)}`);
  }
  if (registry.has(def.name) && options.replace !== true) inputError('learner.name', `a learner named ${def.name} is already registered (pass { replace: true } to redefine it)`);
  const params: unknown = def.params;
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    inputError(`learner ${def.name}: params`, `expected a parameter schema { NAME: { type, default, doc, ... } } (see defineLearner), got ${Array.isArray(params) ? 'an array' : describeValue(params)}`);
  }
  resolveLearnerParams(def as AnyLearnerDefinition);
  registry.set(def.name, def as AnyLearnerDefinition);
}

/**
 * The validated parameter values of `def`: every given value checked against its schema (strings from a command
 * line are parsed for number, integer and boolean parameters, plain decimal only, unless `text: false`: typed
 * values only, as in a config file), defaults for the rest.
 * @throws DrmgError ('input', `--param NAME`) for an unknown name, a wrong type, a value outside its range or not
 *   among the choices, naming the learner and what is allowed.
 */
export function resolveLearnerParams<P extends ParamSchema>(def: LearnerDefinition<P>, params: LearnerParamValues = {}, options: { text?: boolean } = {}): ParamValues<P> {
  return resolveParams(def.name, def.params, params, { text: options.text ?? true, at: (name) => `--param ${name}`, ownerDoc: `learner ${def.name}`, detailPrefix: `learner ${def.name}: ` });
}

/**
 * Creates the learner `name` for `context` with validated `params` (defaults filled in).
 * @throws DrmgError ('input') for an unknown learner or a bad parameter (see `resolveLearnerParams`), or when the
 *   learner needs the model and the context carries none.
 * @example createLearner('mornavi-tv', learnerContext(game, 1000), { equilibrium: 'ce', bonusScale: '0.001' })
 */
export function createLearner(name: string, context: LearnerContext, params: LearnerParamValues = {}): Learner {
  const def = getLearner(name);
  const values = resolveLearnerParams(def, params);
  if (def.needsModel === true && context.model === undefined) inputError('--learner', `learner ${def.name} needs the model, but the context carries none`);
  return def.create(context, values);
}
