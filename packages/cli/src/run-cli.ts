/** The `drmg` command line: dispatches to subcommands and turns errors into messages and exit codes. */
import { DrmgError, MAX_FILE_BYTES_ENV } from '@drmg/core';
import type { CliCommand } from './cli-command.ts';
import type { CliIo } from './cli-io.ts';
import { evaluateCommand } from './evaluate-command.ts';
import { validateCommand } from './validate-command.ts';
import { solveCommand } from './solve-command.ts';
import { envCommand } from './env-command.ts';
import { rolloutCommand } from './rollout-command.ts';
import { trainCommand } from './train-command.ts';
import { compareCommand } from './compare-command.ts';
import { workerCommand } from './worker-command.ts';
import { dashboardCommand } from './dashboard-command.ts';

/** Every subcommand, in the order `drmg --help` lists them. */
export const commands: readonly CliCommand[] = [
  compareCommand,
  workerCommand,
  dashboardCommand,
  evaluateCommand,
  validateCommand,
  solveCommand,
  envCommand,
  rolloutCommand,
  trainCommand,
];

function mainHelp(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return (
    `Usage: drmg <command> [arguments] [options]

drmg: online learning and exact evaluation for distributionally robust Markov games.

Commands:
${commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`).join('\n')}

Run "drmg <command> --help" for a command's arguments and options.
Exit codes: 0 success, 2 bad input (message on stderr), 1 internal failure.
Every file drmg reads is refused above a size limit (256 MiB by default; --max-file-size), and must be
UTF-8 JSON (or YAML for compare configs) without duplicate keys, nested at most 1,000 levels.
`
  );
}

/**
 * Runs `drmg` with `argv` (the arguments after the program name) and returns the exit code:
 * 0 on success, 2 for bad input (a DrmgError of kind 'input'), 1 for anything else.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...given] = argv;
  // `pnpm start -- --serve` (npm's convention for passing flags through a script) hands drmg a literal `--` before
  // the flags: a `--` right after the command, before any argument, is that separator and is dropped.
  const rest = given[0] === '--' ? given.slice(1) : given;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp());
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`drmg: unknown command ${JSON.stringify(name)}; expected one of ${commands.map((c) => c.name).join(', ')} (see drmg --help)\n`);
    return 2;
  }
  // --max-file-size sets the limit for this command only (and the worker threads it starts).
  const fileLimit = process.env[MAX_FILE_BYTES_ENV];
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof DrmgError && e.kind === 'input') {
      // Option errors already name the command (`drmg train --episodes: ...`); don't say it twice.
      io.err(e.message.startsWith(`drmg ${name}`) ? `${e.message}\n` : `drmg ${name}: ${e.message}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    // Code of the user's own (a --module's learner, agent or environment) runs inside drmg: its errors land here too.
    io.err(
      `drmg ${name}: internal error: ${msg}\n` +
        '(if it comes from a module of yours, a custom learner, agent or environment, the fix is there; otherwise it is a bug in drmg: please report it with the command line and input files)\n',
    );
    if (process.env.DRMG_DEBUG && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return 1;
  } finally {
    if (fileLimit === undefined) delete process.env[MAX_FILE_BYTES_ENV];
    else process.env[MAX_FILE_BYTES_ENV] = fileLimit;
  }
}
