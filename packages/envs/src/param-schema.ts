/**
 * Typed, documented environment parameters: each has a type, a default, a range (or allowed
 * values) and a doc string; `resolveParams` validates user values against them and fills defaults.
 * Ranges and defaults may depend on earlier parameters (e.g. a secret joint action in [0, J-1]).
 */
import { describeValue, inputError, parseDecimal } from '@drmg/core';

/** Values of already-resolved parameters, seen by dependent ranges and defaults. */
export type ResolvedSoFar = Readonly<Record<string, unknown>>;
/** A number, or a function of the parameters declared before this one. */
export type Dependent<T> = T | ((params: ResolvedSoFar) => T);

/** An integer parameter in [min, max]. */
export interface IntegerParam {
  readonly type: 'integer';
  readonly default: Dependent<number>;
  readonly min: Dependent<number>;
  readonly max: Dependent<number>;
  /** How a dependent bound or default is described in listings, e.g. `J - 1`. */
  readonly rangeDoc?: string;
  readonly doc: string;
}

/** A real parameter in [min, max]. */
export interface NumberParam {
  readonly type: 'number';
  readonly default: Dependent<number>;
  readonly min: Dependent<number>;
  readonly max: Dependent<number>;
  readonly rangeDoc?: string;
  readonly doc: string;
}

/** A boolean flag. */
export interface BooleanParam {
  readonly type: 'boolean';
  readonly default: boolean;
  readonly doc: string;
}

/** One of a fixed list of strings. */
export interface EnumParam<V extends string = string> {
  readonly type: 'enum';
  readonly values: readonly V[];
  readonly default: V;
  readonly doc: string;
}

/** Any parameter. */
export type ParamSpec = IntegerParam | NumberParam | BooleanParam | EnumParam;
/** The parameters of an environment, in declaration order (later ones may depend on earlier ones). */
export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/** The TypeScript type of a parameter's value. */
export type ParamValue<P extends ParamSpec> = P extends IntegerParam | NumberParam
  ? number
  : P extends BooleanParam
    ? boolean
    : P extends EnumParam<infer V>
      ? V
      : never;

/** Resolved parameter values of a schema. */
export type ParamValues<P extends ParamSchema> = { readonly [K in keyof P]: ParamValue<P[K]> };

/** A parameter as listed by `listEnvs` / `drmg env list`: bounds and default evaluated at the defaults. */
export interface ParamInfo {
  readonly name: string;
  readonly type: ParamSpec['type'];
  readonly default: number | boolean | string;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  readonly rangeDoc?: string;
  readonly doc: string;
}

function evalDep<T>(d: Dependent<T>, p: ResolvedSoFar): T {
  return typeof d === 'function' ? (d as (params: ResolvedSoFar) => T)(p) : d;
}

function rangeText(spec: IntegerParam | NumberParam, min: number, max: number): string {
  const kind = spec.type === 'integer' ? 'an integer' : 'a number';
  return `${kind} in [${min}, ${max}]${spec.rangeDoc ? ` (${spec.rangeDoc})` : ''}`;
}

/**
 * Validates `given` against `schema` for environment `id` and fills in defaults, in declaration order.
 * @throws DrmgError at `ID.NAME` for an unknown parameter (listing the known ones), a value of the
 * wrong type, or a value outside its range (stating the range).
 */
export function resolveParams<P extends ParamSchema>(id: string, schema: P, given: Readonly<Record<string, unknown>> = {}): ParamValues<P> {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) inputError(`${id} params`, `expected an object of parameters, got ${describeValue(given)}`);
  const names = Object.keys(schema);
  for (const k of Object.keys(given)) {
    if (!(k in schema)) {
      inputError(`${id}.${k}`, `unknown parameter; ${id} accepts ${names.length ? names.join(', ') : 'no parameters'}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const name of names) {
    const spec = schema[name];
    const path = `${id}.${name}`;
    const v = given[name];
    switch (spec.type) {
      case 'integer':
      case 'number': {
        const min = evalDep(spec.min, out);
        const max = evalDep(spec.max, out);
        const value = v === undefined ? evalDep(spec.default, out) : v;
        const ok = typeof value === 'number' && Number.isFinite(value) && (spec.type === 'number' || Number.isInteger(value));
        if (!ok || (value as number) < min || (value as number) > max) {
          inputError(path, `expected ${rangeText(spec, min, max)}, got ${describeValue(value)}`);
        }
        out[name] = value;
        break;
      }
      case 'boolean': {
        const value = v === undefined ? spec.default : v;
        if (typeof value !== 'boolean') inputError(path, `expected true or false, got ${describeValue(value)}`);
        out[name] = value;
        break;
      }
      case 'enum': {
        const value = v === undefined ? spec.default : v;
        if (typeof value !== 'string' || !spec.values.includes(value)) {
          inputError(path, `expected one of ${spec.values.map((x) => JSON.stringify(x)).join(', ')}, got ${describeValue(value)}`);
        }
        out[name] = value;
        break;
      }
    }
  }
  return out as ParamValues<P>;
}

/**
 * Parses command-line `k=v` strings into parameter values typed by `schema` (integers, numbers,
 * true/false, enum strings); ranges are checked later by `resolveParams`.
 * @throws DrmgError at `ID.k` for a malformed pair, an unknown name or an unparsable value.
 */
export function parseParamArgs(id: string, schema: ParamSchema, pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) inputError(`${id} --param ${pair}`, 'expected NAME=VALUE');
    const name = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1).trim();
    if (Object.hasOwn(out, name)) inputError(`${id}.${name}`, `given twice (${pair} after ${name}=${String(out[name])}); give each parameter once`);
    const spec = schema[name];
    if (spec === undefined) {
      const names = Object.keys(schema);
      inputError(`${id}.${name}`, `unknown parameter; ${id} accepts ${names.length ? names.join(', ') : 'no parameters'}`);
    }
    if (spec.type === 'integer' || spec.type === 'number') {
      const ok = spec.type === 'integer' ? /^[+-]?\d+$/.test(text) : parseDecimal(text) !== undefined;
      if (!ok) inputError(`${id}.${name}`, `expected ${spec.type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(text)}`);
      out[name] = Number(text);
    } else if (spec.type === 'boolean') {
      if (text !== 'true' && text !== 'false') inputError(`${id}.${name}`, `expected true or false, got ${JSON.stringify(text)}`);
      out[name] = text === 'true';
    } else {
      out[name] = text;
    }
  }
  return out;
}

/** The listing of a schema: each parameter's type, default and range evaluated at the defaults, and doc. */
export function describeParams(schema: ParamSchema): ParamInfo[] {
  const defaults: Record<string, unknown> = {};
  const out: ParamInfo[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    if (spec.type === 'integer' || spec.type === 'number') {
      const d = evalDep(spec.default, defaults);
      defaults[name] = d;
      const info: ParamInfo = { name, type: spec.type, default: d, min: evalDep(spec.min, defaults), max: evalDep(spec.max, defaults), doc: spec.doc };
      out.push(spec.rangeDoc ? { ...info, rangeDoc: spec.rangeDoc } : info);
    } else if (spec.type === 'boolean') {
      defaults[name] = spec.default;
      out.push({ name, type: 'boolean', default: spec.default, doc: spec.doc });
    } else {
      defaults[name] = spec.default;
      out.push({ name, type: 'enum', default: spec.default, values: spec.values, doc: spec.doc });
    }
  }
  return out;
}
