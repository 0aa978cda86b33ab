/** Strict option parsing for drmg commands on top of node:util parseArgs, with drmg-style errors. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DrmgError } from '@drmg/core';

/** Parses `args` for `command` with node's parseArgs (strict); unknown options become input errors. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: string[],
  options: T,
): { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] } {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: r.values as Record<string, string | boolean | string[] | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new DrmgError('input', `drmg ${command}`, `${(e as Error).message} (see drmg ${command} --help)`);
  }
}

/** Parses a non-negative integer option value, naming the option when it is not one. */
export function integerOption(command: string, name: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new DrmgError('input', `drmg ${command} --${name}`, `expected an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}
