/**
 * `drmg dashboard RUN_DIR`: the live dashboard of `drmg compare --serve`, for a run that is over (finished or
 * interrupted): its curves, cells, summaries, report and files, served on 127.0.0.1 until Ctrl-C.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inputError } from '@drmg/core';
import { serveRunFolder } from '@drmg/compare';
import type { CliCommand } from './cli-command.ts';
import { defineOptions, helpOption, optionsHelp, parseCommandOptions } from './command-options.ts';
import { holdDashboard, printDashboardAddress, serveOption, serveOptions } from './serve-options.ts';

const options = defineOptions({ port: serveOptions.port, host: serveOptions.host, ...helpOption });

const help = `Usage: drmg dashboard RUN_DIR [--port N] [--host ADDRESS]

Serves the dashboard of a drmg compare run folder, finished or interrupted: the regret and exact gap curves
of every finished run (learner and seed), the table of runs, the per-learner summaries, the report and
links to every file of the run. The same page as drmg compare --serve, without a stop button. It runs
until Ctrl-C.

Options:
${optionsHelp(options)}

Only the dashboard's own files and the files inside RUN_DIR are served (no path out of it, symlinks
included); nothing is written. Exit codes: 0 after Ctrl-C, 2 bad input (no run in RUN_DIR, a port taken).
`;

/** The `dashboard` subcommand. */
export const dashboardCommand: CliCommand = {
  name: 'dashboard',
  summary: 'the live dashboard of a finished or interrupted compare run folder, in the browser',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandOptions('dashboard', args, options);
    if (values.help) {
      io.out(help);
      return 0;
    }
    if (positionals.length !== 1) inputError('drmg dashboard', `expected one run folder (RUN_DIR), got ${positionals.length} arguments (see drmg dashboard --help)`);
    const dir = resolve(positionals[0]);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) inputError(`drmg dashboard ${positionals[0]}`, 'no such folder; expected the folder of a drmg compare run (runs/<time>-<env>)');
    if (!existsSync(join(dir, 'config.json'))) inputError(`drmg dashboard ${positionals[0]}`, `holds no compare run (no ${join(dir, 'config.json')})`);
    const choice = serveOption('dashboard', values, true)!;
    const served = await serveRunFolder(dir, { port: choice.port, host: choice.host });
    printDashboardAddress(io, served.server);
    await holdDashboard(io, served.server, `serving ${dir}`);
    served.live.close();
    return 0;
  },
};
