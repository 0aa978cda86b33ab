export * from './cli-command.ts';
export * from './cli-io.ts';
export * from './run-cli.ts';
export * from './format-table.ts';
export * from './parameter-reference.ts';
