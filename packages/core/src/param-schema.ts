/**
 * The one way drmg declares a setting: environments' parameters, learners' parameters, the fields of a
 * compare config and the commands' options are each a `ParamSchema`, a record of typed specs (type,
 * default, range or allowed values, doc). From a schema drmg derives, and never writes twice:
 *   - the TypeScript type of the resolved values (`ParamValues<typeof schema>`);
 *   - validation with located errors and defaults (`resolveParams`), from code values or command-line text;
 *   - the help listing (`describeParams`, `formatParamHelp`) and the JSON Schema (`paramsJsonSchema`).
 * Ranges and defaults may depend on parameters declared earlier (e.g. a secret joint action in [0, J-1]);
 * a spec's `check` sees every resolved value (a cross-field check). The owner of a schema (an environment,
 * a learner) may add its own cross-field check after resolution (`EnvSpec.check`, `LearnerDefinition.check`).
 */
import { inputError } from './drmg-error.ts';
import { describeValue, parseDecimal } from './input-checks.ts';

/** Values of already-resolved parameters, seen by dependent ranges, defaults and checks. */
export type ResolvedSoFar = Readonly<Record<string, unknown>>;
/** A value, or a function of the parameters declared before this one. */
export type Dependent<T> = T | ((params: ResolvedSoFar) => T);

interface SpecBase {
  /** One line (or a few) for help texts, JSON Schema `description` and the reference docs. */
  readonly doc: string;
  /**
   * A check of the resolved value against the other resolved values (all of them, in declaration order up to
   * this one and the defaults after): returns why the value is wrong (it becomes `PATH: expected ...`), or undefined.
   */
  readonly check?: (value: never, params: ResolvedSoFar) => string | undefined;
}

/** An integer or a finite real in [min, max] (an absent bound is unbounded on that side; values are always finite). */
interface NumericParam<T extends 'integer' | 'number', W extends string> extends SpecBase {
  readonly type: T;
  readonly default: Dependent<number> | W;
  readonly min?: Dependent<number>;
  readonly max?: Dependent<number>;
  /** A keyword accepted besides numbers (mornavi's `bonusScale=auto`). */
  readonly keyword?: W;
  /** How a dependent bound or default is described in listings, e.g. `J - 1`. */
  readonly rangeDoc?: string;
}

/** An integer in [min, max]. */
export type IntegerParam<W extends string = never> = NumericParam<'integer', W>;

/** A finite real in [min, max]. */
export type NumberParam<W extends string = never> = NumericParam<'number', W>;

/** A boolean flag. */
export interface BooleanParam extends SpecBase {
  readonly type: 'boolean';
  readonly default: boolean;
}

/** One of a fixed list of strings. */
export interface EnumParam<V extends string = string> extends SpecBase {
  readonly type: 'enum';
  readonly values: readonly V[];
  readonly default: V;
}

/** Free text (a path, a command line); `null` as the default means "none" (absent). */
export interface StringParam extends SpecBase {
  readonly type: 'string';
  readonly default: string | null;
  /** What the text must match (e.g. a non-empty line), with `patternDoc` saying it in words. */
  readonly pattern?: RegExp;
  readonly patternDoc?: string;
}

/** A list of numbers (each in [min, max]) or of strings. */
export interface ListParam<T extends 'number' | 'integer' | 'string' = 'number' | 'integer' | 'string'> extends SpecBase {
  readonly type: 'list';
  readonly items: T;
  readonly default: readonly (T extends 'string' ? string : number)[];
  readonly min?: number;
  readonly max?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Numbers in strictly increasing order. */
  readonly increasing?: boolean;
}

/**
 * A setting whose shape the other specs cannot say (compare's `learners`, `seeds`, `envParams`): its own JSON
 * Schema fragment and its own resolver (applied to the default too), still declared here once with its default and doc.
 * `T` is the resolved type, `I` the type a user writes.
 */
