/**
 * The environment registry (Gymnasium's `register` / `make`): versioned ids such as
 * `bridge-crossing-v0`, typed and validated parameters, and listings with sizes.
 * The built-in environments are registered when this module loads.
 */
import { inputError, checkObject, describeValue } from '@drmg/core';
import { builtinEnvs } from './builtins/builtin-envs.ts';
import type { EnvSpec } from './env-spec.ts';
import { describeParams, resolveParams, type ParamInfo, type ParamSchema } from '@drmg/core';
import type { TabularEnv } from './tabular-env.ts';

/** One registered environment as listed: id, summary, parameters and sizes at the defaults. */
export interface EnvInfo {
  readonly id: string;
  readonly summary: string;
  readonly params: readonly ParamInfo[];
  /** Sizes of the model made with default parameters. */
  readonly sizes: { readonly agents: number; readonly states: number; readonly horizon: number; readonly actions: readonly number[]; readonly jointActions: number };
}

/** Options of `make` that are not model parameters. */
export interface MakeOptions {
  /** `text` (default) or `ansi`. */
  readonly renderMode?: 'text' | 'ansi';
}

const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*-v\d+$/;
const registry = new Map<string, EnvSpec<any>>();

/**
 * Adds an environment under its versioned id.
 * @throws DrmgError when the id is not `name-vN` or is already registered (unless `replace`).
 */
export function register<P extends ParamSchema>(spec: EnvSpec<P>, options: { readonly replace?: boolean } = {}): void {
  checkObject(spec, 'register(spec)', 'an environment spec {id, summary, params, create}');
  if (typeof spec.id !== 'string' || !idPattern.test(spec.id)) {
    inputError('register(spec).id', `expected a versioned id like "my-game-v0" (lower-case words joined by "-", then -vN), got ${describeValue(spec.id)}`);
  }
  if (registry.has(spec.id) && !options.replace) {
    inputError('register(spec).id', `${spec.id} is already registered; bump the version or pass { replace: true }`);
  }
  registry.set(spec.id, spec);
}

/** Whether `id` is registered. */
export function hasEnv(id: string): boolean {
  return registry.has(id);
}

/**
 * The spec registered under `id`.
 * @throws DrmgError for an unknown id, suggesting the registered versions of the same name.
 */
export function envSpec(id: string): EnvSpec {
  if (typeof id !== 'string') inputError('make(id)', `expected an environment id (a string, see drmg env list), got ${describeValue(id)}`);
  const spec = registry.get(id);
  if (spec !== undefined) return spec;
  const name = id.replace(/-v\d+$/, '');
  const versions = [...registry.keys()].filter((k) => k.replace(/-v\d+$/, '') === name);
  if (versions.length > 0) {
    return inputError(`make(${JSON.stringify(id)})`, `${id === name ? 'missing version' : 'unknown version'}; registered: ${versions.join(', ')}`);
  }
  return inputError(`make(${JSON.stringify(id)})`, `unknown environment id; registered: ${[...registry.keys()].join(', ')}`);
}

/**
 * Makes the environment `id` with `params` (defaults for the rest), e.g. `make('bridge-crossing-v0', { rho: 0.3 })`.
 * @throws DrmgError for an unknown id, an unknown parameter, or a value outside its range (`ID.NAME: expected ...`).
 */
export function make(id: string, params: Readonly<Record<string, unknown>> = {}, options: MakeOptions = {}): TabularEnv {
  const spec = envSpec(id);
  const resolved = resolveParams(id, spec.params, params);
  spec.check?.(resolved);
  return spec.create(resolved, { id, renderMode: options.renderMode ?? 'text' });
}

/** Every registered environment with its parameters and its sizes at the default parameters, sorted by id. */
export function listEnvs(): EnvInfo[] {
  return [...registry.keys()].sort().map((id) => {
    const spec = registry.get(id) as EnvSpec;
    const g = make(id).model;
    return { id, summary: spec.summary, params: describeParams(spec.params), sizes: { agents: g.m, states: g.S, horizon: g.H, actions: [...g.A], jointActions: g.J } };
  });
}

for (const spec of builtinEnvs) register(spec);
