/**
 * Strict option parsing for drmg commands on top of node:util parseArgs, with drmg-style errors: unknown
 * options, an option given twice (unless it is a list option, `multiple: true`), numbers outside their
 * documented bounds, and numbers not written in plain decimal (`0x1`, `1e400`, `Infinity`) are input errors.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DEFAULT_MAX_FILE_BYTES, MAX_FILE_BYTES_ENV, MAX_FILE_BYTES_LIMIT, describeValue, parseByteSize, inputError } from '@drmg/core';

/** The option every command that reads files takes: `--max-file-size N` (see `fileSizeHelp`). */
export const fileSizeOption = { 'max-file-size': { type: 'string' } } as const;

/** The help lines of `--max-file-size`, the description starting at column `col` (on the next line when the flag is longer). */
export function fileSizeHelp(col: number): string {
  const flag = '  --max-file-size N';
  const pad = ' '.repeat(col);
  const text = [
    `refuse any file larger than N bytes (suffix K, M or G); default ${DEFAULT_MAX_FILE_BYTES / 2 ** 20} MiB,`,
    `2 bytes per entry of drmg's largest table; at most ${MAX_FILE_BYTES_LIMIT} (Node's longest string).`,
    `Also the environment variable ${MAX_FILE_BYTES_ENV}.`,
  ];
  const first = flag.length < col ? `${flag.padEnd(col)}${text[0]}` : `${flag}\n${pad}${text[0]}`;
  return [first, ...text.slice(1).map((t) => pad + t)].join('\n');
}

/**
 * Parses `args` for `command` with node's parseArgs (strict); unknown options and repeated non-list options
 * become input errors. With `--max-file-size N` among the options, N becomes the size limit of every file the
 * command reads (DRMG_MAX_FILE_BYTES, inherited by compare's worker threads; runCli restores it afterwards).
 */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  let r;
  try {
    r = parseArgs({ args, options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    // node's messages may run over several lines; a drmg message is one.
    inputError(`drmg ${command}`, `${(e as Error).message.replace(/\s*\n\s*/g, ' ')} (see drmg ${command} --help)`);
  }
  const given = new Map<string, string[]>();
  for (const t of r.tokens ?? []) {
    if (t.kind !== 'option') continue;
    const list = given.get(t.name) ?? [];
    list.push(t.value === undefined ? t.rawName : `${t.rawName} ${t.value}`);
    given.set(t.name, list);
  }
  for (const [name, uses] of given) {
    if (uses.length > 1 && options[name]?.multiple !== true) {
      inputError(`drmg ${command} --${name}`, `given ${uses.length} times (${uses.join(', ')}); give it once (see drmg ${command} --help)`);
    }
  }
  const values = r.values as Record<string, string | boolean | string[] | undefined>;
  if (values['max-file-size'] !== undefined) {
    process.env[MAX_FILE_BYTES_ENV] = String(parseByteSize(values['max-file-size'], `drmg ${command} --max-file-size`));
  }
  return { values, positionals: r.positionals };
}

/**
 * Parses an integer option value in [min, max] (plain decimal digits only), naming the option when it is not one.
 * `max` is the option's documented upper bound (see @drmg/core limits.ts).
 */
export function integerOption(command: string, name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    inputError(`drmg ${command} --${name}`, `expected an integer >= ${min}, got ${describeValue(value)}`);
  }
  if (n > max) inputError(`drmg ${command} --${name}`, `expected an integer in [${min}, ${max}] (its upper bound), got ${describeValue(value)}`);
  return n;
}