export interface CustomParam<T = unknown, I = unknown> extends SpecBase {
  readonly type: 'custom';
  /** How the type reads in help texts, e.g. `COUNT|[SEED, ...]`. */
  readonly typeDoc: string;
  readonly default: I;
  /** The JSON Schema of the value (a function: it may list what is registered when it is called). */
  readonly jsonSchema: () => Record<string, unknown>;
  /** The resolved value of a given one, or of the default (`path` for errors; `params`: the settings resolved before it). */
  readonly resolve: (value: unknown, path: string, params: ResolvedSoFar) => T;
}

/** Any setting. */
export type ParamSpec =
  | IntegerParam<string>
  | NumberParam<string>
  | BooleanParam
  | EnumParam
  | StringParam
  | ListParam
  | CustomParam<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
/** The settings of one owner, in declaration order (later ones may depend on earlier ones). */
export type ParamSchema = Readonly<Record<string, ParamSpec>>;

/** The TypeScript type of a setting's resolved value. */
export type ParamValue<P extends ParamSpec> = P extends { readonly type: 'integer' | 'number' }
  ? P extends { readonly keyword: infer W extends string }
    ? number | W
    : number
  : P extends BooleanParam
    ? boolean
    : P extends EnumParam<infer V>
      ? V
      : P extends StringParam
        ? P extends { readonly default: string }
          ? string
          : string | null
        : P extends ListParam<infer T>
          ? readonly (T extends 'string' ? string : number)[]
          : P extends CustomParam<infer T, unknown>
            ? T
            : never;

/** Resolved values of a schema: every setting present (defaults filled in). */
export type ParamValues<P extends ParamSchema> = { readonly [K in keyof P]: ParamValue<P[K]> };

/** What a user may write for a setting: the resolved type, except for a custom setting (its input type `I`). */
export type ParamInput<P extends ParamSpec> = P extends CustomParam<unknown, infer I> ? I : ParamValue<P>;

/** What a user may write for a schema: every setting optional, of its input type (a config file, a library call). */
export type ParamInputs<P extends ParamSchema> = { readonly [K in keyof P]?: ParamInput<P[K]> };

/**
 * Declares a schema with its literal types kept (enum values, keywords), so `ParamValues<typeof schema>` is exact.
 * @example const schema = defineParams({ rho: { type: 'number', default: 0.2, min: 0, max: 1, doc: 'radius' } });
 */
export function defineParams<const P extends ParamSchema>(schema: P): P {
  return schema;
}

/** A setting as listed by help texts, `drmg env list` and the reference docs: bounds and default evaluated at the defaults. */
export interface ParamInfo {
  readonly name: string;
  readonly type: ParamSpec['type'];
  /** The type as help texts write it: INTEGER, NUMBER, true|false, one of the values, TEXT, [NUMBER, ...]. */
  readonly typeDoc: string;
  readonly default: unknown;
  readonly min?: number;
  readonly max?: number;
  readonly values?: readonly string[];
  readonly keyword?: string;
  readonly rangeDoc?: string;
  readonly doc: string;
}

/** How `resolveParams` names things in its errors, and whether it reads command-line text. */
export interface ResolveParamsOptions {
  /** The error path of setting `name` (default `OWNER.NAME`). */
  readonly at?: (name: string) => string;
  /** What the owner is called in "unknown parameter" errors (default: the owner). */
  readonly ownerDoc?: string;
  /** What a setting is called in "unknown ..." errors (default `parameter`; a config says `setting`). */
  readonly noun?: string;
  /** Accept numbers and booleans written as text (`'0.5'`, `'true'`): plain decimal only (no `0x1`, `1e400`, `Infinity`). */
  readonly text?: boolean;
  /** Put before every error detail (e.g. `learner nash-vi: `), after the path. */
  readonly detailPrefix?: string;
  /** Names accepted and ignored (metadata such as `format`). */
  readonly ignore?: readonly string[];
}

