/** `drmg rollout GAME_OR_ID`: Monte Carlo returns of a policy under the nominal, a worst-case or a random kernel. */
import { MAX_ROLLOUT_EPISODES, MAX_SEED, readGameFile, readPolicyFile, uniformPolicy, inputError } from '@drmg/core';
import { adversarialKernel, createTabularEnv, gameWithKernel, make, rolloutExternal, rolloutReturns, rolloutToJson, startExternalEnv, type TabularEnv, resolveEnvTarget } from '@drmg/envs';
import type { CliIo } from './cli-io.ts';
import { createEvaluator } from '@drmg/evaluators';
import type { CliCommand } from './cli-command.ts';
import { fmt, formatTable } from './format-table.ts';
import { defineOptions, helpOption, maxFileSizeOption, optionValue, optionsHelp, parseCommandOptions, simulatorOptions } from './command-options.ts';

/** The options of drmg rollout, declared once. */
const options = defineOptions({
  policy: { kind: 'value', arg: 'POLICY', doc: 'a drmg-policy/1 JSON file for the game (default: the uniform joint policy)' },
  episodes: { kind: 'value', arg: 'N', setting: { type: 'integer', default: 1000, min: 2, max: MAX_ROLLOUT_EPISODES, doc: 'number of episodes' } },
  seed: { kind: 'value', arg: 'S', setting: { type: 'integer', default: 0, min: 0, max: MAX_SEED, doc: 'seed of the episodes and of a random kernel' } },
  kernel: { kind: 'value', arg: 'K', doc: 'nominal (default), worst-case:AGENT, random or random:AGENT' },
  param: { kind: 'list', short: 'p', arg: 'NAME=VALUE', doc: 'a parameter of a registered environment (repeatable)' },
  ...simulatorOptions,
  json: { kind: 'flag', doc: 'print only {"format": "drmg-rollout/1", "meanReturn": [...], "stdErr": [...], "episodes": N}' },
  ...maxFileSizeOption,
  ...helpOption,
});

const help = `Usage: drmg rollout GAME_OR_ID [--policy POLICY] [--episodes N] [--seed S]
                    [--kernel nominal|worst-case:AGENT|random[:AGENT]] [--param NAME=VALUE ...] [--json]
       drmg rollout --env-cmd "COMMAND" [--timeout MS] [--policy POLICY] [--episodes N] [--seed S] [--json]

Plays POLICY for N episodes from the game's initial distribution and reports each agent's mean
return and its standard error. Next states are drawn from:
  nominal         the game's nominal kernel (expected return = the value with radius 0)
  worst-case:i    agent i's worst-case kernel against POLICY (expected return of agent i = its
                  exact robust value, as printed by drmg evaluate)
  random          a random kernel inside every agent's uncertainty set (random:i: agent i's set),
                  drawn once from the seed
With --env-cmd, episodes follow the simulator's own dynamics, so only --kernel nominal applies.

Arguments:
  GAME_OR_ID  a registered environment id (see drmg env list) or a drmg-game/1 JSON file

Options:
${optionsHelp(options, 26)}

The readable output also shows, per agent, the exact expected return under the sampled kernel.
Exit codes: 0 success, 2 bad input (message on stderr), 1 internal failure.
`;

function parseKernel(text: string, m: number): { kind: 'nominal' | 'worst-case' | 'random'; agent?: number } {
  const match = /^(nominal|worst-case|random)(?::(\d+))?$/.exec(text);
  if (!match) inputError('drmg rollout --kernel', `expected nominal, worst-case:AGENT, random or random:AGENT, got ${JSON.stringify(text)}`);
  const kind = match[1] as 'nominal' | 'worst-case' | 'random';
  if (kind === 'nominal' && match[2] !== undefined) inputError('drmg rollout --kernel', `"nominal" takes no agent, got ${JSON.stringify(text)}`);
  if (kind === 'worst-case' && match[2] === undefined) inputError('drmg rollout --kernel', `expected worst-case:AGENT with AGENT in [0, ${m - 1}], got ${JSON.stringify(text)}`);
  if (match[2] === undefined) return { kind };
  const agent = Number(match[2]);
  if (agent >= m) inputError('drmg rollout --kernel', `agent ${agent} out of range: expected an agent in [0, ${m - 1}]`);
  return { kind, agent };
}

function loadEnv(target: string, params: string[]): { env: TabularEnv; label: string } {
  const t = resolveEnvTarget(target, params, { paramsAt: 'drmg rollout --param' });
  return { env: t.kind === 'registered' ? make(t.id, t.params) : createTabularEnv(readGameFile(t.path)), label: target };
}

