/** `drmg evaluate GAME POLICY [--json]`: the exact robust evaluation of a policy (drmg-evaluation/1). */
import { readGameFile, readPolicyFile, inputError } from '@drmg/core';
import { evaluatePolicy, evaluationToJson, initialGap } from '@drmg/evaluators';
import type { CliCommand } from './cli-command.ts';
import { fmt, formatTable } from './format-table.ts';
import { defineOptions, helpOption, maxFileSizeOption, optionsHelp, parseCommandOptions } from './command-options.ts';

const options = defineOptions({
  json: { kind: 'flag', doc: 'print only the drmg-evaluation/1 JSON document to stdout' },
  ...maxFileSizeOption,
  ...helpOption,
});

const help = `Usage: drmg evaluate GAME POLICY [--json] [--max-file-size N]

Computes, exactly (robust Bellman recursion, no sampling), each agent's robust value of POLICY on
GAME, its best response against the others' joint marginal, its swap (CE) best response, and the
robust NE/CCE gap and CE gap at every state.

Arguments:
  GAME      a drmg-game/1 JSON file
  POLICY    a drmg-policy/1 JSON file for that game

Options:
${optionsHelp(options, 20)}

Exit codes: 0 success, 2 bad input (message on stderr), 1 internal failure.
`;

/** The `evaluate` subcommand. */
export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: 'exact robust values, best responses and NE/CCE/CE gaps of a policy',
  help,
  run(args, io) {
    const { values, positionals } = parseCommandOptions('evaluate', args, options);
    if (values.help) {
      io.out(help);
      return 0;
    }
    if (positionals.length !== 2) {
      inputError('drmg evaluate', `expected 2 arguments GAME POLICY, got ${positionals.length} (see drmg evaluate --help)`);
    }
    const game = readGameFile(positionals[0]);
    const policy = readPolicyFile(positionals[1], game);
    const ev = evaluatePolicy(game, policy);
    if (values.json) {
      io.out(JSON.stringify(evaluationToJson(ev)) + '\n');
      return 0;
    }
    const stateName = (s: number) => game.labels?.states?.[s] ?? String(s);
    const header = ['state'];
    for (let i = 0; i < game.m; i++) header.push(`V${i}`, `BR${i}`, `swapBR${i}`);
    header.push('gap', 'ceGap');
    const rows: string[][] = [];
    for (let s = 0; s < game.S; s++) {
      const row = [stateName(s)];
      for (let i = 0; i < game.m; i++) {
        row.push(fmt(ev.value[i * game.S + s]), fmt(ev.bestResponse[i * game.S + s]), fmt(ev.swapBestResponse[i * game.S + s]));
      }
      row.push(fmt(ev.gap[s]), fmt(ev.ceGap[s]));
      rows.push(row);
    }
    io.out(
      `game ${game.name}: ${game.m} agents, actions [${game.A.join(', ')}], S = ${game.S}, H = ${game.H}, ` +
        `${game.divergence.toUpperCase()} uncertainty\n\n` +
        formatTable(header, rows) +
        `\nfrom the initial distribution: gap ${fmt(initialGap(game, ev, 'gap'))}, ceGap ${fmt(initialGap(game, ev, 'ceGap'))}\n`,
    );
    return 0;
  },
};
