/**
 * Checking a compare config and completing it with defaults: every setting against `compareConfigSchema` (types,
 * ranges, learners by their own schemas), then what depends on the place the config came from: a game file
 * relative to its folder, a registered environment's parameters by its schema, module paths made absolute.
 */
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inputError, resolveParams } from '@drmg/core';
import { resolveEnvTarget } from '@drmg/envs';
import { compareConfigSchema, type CompareConfig, type CompareConfigInput } from './compare-config.ts';

/** Options of `resolveCompareConfig`. */
export interface ResolveOptions {
  /** Name of the config's source in error paths (a file name; default `config`). */
  readonly source?: string;
  /** Directory relative paths (game files, modules) are resolved against (default: the working directory). */
  readonly baseDir?: string;
}

/** Absolute file URL of a module given relative to `baseDir` (or already a URL). */
function moduleUrl(spec: string, baseDir: string): string {
  if (/^file:\/\//.test(spec)) return spec;
  return pathToFileURL(isAbsolute(spec) ? spec : resolve(baseDir, spec)).href;
}

/**
 * Validates a config and fills in the defaults of `compareConfigSchema`; learner and environment parameters are
 * checked by their own schemas (so modules registering custom ones must be imported first: see `importCompareModules`).
 * @throws DrmgError ('input') at `source: field` for an unknown field, a value of the wrong type or out of
 * range, an unknown environment or learner, a bad parameter, or duplicate learner labels.
 * @example resolveCompareConfig({ episodes: 500, seeds: 2 })
 */
export function resolveCompareConfig(input: unknown, options: ResolveOptions = {}): CompareConfig {
  const source = options.source ?? 'config';
  const baseDir = options.baseDir ?? process.cwd();
  const at = (field: string) => `${source}: ${field}`;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    inputError(source, `expected an object of settings (env, learners, seeds, episodes, ...), got ${Array.isArray(input) ? 'an array' : JSON.stringify(input) ?? String(input)}`);
  }
  const raw = input as CompareConfigInput;
  const v = resolveParams(source, compareConfigSchema, input, { at, ownerDoc: 'a compare config', noun: 'setting' });
  if (raw.seed !== undefined && Array.isArray(raw.seeds)) inputError(at('seed'), 'applies only when seeds is a count; with a list of seeds, leave it out');

  // Environment: a simulator command, a registered id, or a drmg-game/1 file.
  const envCmd = v.envCmd === null ? null : v.envCmd.trim();
  const givenEnvParams = v.envParams;
  let env: string;
  let envParams: Readonly<Record<string, unknown>> = {};
  if (envCmd !== null) {
    // A config.json written by compare carries env "cmd:<envCmd>" beside envCmd: that pair is the same scenario.
    if (raw.env !== undefined && raw.env !== `cmd:${envCmd}`) inputError(at('envCmd'), `takes the place of env; got both envCmd and env ${JSON.stringify(raw.env)}`);
    if (Object.keys(givenEnvParams).length > 0) inputError(at('envParams'), 'environment parameters apply to registered environment ids only, not to envCmd');
    env = `cmd:${envCmd}`;
  } else {
    const target = resolveEnvTarget(v.env, givenEnvParams, { baseDir, at: at('env'), paramsAt: at('envParams') });
    env = target.kind === 'registered' ? target.id : target.path;
    envParams = target.kind === 'registered' ? target.params : {};
  }
  const modules = v.modules.map((m) => moduleUrl(m, baseDir));
  const { learners, seeds, episodes, evalPoints, gapKind, radii, randomKernels, rolloutEpisodes } = v;
  return { env, envCmd, envParams, learners, seeds, episodes, evalPoints, gapKind, radii, randomKernels, rolloutEpisodes, modules };
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
      inputError(`${source}: modules[${n}]`, `cannot import ${modules[n]}: ${(e as Error).message}`);
    }
  }
}

