/** The description of a registered environment: versioned id, typed parameters, and a factory. */
import type { ParamSchema, ParamValues } from '@drmg/core';
import type { TabularEnv } from './tabular-env.ts';

/** What `make` passes to a factory besides the parameters. */
export interface EnvContext {
  /** The id the environment was made under (goes into `metadata.id`). */
  readonly id: string;
  /** `text` or `ansi` rendering. */
  readonly renderMode: 'text' | 'ansi';
}

/**
 * A registrable environment: `id` is `name-vN` (bump N whenever the model changes), `params` its
 * typed schema, `check` optional cross-parameter validation, `create` builds the environment.
 */
export interface EnvSpec<P extends ParamSchema = ParamSchema> {
  readonly id: string;
  /** One line for listings. */
  readonly summary: string;
  readonly params: P;
  /** Checks constraints between parameters; throws `inputError('ID.NAME', ...)`. */
  readonly check?: (params: ParamValues<P>) => void;
  /** Builds the environment from resolved parameters. */
  readonly create: (params: ParamValues<P>, context: EnvContext) => TabularEnv;
}

/**
 * Declares an environment spec with its parameter types inferred (`const` keeps enum literals).
 * @example export const mySpec = defineEnv({ id: 'my-game-v0', summary: '...', params: {...}, create: (p, ctx) => ... });
 */
export function defineEnv<const P extends ParamSchema>(spec: EnvSpec<P>): EnvSpec<P> {
  return spec;
}