function evalDep<T>(d: Dependent<T> | undefined, p: ResolvedSoFar): T | undefined {
  return typeof d === 'function' ? (d as (params: ResolvedSoFar) => T)(p) : d;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** `in [min, max]`, `>= min`, `<= max` or '' (with the dependent bound's doc). */
export function rangePhrase(min: number | undefined, max: number | undefined, rangeDoc?: string): string {
  const r = min !== undefined && max !== undefined ? ` in [${min}, ${max}]` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : '';
  return `${r}${rangeDoc ? ` (${rangeDoc})` : ''}`;
}

function numberPhrase(spec: IntegerParam<string> | NumberParam<string>, min: number | undefined, max: number | undefined): string {
  return `${spec.type === 'integer' ? 'an integer' : 'a number'}${rangePhrase(min, max, spec.rangeDoc)}${spec.keyword ? `, or ${spec.keyword}` : ''}`;
}

/** A number from code, or from text when `text` allows it; undefined when it is neither. */
function readNumber(v: unknown, text: boolean | undefined): number | undefined {
  if (typeof v === 'number') return v;
  if (text === true && typeof v === 'string') return parseDecimal(v.trim());
  return undefined;
}

/** A key as an error path shows it: as it is when plain, quoted (JSON) when it holds spaces, line breaks or other marks. */
function keyText(k: string): string {
  return /^[A-Za-z0-9_$-]+$/.test(k) ? k : JSON.stringify(k);
}

/** An input error at `path` with the options' detail prefix. */
function fail(options: ResolveParamsOptions, path: string, detail: string): never {
  return inputError(path, `${options.detailPrefix ?? ''}${detail}`);
}

/** The resolved value of one setting (given `v`, or its default), or a located input error. */
function resolveOne(spec: ParamSpec, v: unknown, path: string, out: ResolvedSoFar, options: ResolveParamsOptions): unknown {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const min = evalDep(spec.min, out);
      const max = evalDep(spec.max, out);
      const value = v === undefined ? evalDep(spec.default, out) : v;
      if (spec.keyword !== undefined && value === spec.keyword) return value;
      const x = readNumber(value, options.text);
      if (x === undefined && options.text === true && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
        return fail(options, path, `expected ${spec.type === 'integer' ? 'an integer' : 'a number'} in plain decimal notation, got ${describeValue(value)}`);
      }
      const ok = x !== undefined && Number.isFinite(x) && (spec.type === 'number' || Number.isInteger(x));
      if (!ok || (min !== undefined && x < min) || (max !== undefined && x > max)) {
        return fail(options, path, `expected ${numberPhrase(spec, min, max)}, got ${describeValue(value)}`);
      }
      return x;
    }
    case 'boolean': {
      const value = v === undefined ? spec.default : v;
      if (typeof value === 'boolean') return value;
      if (options.text === true && (value === 'true' || value === 'false')) return value === 'true';
      return fail(options, path, `expected true or false, got ${describeValue(value)}`);
    }
    case 'enum': {
      const value = v === undefined ? spec.default : v;
      if (typeof value !== 'string' || !spec.values.includes(value)) {
        return fail(options, path, `expected one of ${spec.values.map((x) => JSON.stringify(x)).join(', ')}, got ${describeValue(value)}`);
      }
      return value;
    }
    case 'string': {
      const value = v === undefined ? spec.default : v;
      // null is "none" only for a setting whose default is none.
      if (value === null && spec.default === null) return null;
      if (typeof value !== 'string' || (spec.pattern !== undefined && !spec.pattern.test(value))) {
        return fail(options, path, `expected ${spec.patternDoc ?? 'text'}, got ${describeValue(value)}`);
      }
      return value;
    }
    case 'list': {
      const value = v === undefined ? spec.default : v;
      const what = listPhrase(spec);
      if (!Array.isArray(value)) return fail(options, path, `expected ${what}, got ${describeValue(value)}`);
      if (spec.minItems !== undefined && value.length < spec.minItems) return fail(options, path, `expected ${what}, got ${value.length} item${value.length === 1 ? '' : 's'}`);
      if (spec.maxItems !== undefined && value.length > spec.maxItems) return fail(options, path, `expected at most ${spec.maxItems} items, got ${value.length}`);
      return value.map((x: unknown, n: number) => {
        const at = `${path}[${n}]`;
        if (spec.items === 'string') {
          if (typeof x !== 'string' || x === '') fail(options, at, `expected non-empty text, got ${describeValue(x)}`);
          return x;
        }
        const ok = typeof x === 'number' && Number.isFinite(x) && (spec.items === 'number' || Number.isInteger(x));
        if (!ok || (spec.min !== undefined && x < spec.min) || (spec.max !== undefined && x > spec.max)) {
          fail(options, at, `expected ${spec.items === 'integer' ? 'an integer' : 'a number'}${rangePhrase(spec.min, spec.max)}, got ${describeValue(x)}`);
        }
        if (spec.increasing === true && n > 0 && !(x > (value[n - 1] as number))) fail(options, at, `expected values in increasing order, got ${x} after ${String(value[n - 1])}`);
        return x;
      });
    }
    case 'custom':
      return spec.resolve(v === undefined ? spec.default : v, path, out);
  }
}

