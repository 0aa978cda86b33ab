export { type CliCommand } from './cli-command.ts';
export { memoryIo, processIo, type CliIo } from './cli-io.ts';
export { commands, runCli } from './run-cli.ts';
export { fmt, formatTable } from './format-table.ts';
export { parameterReference, parameterTable } from './parameter-reference.ts';
