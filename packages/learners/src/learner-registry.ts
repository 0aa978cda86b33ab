/**
 * The learner registry: the built-in learners by command-line name (`mornavi-tv`, `mornavi-kl`, `nash-vi`,
 * `independent-q`, `random`, `planner`, `dr-nvi`), custom learners added with `registerLearner`, and `createLearner`, which
 * validates `--param k=v` values against a learner's parameter list (numbers may arrive as strings from a command
 * line) and fills in the defaults.
 */
import { inputError } from '@drmg/core';
import { drNviDefinition } from './dr-nvi.ts';
import { independentQDefinition } from './independent-q.ts';
import type { Learner, LearnerContext, LearnerDefinition, LearnerParam } from './learner.ts';
import { mornaviKlDefinition, mornaviTvDefinition } from './mornavi.ts';
import { nashViDefinition } from './nash-vi.ts';
import { plannerDefinition } from './planner.ts';
import { randomDefinition } from './random-learner.ts';

/** Parameter values as given: from code (typed) or from a command line (strings). */
export type LearnerParamValues = Readonly<Record<string, number | boolean | string>>;

const registry = new Map<string, LearnerDefinition>();
for (const def of [mornaviTvDefinition, mornaviKlDefinition, nashViDefinition, independentQDefinition, randomDefinition, plannerDefinition, drNviDefinition]) {
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

/**
 * Adds a custom learner under `def.name` (lower-case letters, digits and dashes); `replace` allows redefining one.
 * @throws DrmgError ('input') when the name is malformed or taken, or a parameter's default is not valid for it.
 */
export function registerLearner(def: LearnerDefinition, options: { replace?: boolean } = {}): void {
  if (def === null || typeof def !== 'object' || typeof def.create !== 'function') inputError('learner', 'expected a LearnerDefinition with a create function');
  if (typeof def.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(def.name)) {
    inputError('learner.name', `expected lower-case letters, digits and dashes (e.g. my-agent), got ${JSON.stringify(def.name)}`);
  }
  if (registry.has(def.name) && options.replace !== true) inputError('learner.name', `a learner named ${def.name} is already registered (pass { replace: true } to redefine it)`);
  if (!Array.isArray(def.params)) inputError(`learner ${def.name}: params`, 'expected an array of parameters');
  for (const p of def.params) checkValue(def, p, p.default);
  registry.set(def.name, def);
}

/**
 * The validated parameter values of `def`: every given value checked against its declaration (strings from a
 * command line are parsed for number, integer and boolean parameters), defaults for the rest.
 * @throws DrmgError ('input', `--param NAME`) for an unknown name, a wrong type, a value outside [min, max] or not
 *   among the choices, naming the learner and what is allowed.
 */
export function resolveLearnerParams(def: LearnerDefinition, params: LearnerParamValues = {}): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  for (const p of def.params) out[p.name] = p.default;
  for (const [name, value] of Object.entries(params)) {
    const p = def.params.find((q) => q.name === name);
    if (p === undefined) {
      const known = def.params.map((q) => q.name);
      inputError(`--param ${name}`, `learner ${def.name} has no parameter ${JSON.stringify(name)}; ${known.length > 0 ? `its parameters are: ${known.join(', ')}` : 'it takes no parameters'}`);
    }
    out[name] = checkValue(def, p, value);
  }
  return out;
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

/** The typed value of `value` for parameter p of def, or an input error that says what is allowed. */
function checkValue(def: LearnerDefinition, p: LearnerParam, value: unknown): number | boolean | string {
  const path = `--param ${p.name}`;
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  if (p.type === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true') return true;
    if (value === 'false') return false;
    return inputError(path, `learner ${def.name}: expected true or false, got ${shown}`);
  }
  if (p.type === 'string') {
    const choices = p.choices;
    if (typeof value !== 'string') return inputError(path, `learner ${def.name}: expected ${choices ? `one of ${choices.join(', ')}` : 'a string'}, got ${shown}`);
    if (choices !== undefined && !choices.includes(value)) return inputError(path, `learner ${def.name}: expected one of ${choices.join(', ')}, got ${shown}`);
    return value;
  }
  // A number parameter may have a keyword default (mornavi's bonusScale=auto): that keyword is accepted too.
  if (typeof p.default === 'string' && value === p.default) return value;
  let x: number;
  if (typeof value === 'number') x = value;
  else if (typeof value === 'string' && value.trim() !== '') x = Number(value);
  else x = NaN;
  const range = describeRange(p);
  const keyword = typeof p.default === 'string' ? `; ${p.default} is accepted too` : '';
  if (!Number.isFinite(x)) return inputError(path, `learner ${def.name}: expected ${p.type === 'integer' ? 'an integer' : 'a number'}${range}, got ${shown}${keyword}`);
  if (p.type === 'integer' && !Number.isInteger(x)) return inputError(path, `learner ${def.name}: expected an integer${range}, got ${shown}`);
  if ((p.min !== undefined && x < p.min) || (p.max !== undefined && x > p.max)) {
    return inputError(path, `learner ${def.name}: expected ${p.type === 'integer' ? 'an integer' : 'a number'}${range}, got ${shown}${keyword}`);
  }
  return x;
}

function describeRange(p: LearnerParam): string {
  if (p.min !== undefined && p.max !== undefined) return ` in [${p.min}, ${p.max}]`;
  if (p.min !== undefined) return ` >= ${p.min}`;
  if (p.max !== undefined) return ` <= ${p.max}`;
  return '';
}