function listPhrase(spec: ListParam): string {
  const item = spec.items === 'string' ? 'text' : `${spec.items === 'integer' ? 'integers' : 'numbers'}${rangePhrase(spec.min, spec.max)}`;
  const count = spec.minItems !== undefined && spec.minItems > 0 ? 'a non-empty list' : 'a list';
  return `${count} of ${item}${spec.increasing ? ', in increasing order' : ''}`;
}

/**
 * Validates `given` against `schema` for `owner` and fills in defaults, in declaration order; then runs every
 * spec's `check` on the resolved values.
 * @throws DrmgError ('input') at `OWNER.NAME` (or `options.at(NAME)`) for an unknown setting (listing the known
 *   ones), a value of the wrong type, or a value outside its range (stating the range).
 * @example resolveParams('bridge-crossing-v0', bridgeSchema, { slip: 0.2 })
 */
export function resolveParams<P extends ParamSchema>(owner: string, schema: P, given: unknown = {}, options: ResolveParamsOptions = {}): ParamValues<P> {
  const at = options.at ?? ((name: string) => `${owner}.${name}`);
  if (!isRecord(given)) return inputError(options.at ? owner : `${owner} params`, `expected an object of settings, got ${describeValue(given)}`);
  const names = Object.keys(schema);
  const ignore = new Set(options.ignore ?? []);
  for (const k of Object.keys(given)) {
    if (!Object.hasOwn(schema, k) && !ignore.has(k)) {
      fail(options, at(keyText(k)), `unknown ${options.noun ?? 'parameter'}; ${options.ownerDoc ?? owner} accepts ${names.length ? names.join(', ') : `no ${options.noun ?? 'parameter'}s`}`);
    }
  }
  const out: Record<string, unknown> = {};
  for (const name of names) out[name] = resolveOne(schema[name], given[name], at(name), out, options);
  for (const name of names) {
    const check = schema[name].check as ((value: unknown, params: ResolvedSoFar) => string | undefined) | undefined;
    const why = check?.(out[name], out);
    if (why !== undefined) fail(options, at(name), why);
  }
  return out as ParamValues<P>;
}

/**
 * The defaults of a schema (dependent defaults evaluated in order, custom ones resolved), without validating anything given.
 * @example schemaDefaults(mornaviTvParams).delta // 0.1
 */
export function schemaDefaults<P extends ParamSchema>(schema: P): ParamValues<P> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) {
    out[name] = spec.type === 'integer' || spec.type === 'number' ? evalDep(spec.default, out) : spec.type === 'custom' ? spec.resolve(spec.default, name, out) : spec.default;
  }
  return out as ParamValues<P>;
}

/**
 * Parses command-line `NAME=VALUE` strings into values typed by `schema` (integers and numbers in plain decimal,
 * true/false, a keyword, enum and free text, lists as comma-separated numbers); ranges are checked later by `resolveParams`.
 * @throws DrmgError at `OWNER.NAME` for a malformed pair, a name given twice, an unknown name or an unparsable value.
 */