/** `drmg rollout --env-cmd`: Monte Carlo returns under the simulator's own dynamics (exact column from its model, if any). */
async function rolloutOnSimulator(io: CliIo, envCmd: string, timeoutMs: number, policyFile: string | undefined, episodes: number, seed: number, json: boolean): Promise<number> {
  const env = await startExternalEnv(envCmd, { timeoutMs });
  try {
    const policy = typeof policyFile === 'string' ? readPolicyFile(policyFile, env.spec) : uniformPolicy(env.spec);
    const result = await rolloutExternal(env, policy, { episodes, seed });
    if (json) {
      io.out(JSON.stringify(rolloutToJson(result)) + '\n');
      return 0;
    }
    const game = env.model;
    const exact = game === null ? null : createEvaluator(gameWithKernel(game, game.kernel, { radius: 0 })).evaluate(policy, { bestResponse: false, swap: false });
    const rows = result.meanReturn.map((mean, i) => {
      let v = 0;
      if (exact !== null && game !== null) for (let s = 0; s < game.S; s++) v += game.initial[s] * exact.value[i * game.S + s];
      const se = result.stdErr[i];
      return [env.possibleAgents[i], fmt(mean), fmt(se), `[${fmt(mean - 1.96 * se, 4)}, ${fmt(mean + 1.96 * se, 4)}]`, exact === null ? '-' : fmt(v)];
    });
    io.out(
      `rollout of ${policyFile ?? 'the uniform policy'} in the simulator ${JSON.stringify(envCmd)} (its own dynamics), ${episodes} episodes, seed ${seed}\n\n` +
        formatTable(['agent', 'mean return', 'std err', '95% interval', exact === null ? 'exact (no model)' : 'exact (its model)'], rows),
    );
    return 0;
  } finally {
    await env.close();
  }
}

/** The `rollout` subcommand. */
export const rolloutCommand: CliCommand = {
  name: 'rollout',
  summary: 'Monte Carlo returns of a policy under the nominal, a worst-case or a random kernel',
  help,
  async run(args, io) {
    const { values, positionals } = parseCommandOptions('rollout', args, options);
    const option = (name: keyof typeof options) => optionValue('rollout', options, values, name);
    if (values.help) {
      io.out(help);
      return 0;
    }
    const envCmd = values['env-cmd'] as string | undefined;
    if (envCmd !== undefined && positionals.length !== 0) inputError('drmg rollout --env-cmd', `takes the place of GAME_OR_ID; got both --env-cmd and ${JSON.stringify(positionals[0])}`);
    if (envCmd === undefined && values.timeout !== undefined) inputError('drmg rollout --timeout', 'applies to --env-cmd only');
    if (envCmd === undefined && positionals.length !== 1) {
      inputError('drmg rollout', `expected 1 argument GAME_OR_ID, got ${positionals.length} (see drmg rollout --help)`);
    }
    const episodes = (option('episodes') as number | undefined) ?? options.episodes.setting.default;
    const seed = (option('seed') as number | undefined) ?? 0;
    if (envCmd !== undefined) {
      if (values.param !== undefined) inputError('drmg rollout --param', 'applies to registered environment ids only, not to --env-cmd');
      if (values.kernel !== undefined && values.kernel !== 'nominal') {
        inputError('drmg rollout --kernel', `an external simulator runs its own dynamics: only nominal applies with --env-cmd, got ${JSON.stringify(values.kernel)}`);
      }
      const timeoutMs = (option('timeout') as number | undefined) ?? options.timeout.setting.default;
      return rolloutOnSimulator(io, envCmd, timeoutMs, values.policy as string | undefined, episodes, seed, values.json === true);
    }
    const { env: nominalEnv, label } = loadEnv(positionals[0], (values.param as string[] | undefined) ?? []);
    const game = nominalEnv.model;
    const policy = typeof values.policy === 'string' ? readPolicyFile(values.policy, game) : uniformPolicy(game);
    const kernel = parseKernel(typeof values.kernel === 'string' ? values.kernel : 'nominal', game.m);
    const env =
      kernel.kind === 'nominal'
        ? nominalEnv
        : kernel.kind === 'worst-case'
          ? adversarialKernel(nominalEnv, { type: 'worst-case', agent: kernel.agent as number, policy })
          : adversarialKernel(nominalEnv, { type: 'random', seed: `${seed}/kernel`, agent: kernel.agent });
    const result = rolloutReturns(env, policy, { episodes, seed });
    if (values.json) {
      io.out(JSON.stringify(rolloutToJson(result)) + '\n');
      return 0;
    }
    // The exact expected return under the sampled kernel: the value of the game with that kernel and radius 0.
    const exact = createEvaluator(gameWithKernel(game, env.kernel, { radius: 0 })).evaluate(policy, { bestResponse: false, swap: false });
    const rows = result.meanReturn.map((mean, i) => {
      let v = 0;
      for (let s = 0; s < game.S; s++) v += game.initial[s] * exact.value[i * game.S + s];
      const se = result.stdErr[i];
      return [env.possibleAgents[i], fmt(mean), fmt(se), `[${fmt(mean - 1.96 * se, 4)}, ${fmt(mean + 1.96 * se, 4)}]`, fmt(v)];
    });
    io.out(
      `rollout of ${typeof values.policy === 'string' ? values.policy : 'the uniform policy'} in ${label} (${env.kernelLabel} kernel), ` +
        `${episodes} episodes, seed ${seed}\n\n` +
        formatTable(['agent', 'mean return', 'std err', '95% interval', 'exact'], rows),
    );
    return 0;
  },
};
