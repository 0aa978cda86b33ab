#!/usr/bin/env node
/** Entry point of the `drmg` command (`pnpm --silent drmg ...` from the repository root). */
import { processIo } from './cli-io.ts';
import { runCli } from './run-cli.ts';

process.exitCode = await runCli(process.argv.slice(2), processIo);