export function parseParamArgs(owner: string, schema: ParamSchema, pairs: readonly string[], flag = '--param'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) inputError(`${owner} ${flag} ${pair}`, 'expected NAME=VALUE');
    const name = pair.slice(0, eq).trim();
    const text = pair.slice(eq + 1).trim();
    if (Object.hasOwn(out, name)) inputError(`${owner}.${name}`, `given twice (${pair} after ${name}=${String(out[name])}); give each parameter once`);
    if (!Object.hasOwn(schema, name)) {
      const names = Object.keys(schema);
      inputError(`${owner}.${keyText(name)}`, `unknown parameter; ${owner} accepts ${names.length ? names.join(', ') : 'no parameters'}`);
    }
    out[name] = parseParamText(`${owner}.${name}`, schema[name], text);
  }
  return out;
}

/**
 * The value of one setting written as command-line text.
 * @throws DrmgError at `path` when the text is not of the setting's type.
 */
export function parseParamText(path: string, spec: ParamSpec, text: string): unknown {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      if (spec.keyword !== undefined && text === spec.keyword) return text;
      const x = spec.type === 'integer' ? (/^[+-]?\d+$/.test(text) ? Number(text) : undefined) : parseDecimal(text);
      const what = spec.type === 'integer' ? 'an integer' : 'a number';
      if (x === undefined && text !== '' && parseDecimal(text) === undefined && Number.isFinite(Number(text))) inputError(path, `expected ${what} in plain decimal notation, got ${JSON.stringify(text)}`);
      if (x === undefined) inputError(path, `expected ${what}${spec.keyword ? ` or ${spec.keyword}` : ''}, got ${JSON.stringify(text)}`);
      return x;
    }
    case 'boolean':
      if (text !== 'true' && text !== 'false') inputError(path, `expected true or false, got ${JSON.stringify(text)}`);
      return text === 'true';
    case 'list':
      if (spec.items === 'string') return text === '' ? [] : text.split(',').map((t) => t.trim());
      return text === ''
        ? []
        : text.split(',').map((t) => {
            const x = parseDecimal(t.trim());
            if (x === undefined) inputError(path, `expected comma-separated numbers in plain decimal, got ${JSON.stringify(t.trim())}${text.includes(',') ? ` in ${JSON.stringify(text)}` : ''}`);
            return x;
          });
    case 'custom':
      return text;
    default:
      return text;
  }
}

/** The help-text type of a spec. */
function typeDoc(spec: ParamSpec): string {
  switch (spec.type) {
    case 'integer':
      return spec.keyword ? `INTEGER|${spec.keyword}` : 'INTEGER';
    case 'number':
      return spec.keyword ? `NUMBER|${spec.keyword}` : 'NUMBER';
    case 'boolean':
      return 'true|false';
    case 'enum':
      return spec.values.join('|');
    case 'string':
      return 'TEXT';
    case 'list':
      return spec.items === 'string' ? '[TEXT, ...]' : `[${spec.items.toUpperCase()}, ...]`;
    case 'custom':
      return spec.typeDoc;
  }
}

/** The listing of a schema: each setting's type, default and range evaluated at the defaults, and doc. */
export function describeParams(schema: ParamSchema): ParamInfo[] {
  const defaults: Record<string, unknown> = {};
  const out: ParamInfo[] = [];
  for (const [name, spec] of Object.entries(schema)) {
    const base = { name, type: spec.type, typeDoc: typeDoc(spec), doc: spec.doc };
    if (spec.type === 'integer' || spec.type === 'number') {
      const d = evalDep(spec.default, defaults);
      defaults[name] = d;
      const min = evalDep(spec.min, defaults);
      const max = evalDep(spec.max, defaults);
      out.push({
        ...base,
        default: d,
        ...(min !== undefined ? { min } : {}),
        ...(max !== undefined ? { max } : {}),
        ...(spec.keyword !== undefined ? { keyword: spec.keyword } : {}),
        ...(spec.rangeDoc ? { rangeDoc: spec.rangeDoc } : {}),
      });
    } else {
      defaults[name] = spec.default;
      out.push({
        ...base,
        default: spec.default,
        ...(spec.type === 'enum' ? { values: spec.values } : {}),
        ...(spec.type === 'list' && spec.min !== undefined ? { min: spec.min } : {}),
        ...(spec.type === 'list' && spec.max !== undefined ? { max: spec.max } : {}),
      });
    }
  }
  return out;
}

