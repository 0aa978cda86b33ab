/**
 * The scenario of a compare config: its environment (a registered id with parameters, or a game file),
 * and which uncertainty model each learner is trained with. A robust learner built for one divergence
 * (MORNAVI-TV for TV sets, MORNAVI-KL for KL sets) cannot run on a game of the other divergence; on such
 * a scenario it is trained with the environment's *twin* of its own divergence (the same environment made
 * with `divergence=<its divergence>`, which the built-in failure-state environments offer: same nominal
 * kernel and rewards, the environment's own sets of that divergence) and, like every learner, scored on the
 * scenario's sets. Where no twin exists (a game file, or an environment without a `divergence` parameter),
 * the learner is skipped, with the reason in the report.
 */
import { DrmgError, readGameFile, type TabularGame, inputError } from '@drmg/core';
import { createTabularEnv, envSpec, hasEnv, make, startExternalEnv, type TabularEnv } from '@drmg/envs';
import type { CompareConfig, ParamValue } from './compare-config.ts';

/** Models served by simulators (`envCmd`), by command: loaded once per thread by `loadScenarioModel`. */
const simulatorModels = new Map<string, TabularGame>();

/**
 * Starts the simulator of an `envCmd` config once, reads the model it serves and keeps it for `makeScenarioEnv` (no-op
 * for other configs, or when already loaded in this thread).
 * @throws DrmgError when the simulator fails or serves no model (compare scores every policy exactly, on that model).
 */
export async function loadScenarioModel(config: Pick<CompareConfig, 'envCmd'>): Promise<void> {
  const cmd = config.envCmd;
  if (cmd === null || simulatorModels.has(cmd)) return;
  const env = await startExternalEnv(cmd);
  try {
    if (env.model === null) {
      inputError(`config: envCmd ${JSON.stringify(cmd)}`, 'the simulator serves no model; compare scores every policy exactly and needs it (answer "model" with a drmg-game/1 document, or use drmg train --env-cmd for Monte Carlo returns)');
    }
    simulatorModels.set(cmd, env.model);
  } finally {
    await env.close();
  }
}

/** Records the model a simulator served in this thread (a worker that started its own process). */
export function rememberScenarioModel(cmd: string, model: TabularGame): void {
  simulatorModels.set(cmd, model);
}

/** The divergence a built-in robust learner is built for (undefined: it runs on any game). */
export function learnerDivergence(name: string): 'tv' | 'kl' | undefined {
  return name === 'mornavi-tv' ? 'tv' : name === 'mornavi-kl' ? 'kl' : undefined;
}

/** A fresh environment instance of the scenario (a registered environment, or a game file's). */
export function makeScenarioEnv(config: Pick<CompareConfig, 'env' | 'envParams' | 'envCmd'>): TabularEnv {
  if (config.envCmd !== null) {
    const model = simulatorModels.get(config.envCmd);
    if (model === undefined) throw new DrmgError('internal', 'makeScenarioEnv', `the model of the simulator ${JSON.stringify(config.envCmd)} is not loaded: await loadScenarioModel(config) first`);
    return createTabularEnv(model);
  }
  return hasEnv(config.env) ? make(config.env, config.envParams) : createTabularEnv(readGameFile(config.env));
}

/** How a learner of the config takes part: with the scenario's sets, with a twin's, or not at all. */
export type LearnerPlan =
  | { readonly kind: 'scenario' }
  | { readonly kind: 'twin'; readonly envParams: Readonly<Record<string, ParamValue>>; readonly divergence: 'tv' | 'kl' }
  | { readonly kind: 'skip'; readonly reason: string };

function sameKernelAndRewards(a: TabularGame, b: TabularGame): boolean {
  if (a.S !== b.S || a.H !== b.H || a.J !== b.J || a.m !== b.m) return false;
  const eq = (x: ArrayLike<number>, y: ArrayLike<number>) => x.length === y.length && Array.prototype.every.call(x, (v: number, k: number) => v === y[k]);
  return eq(a.reward, b.reward) && eq(a.initial, b.initial) && eq(a.kernel.rowStart, b.kernel.rowStart) && eq(a.kernel.next, b.kernel.next) && eq(a.kernel.prob, b.kernel.prob);
}

/**
 * The plan of the learner `name` on the scenario (see the file header).
 */
export function planLearner(config: Pick<CompareConfig, 'env' | 'envParams' | 'envCmd'>, game: TabularGame, name: string): LearnerPlan {
  const wanted = learnerDivergence(name);
  if (wanted === undefined || wanted === game.divergence) return { kind: 'scenario' };
  const why = `${name} needs ${wanted.toUpperCase()} uncertainty sets and the scenario's are ${game.divergence.toUpperCase()}`;
  if (config.envCmd !== null) return { kind: 'skip', reason: `${why}; a simulator has no ${wanted.toUpperCase()} twin` };
  if (!hasEnv(config.env)) return { kind: 'skip', reason: `${why}; a game file has no ${wanted.toUpperCase()} twin` };
  const p = envSpec(config.env).params.divergence;
  if (p === undefined || p.type !== 'enum' || !p.values.includes(wanted)) {
    return { kind: 'skip', reason: `${why}; ${config.env} has no divergence=${wanted} parameter to make its ${wanted.toUpperCase()} twin` };
  }
  const envParams = { ...config.envParams, divergence: wanted };
  const twin = make(config.env, envParams).model;
  if (!sameKernelAndRewards(game, twin)) return { kind: 'skip', reason: `${why}; the ${wanted.toUpperCase()} twin of ${config.env} changes the nominal model` };
  return { kind: 'twin', envParams, divergence: wanted };
}

/** A one-line description of what a plan trains with, for reports. */
export function describePlan(plan: LearnerPlan): string {
  switch (plan.kind) {
    case 'scenario':
      return 'scenario sets';
    case 'twin':
      return `${plan.divergence.toUpperCase()} twin (divergence=${plan.divergence})`;
    default:
      return `skipped: ${plan.reason}`;
  }
}
