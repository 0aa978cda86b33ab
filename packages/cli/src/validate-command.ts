/** `drmg validate GAME [POLICY]`: checks a game file, and a policy against it. */
import { readGameFile, readPolicyFile, inputError } from '@drmg/core';
import type { CliCommand } from './cli-command.ts';
import { defineOptions, helpOption, maxFileSizeOption, optionsHelp, parseCommandOptions } from './command-options.ts';

const options = defineOptions({
  json: { kind: 'flag', doc: 'print {"valid": true, "states": S, "horizon": H, "actions": [...]} instead' },
  ...maxFileSizeOption,
  ...helpOption,
});

const help = `Usage: drmg validate GAME [POLICY] [--json] [--max-file-size N]

Checks that GAME is a valid drmg-game/1 file (sizes, rewards in [0, 1], kernel rows that sum to 1,
radii, divergence, the failure-state claim) and, if given, that POLICY is a valid drmg-policy/1 file
for it. Prints "ok" and a one-line summary, or the first problem found (field, index, expectation).

Options:
${optionsHelp(options, 22)}

A file that is too large, not UTF-8, not valid JSON (a duplicate key, nesting deeper than 1,000 levels)
or not a valid game or policy is reported with its location, and the exit code is 2.

Exit codes: 0 valid, 2 invalid input, 1 internal failure.
`;

/** The `validate` subcommand. */
export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'check a game file, and a policy file against it',
  help,
  run(args, io) {
    const { values, positionals } = parseCommandOptions('validate', args, options);
    if (values.help) {
      io.out(help);
      return 0;
    }
    if (positionals.length < 1 || positionals.length > 2) {
      inputError('drmg validate', `expected GAME [POLICY], got ${positionals.length} arguments (see drmg validate --help)`);
    }
    const game = readGameFile(positionals[0]);
    if (positionals[1] !== undefined) readPolicyFile(positionals[1], game);
    if (values.json) {
      io.out(JSON.stringify({ valid: true, states: game.S, horizon: game.H, actions: game.A }) + '\n');
    } else {
      io.out(
        `ok: ${positionals[0]} (${game.name}: ${game.m} agents, actions [${game.A.join(', ')}], S = ${game.S}, H = ${game.H}, ` +
          `${game.divergence.toUpperCase()}${game.failureStates ? ', failure states hold' : ''})` +
          (positionals[1] !== undefined ? `; ${positionals[1]} is a valid policy for it` : '') +
          '\n',
      );
    }
    return 0;
  },
};