/** A default as help texts and the reference docs write it: numbers and keywords as such, lists comma-separated, none as `none`. */
export function formatDefault(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? '[]' : value.map((x) => String(x)).join(',');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Help lines of a schema, one setting each: `PREFIX NAME=TYPE  (default D; RANGE)  DOC`, the doc wrapped to
 * `width` columns under an indent. Every help text that lists parameters is made by this function.
 * @example formatParamHelp(describeParams(schema), { prefix: '--param ', indent: 6 })
 */
export function formatParamHelp(params: readonly ParamInfo[], options: { prefix?: string; indent?: number; width?: number } = {}): string {
  const pad = ' '.repeat(options.indent ?? 4);
  const width = options.width ?? 110;
  return params
    .map((p) => {
      const range = p.values === undefined ? rangePhrase(p.min, p.max, p.rangeDoc).trim() : '';
      const head = `${pad}${options.prefix ?? ''}${p.name}=${p.typeDoc}  (default ${formatDefault(p.default)}${range ? `; ${range}` : ''})`;
      return [head, ...wrap(p.doc, width - pad.length - 4).map((l) => `${pad}    ${l}`)].join('\n');
    })
    .join('\n');
}

/** Words of `text` in lines of at most `width` characters. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

/**
 * The JSON Schema (draft 2020-12) of one setting: type, bounds (static ones; a dependent bound is stated in the
 * description), enum, default and description.
 */
export function paramJsonSchema(spec: ParamSpec, defaults: ResolvedSoFar = {}): Record<string, unknown> {
  const description = spec.doc;
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const num: Record<string, unknown> = { type: spec.type };
      if (typeof spec.min === 'number') num.minimum = spec.min;
      if (typeof spec.max === 'number') num.maximum = spec.max;
      const d = evalDep(spec.default, defaults);
      const doc = typeof spec.min === 'function' || typeof spec.max === 'function' ? `${description} (range ${spec.rangeDoc ?? 'depends on other parameters'})` : description;
      if (spec.keyword !== undefined) return { description: doc, default: d, anyOf: [num, { const: spec.keyword }] };
      return { ...num, description: doc, default: d };
    }
    case 'boolean':
      return { type: 'boolean', description, default: spec.default };
    case 'enum':
      return { type: 'string', enum: [...spec.values], description, default: spec.default };
    case 'string': {
      const s: Record<string, unknown> = { type: spec.default === null ? ['string', 'null'] : 'string', description };
      if (spec.pattern !== undefined) s.pattern = spec.pattern.source;
      if (spec.default !== null) s.default = spec.default;
      return s;
    }
    case 'list': {
      const items: Record<string, unknown> = spec.items === 'string' ? { type: 'string', minLength: 1 } : { type: spec.items };
      if (spec.min !== undefined) items.minimum = spec.min;
      if (spec.max !== undefined) items.maximum = spec.max;
      const s: Record<string, unknown> = { type: 'array', items, description, default: spec.default };
      if (spec.minItems !== undefined) s.minItems = spec.minItems;
      if (spec.maxItems !== undefined) s.maxItems = spec.maxItems;
      return s;
    }
    case 'custom':
      return { ...spec.jsonSchema(), description, ...(spec.default !== undefined ? { default: spec.default } : {}) };
  }
}

/**
 * The JSON Schema (draft 2020-12) of an object of settings: one property per setting, no other keys
 * (`additionalProperties: false`), nothing required (every setting has a default).
 * @example paramsJsonSchema(envSpec('bridge-crossing-v0').params)
 */
export function paramsJsonSchema(schema: ParamSchema, extra: Readonly<Record<string, Record<string, unknown>>> = {}): Record<string, unknown> {
  const defaults = schemaDefaults(schema);
  const properties: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(schema)) properties[name] = paramJsonSchema(spec, defaults);
  return { type: 'object', properties: { ...properties, ...extra }, additionalProperties: false };
}
