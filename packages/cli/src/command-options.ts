/**
 * A command's options, declared once: how each is read (a flag, a value, a repeatable value), its placeholder and
 * doc, and, for an option that sets a typed setting (`--episodes` sets compare's `episodes`), that setting's spec,
 * from which the type, range and default are taken. `parseCommandOptions` reads them (strict, located errors),
 * `optionValue` types and range-checks one, and `optionsHelp` writes the help lines: no option is described twice.
 */
import { MAX_TIMEOUT_MS, describeParams, formatDefault, rangePhrase, resolveParams, parseParamText, wrap, type ParamSpec } from '@drmg/core';
import { fileSizeHelp, parseOptions } from './parse-options.ts';

/** One command-line option. */
export interface CliOption {
  /** `flag`: present or not; `value`: one value; `list`: repeatable (`--param a=1 --param b=2`). */
  readonly kind: 'flag' | 'value' | 'list';
  /** The value's placeholder in help texts, e.g. `K` or `NAME=VALUE`. */
  readonly arg?: string;
  /** A one-letter alias (`-p`). */
  readonly short?: string;
  /** What it does (after the setting's own doc when `setting` is given). */
  readonly doc?: string;
  /** The typed setting it sets: its doc, type, range and default are the option's. */
  readonly setting?: ParamSpec;
  /** The default as the help says it, when it is not the setting's (e.g. `ceil(K / 100)`). */
  readonly defaultDoc?: string;
}

/** The options of one command, in help order. */
export type CliOptions = Readonly<Record<string, CliOption>>;

/**
 * Declares a command's options (`const` keeps the names, so `values` is typed by them).
 * @example const options = defineOptions({ episodes: { kind: 'value', arg: 'K', setting: compareConfigSchema.episodes } });
 */
export function defineOptions<const O extends CliOptions>(options: O): O {
  return options;
}

/** The help option every command takes. */
export const helpOption = { help: { kind: 'flag', short: 'h', doc: 'show this help' } } as const satisfies CliOptions;

/** The option of commands that read files (its help is `fileSizeHelp`'s). */
export const maxFileSizeOption = { 'max-file-size': { kind: 'value', arg: 'N', doc: '' } } as const satisfies CliOptions;

/** The options of a simulator in another process (`drmg train` and `drmg rollout`). */
export const simulatorOptions = {
  'env-cmd': {
    kind: 'value',
    arg: '"COMMAND"',
    doc: 'instead of GAME_OR_ID: a simulator in another process, any language, speaking line-delimited JSON on stdin/stdout (docs/external-envs.md), e.g. --env-cmd "python3 examples/external/relay_sim.py"',
  },
  timeout: {
    kind: 'value',
    arg: 'MS',
    setting: { type: 'integer', default: 10_000, min: 1, max: MAX_TIMEOUT_MS, doc: 'with --env-cmd: how long the simulator may take to answer one request before it is killed' },
  },
} as const satisfies CliOptions;

/** Values as parsed: strings, booleans for flags, string lists for list options. */
export type ParsedValues<O extends CliOptions> = { readonly [K in keyof O]?: O[K]['kind'] extends 'flag' ? boolean : O[K]['kind'] extends 'list' ? string[] : string };

/**
 * Parses `args` of `drmg COMMAND` against `options` (strict: an unknown option, a non-list option given twice, a
 * value missing, are input errors naming the option).
 */
export function parseCommandOptions<O extends CliOptions>(command: string, args: string[], options: O): { values: ParsedValues<O>; positionals: string[] } {
  const config: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, o] of Object.entries(options)) {
    config[name] = { type: o.kind === 'flag' ? 'boolean' : 'string', ...(o.short ? { short: o.short } : {}), ...(o.kind === 'list' ? { multiple: true } : {}) };
  }
  const r = parseOptions(command, args, config);
  return { values: r.values as ParsedValues<O>, positionals: r.positionals };
}

/**
 * The typed value of option `name` (undefined when it is absent): its text parsed and range-checked by the
 * setting's spec (plain decimal numbers only).
 * @throws DrmgError ('input', `drmg COMMAND --NAME`) saying what was expected.
 */
export function optionValue(command: string, options: CliOptions, values: Readonly<Record<string, unknown>>, name: string): unknown {
  const text = values[name];
  const spec = options[name]?.setting;
  if (text === undefined || spec === undefined) return text;
  const path = `drmg ${command} --${name}`;
  const value = parseParamText(path, spec, String(text).trim());
  return resolveParams(command, { [name]: spec }, { [name]: value }, { at: () => path })[name];
}

/** The doc of an option with its setting's doc, default and range. */
function optionDoc(o: CliOption): string {
  if (o.setting === undefined) return o.doc ?? '';
  const [info] = describeParams({ x: o.setting });
  const range = info.values === undefined && info.type !== 'boolean' ? rangePhrase(info.min, info.max, info.rangeDoc).trim() : '';
  const choices = info.values !== undefined ? `one of ${info.values.join(', ')}` : '';
  const dflt = o.defaultDoc ?? formatDefault(info.default);
  const facts = [`default ${dflt}`, range || choices].filter((x) => x !== '').join('; ');
  return `${info.doc}${o.doc ? `. ${o.doc}` : ''} (${facts})`;
}

/**
 * The help lines of `options`: `  -s, --name ARG   doc`, the doc wrapped at `width` and starting at column `col`
 * (on the next line when the flag is longer). `--max-file-size` gets `fileSizeHelp`'s lines.
 */
export function optionsHelp(options: CliOptions, col = 28, width = 112): string {
  const pad = ' '.repeat(col);
  const lines: string[] = [];
  for (const [name, o] of Object.entries(options)) {
    if (name === 'max-file-size') {
      lines.push(fileSizeHelp(col));
      continue;
    }
    const flag = `  ${o.short ? `-${o.short}, ` : ''}--${name}${o.arg ? ` ${o.arg}` : ''}`;
    // A doc's own line breaks are kept (a JSON outline); each line is wrapped on its own, its indent kept.
    const doc = optionDoc(o)
      .split('\n')
      .flatMap((line) => {
        const indent = /^ */.exec(line)![0];
        return wrap(line, width - col - indent.length).map((l) => indent + l);
      });
    if (doc.length === 0) lines.push(flag);
    else if (flag.length < col) lines.push(`${flag.padEnd(col)}${doc[0]}`, ...doc.slice(1).map((l) => pad + l));
    else lines.push(flag, ...doc.map((l) => pad + l));
  }
  return lines.join('\n');
}
