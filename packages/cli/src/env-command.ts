/** `drmg env list | export`: the registered environments and their models as drmg-game/1. */
import { formatParamHelp, gameToJson, parseParamArgs, inputError } from '@drmg/core';
import { envSpec, listEnvs, make } from '@drmg/envs';
import type { CliCommand } from './cli-command.ts';
import { formatTable } from './format-table.ts';
import { defineOptions, helpOption, optionsHelp, parseCommandOptions } from './command-options.ts';

const envOptions = defineOptions({
  param: { kind: 'list', short: 'p', arg: 'NAME=VALUE', doc: 'a parameter of ID (repeatable), e.g. --param rho=0.3 --param divergence=kl' },
  json: {
    kind: 'flag',
    doc: 'list: print {"format": "drmg-env-list/1", "envs": [{id, summary, params, sizes}]}; export: print only the model as a drmg-game/1 JSON document',
  },
  ...helpOption,
});

/** Every registered environment with its parameters (from their schemas), for help texts and `drmg env list`. */
function envParamListing(): string {
  return listEnvs()
    .map((e) => {
      const params = formatParamHelp(e.params, { indent: 4 });
      return `  ${e.id}: ${e.summary}\n${params === '' ? '    (no parameters)' : params}`;
    })
    .join('\n');
}

function helpText(): string {
  return `Usage: drmg env list [--json]
       drmg env export ID [--param NAME=VALUE ...] [--json]

Lists the registered environments (built-in games such as initial-shock-v0, bridge-crossing-v0,
intersection-v0, the matrix games and random-v0), or prints one environment's tabular model.

Subcommands:
  list      every environment id with its sizes (agents, states, horizon, actions) at the default
            parameters, and its parameters with defaults, ranges and descriptions
  export    the model of environment ID built with the given parameters

Options:
${optionsHelp(envOptions, 26)}

Environments and their parameters (NAME=TYPE (default; range) and what it does):
${envParamListing()}

Exit codes: 0 success, 2 bad input (unknown id or parameter, value out of range), 1 internal failure.
`;
}

/** The `env` subcommand. */
export const envCommand: CliCommand = {
  name: 'env',
  summary: 'list the registered environments, or export one as a drmg-game/1 model',
  get help(): string {
    return helpText();
  },
  run(args, io) {
    const { values, positionals } = parseCommandOptions('env', args, envOptions);
    if (values.help) {
      io.out(helpText());
      return 0;
    }
    const [sub, ...rest] = positionals;
    const params = (values.param as string[] | undefined) ?? [];
    if (sub === 'list') {
      if (rest.length > 0) inputError('drmg env list', `expected no further arguments, got ${rest.join(' ')}`);
      if (params.length > 0) inputError('drmg env list --param', 'parameters apply to "drmg env export ID" only');
      const envs = listEnvs();
      if (values.json) {
        io.out(JSON.stringify({ format: 'drmg-env-list/1', envs }) + '\n');
        return 0;
      }
      const rows = envs.map((e) => [e.id, String(e.sizes.agents), String(e.sizes.states), String(e.sizes.horizon), `[${e.sizes.actions.join(', ')}]`]);
      io.out(`${formatTable(['id', 'agents', 'S', 'H', 'actions'], rows)}\n(sizes at the default parameters)\n\nParameters (NAME=TYPE (default; range) and what it does):\n${envParamListing()}\n`);
      return 0;
    }
    if (sub === 'export') {
      if (rest.length !== 1) inputError('drmg env export', `expected one environment ID, got ${rest.length} (see drmg env list)`);
      const id = rest[0];
      const spec = envSpec(id);
      const env = make(id, parseParamArgs(id, spec.params, params));
      const game = env.model;
      if (values.json) {
        io.out(JSON.stringify(gameToJson(game)) + '\n');
        return 0;
      }
      const radii = Array.from({ length: game.m }, (_, i) => {
        const r = game.radius.subarray(i * game.H * game.S, (i + 1) * game.H * game.S);
        const lo = Math.min(...r);
        const hi = Math.max(...r);
        return lo === hi ? String(lo) : `${lo}..${hi} (varies with h, s)`;
      });
      io.out(
        `${id}: ${spec.summary}\n` +
          `  model "${game.name}": ${game.m} agents, actions [${game.A.join(', ')}], S = ${game.S}, H = ${game.H}, J = ${game.J}, ` +
          `${game.kernel.next.length} kernel entries\n` +
          `  uncertainty: ${game.divergence.toUpperCase()}, radius per agent ${radii.join('; ')}\n` +
          `  failure states: ${game.failureStates ? game.failureStates.map((f, i) => `agent ${i}: {${f.join(', ')}}`).join('; ') : 'none claimed'}\n` +
          `  initial: ${Array.from(game.initial, (x, s) => (x > 0 ? `${game.labels?.states?.[s] ?? s}: ${x}` : ''))
            .filter(Boolean)
            .join(', ')}\n` +
          `Add --json to print the model as drmg-game/1.\n`,
      );
      return 0;
    }
    inputError('drmg env', `expected a subcommand "list" or "export", got ${sub === undefined ? 'none' : JSON.stringify(sub)} (see drmg env --help)`);
  },
};
