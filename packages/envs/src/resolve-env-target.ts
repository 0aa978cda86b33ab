/**
 * The one rule for "a registered environment id or a game file" (drmg train, rollout and compare configs): an id
 * that is registered is an environment with its parameters checked by its schema; anything else is a drmg-game/1
 * file that must exist (relative to `baseDir`), and takes no parameters; a name shaped like an id (`name-v0`) that
 * is neither gets the registry's "unknown environment" message, which lists the ids.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { DrmgError, inputError, parseParamArgs, resolveParams } from '@drmg/core';
import { envSpec, hasEnv } from './env-registry.ts';

/** What a target names: a registered environment with resolved parameters, or a game file (absolute path). */
export type EnvTarget =
  | { readonly kind: 'registered'; readonly id: string; readonly params: Readonly<Record<string, unknown>> }
  | { readonly kind: 'file'; readonly path: string };

/** `f()`, its input errors re-raised at `at` (their own path kept in the message) when `at` is given. */
function relocate<T>(at: string | undefined, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (at !== undefined && e instanceof DrmgError && e.kind === 'input') inputError(at, e.message);
    throw e;
  }
}

/** Options of `resolveEnvTarget`. */
export interface ResolveEnvTargetOptions {
  /** Where a relative file is looked up (default: the working directory). */
  readonly baseDir?: string;
  /** The error path of a target that is neither (default: the target itself). */
  readonly at?: string;
  /** The error path of the parameters: given to a file (e.g. `drmg train --env-param`), or wrong for the environment (then followed by the parameter's own path). */
  readonly paramsAt?: string;
}

/**
 * Resolves `target` with its parameters: `NAME=VALUE` strings from a command line, or an object from a config.
 * @throws DrmgError ('input') for an unknown id, a missing file, a parameter of the wrong type or out of range, or
 *   parameters given with a file.
 * @example resolveEnvTarget('bridge-crossing-v0', ['slip=0.2']) // { kind: 'registered', id, params: { horizon: 6, slip: 0.2, ... } }
 */
export function resolveEnvTarget(target: string, params: readonly string[] | Readonly<Record<string, unknown>> = {}, options: ResolveEnvTargetOptions = {}): EnvTarget {
  const given = Array.isArray(params) ? params.length > 0 : Object.keys(params).length > 0;
  if (hasEnv(target)) {
    const spec = envSpec(target);
    return relocate(options.paramsAt, () => {
      const values = resolveParams(target, spec.params, Array.isArray(params) ? parseParamArgs(target, spec.params, params) : params);
      spec.check?.(values);
      return { kind: 'registered', id: target, params: { ...values } };
    });
  }
  const path = isAbsolute(target) ? target : resolve(options.baseDir ?? process.cwd(), target);
  if (/^[a-z0-9-]+-v\d+$/.test(target) && !existsSync(path)) relocate(options.at, () => envSpec(target)); // "unknown environment id", listing the ids
  if (!existsSync(path)) inputError(options.at ?? target, `${options.at ? `${JSON.stringify(target)} is ` : ''}neither a registered environment id (see drmg env list) nor an existing drmg-game/1 file`);
  if (given) inputError(options.paramsAt ?? `${target} params`, `environment parameters apply to registered environment ids only; ${JSON.stringify(target)} is not one (see drmg env list)`);
  return { kind: 'file', path };
}
