/** The shape of one `drmg` subcommand. */
import type { CliIo } from './cli-io.ts';

/** A subcommand: its name, one-line summary, full help, and its run function (returns the exit code). */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  run(args: string[], io: CliIo): Promise<number> | number;
}
