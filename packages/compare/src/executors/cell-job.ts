/**
 * A cell as a queue job: plain data, never code. A job carries the cell's hash, the drmg version of the coordinator,
 * and the part of the experiment the cell needs: a registered environment id and its parameters, or the game
 * document itself (drmg-game/1 text: never a path on the worker's machine), or a simulator command (`envCmd`); one
 * learner (registered name, label, parameters), one seed, and the evaluation settings. It carries no modules: a
 * worker runs only the environments and learners it knows, the built-in ones and those of the modules it was
 * started with (`drmg worker --module FILE`).
 *
 * The worker checks a job as it checks a config file (`resolveCellJob`: the same validation, located at
 * `job <id>: ...`), and refuses, on that cell only: another drmg version, an unknown environment or learner, a bad
 * parameter, a malformed game, and a simulator command unless the worker was started with `--allow-env-cmd` (a
 * worker that allows it runs the command line a job gives it, as the coordinator's user wrote it).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DrmgError, inputError } from '@drmg/core';
import { hasEnv } from '@drmg/envs';
import { sha256, type CompareCell } from '../compare-cell.ts';
import type { CompareConfig } from '../compare-config.ts';
import { resolveCompareConfig } from '../resolve-compare-config.ts';
import { drmgVersions } from '../compare-files.ts';
import { loadScenarioModel, makeScenarioEnv, planLearner } from '../compare-scenario.ts';
import type { CompareTask } from '../compare-task.ts';

/** Format tag of a job's data. */
export const CELL_JOB_FORMAT = 'drmg-cell-job/1';

/** The data of a cell's job (see the file header). */
export interface CellJobData {
  readonly format: typeof CELL_JOB_FORMAT;
  /** @drmg/compare version of the coordinator: a worker of another version refuses the job (results could differ). */
  readonly drmg: string;
  readonly hash: string;
  /** A compare config of this one cell: one learner, one seed, no modules; `env` a registered id, or absent with `game`. */
  readonly experiment: Readonly<Record<string, unknown>>;
  /** The drmg-game/1 document of a game-file scenario, as text (null otherwise). */
  readonly game: string | null;
}

/** The version a job carries and a worker compares. */
export function drmgVersion(): string {
  return drmgVersions()['@drmg/compare'] ?? 'unknown';
}

/** The job data of `cell` (see the file header); `gameText` is the game file's text for a game-file scenario. */
export function cellJobData(cell: CompareCell, gameText: string | null): CellJobData {
  const c: CompareConfig = cell.task.config;
  const experiment: Record<string, unknown> = {
    envParams: c.envParams,
    learners: [c.learners[cell.task.learner]],
    seeds: [cell.seed],
    episodes: c.episodes,
    evalPoints: c.evalPoints,
    gapKind: c.gapKind,
    radii: c.radii,
    randomKernels: c.randomKernels,
    rolloutEpisodes: c.rolloutEpisodes,
  };
  if (c.envCmd !== null) experiment.envCmd = c.envCmd;
  else if (gameText === null) experiment.env = c.env;
  return { format: CELL_JOB_FORMAT, drmg: drmgVersion(), hash: cell.hash, experiment, game: c.envCmd === null && gameText !== null ? gameText : null };
}

/** The text of a game-file scenario (null for a registered environment or a simulator). */
export function scenarioGameText(config: CompareConfig): string | null {
  if (config.envCmd !== null || hasEnv(config.env)) return null;
  try {
    return readFileSync(config.env, 'utf8');
  } catch (e) {
    return inputError('config: env', `cannot read the game file ${config.env}: ${(e as Error).message}`);
  }
}

/** What a worker runs for a job. */
export interface ResolvedCellJob {
  readonly hash: string;
  readonly task: CompareTask;
  readonly learner: string;
  readonly seed: number;
}

/** How a worker checks jobs. */
export interface ResolveCellJobOptions {
  /** The job's id, for error paths. */
  readonly jobId: string;
  /** The worker's own modules (file URLs): the task's threads import them. */
  readonly modules: readonly string[];
  /** Run simulator commands (envCmd) that jobs give. */
  readonly allowEnvCmd: boolean;
  /** A private folder of the worker where game documents are kept (by their hash) for the threads to read. */
  readonly gameDir: string;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Checks a job's data and makes the task it stands for (see the file header).
 * @throws DrmgError ('input') at `job <id>` for anything the worker refuses.
 */
export async function resolveCellJob(data: unknown, options: ResolveCellJobOptions): Promise<ResolvedCellJob> {
  const where = `job ${options.jobId}`;
  if (!isRecord(data) || data.format !== CELL_JOB_FORMAT) inputError(where, `expected a ${CELL_JOB_FORMAT} job from drmg compare --backend bullmq, got ${JSON.stringify(data).slice(0, 120)}`);
  if (data.drmg !== drmgVersion()) inputError(where, `made by drmg ${JSON.stringify(data.drmg)}, and this worker runs drmg ${drmgVersion()}: results could differ; run workers of the coordinator's version`);
  if (typeof data.hash !== 'string' || !/^[0-9a-f]{64}$/.test(data.hash)) inputError(`${where}: hash`, `expected a SHA-256 in hex, got ${JSON.stringify(data.hash)}`);
  const experiment = data.experiment;
  if (!isRecord(experiment)) inputError(`${where}: experiment`, 'expected an object');
  // Jobs carry data only: no module to load, no path to read on this machine.
  if ('modules' in experiment) inputError(`${where}: experiment.modules`, 'a job carries no modules; a worker runs the environments and learners of the modules it was started with (drmg worker --module FILE)');
  if ('out' in experiment || 'workers' in experiment) inputError(`${where}: experiment`, 'a job carries no run options (out, workers)');
  const input: Record<string, unknown> = { ...experiment, modules: [] };
  if (typeof data.game === 'string') {
    if ('env' in experiment || 'envCmd' in experiment) inputError(`${where}: game`, 'a job carries either a game or an environment, not both');
    const file = join(options.gameDir, `${sha256(data.game)}.json`);
    try {
      // Named by its hash: written once (temporary name, then rename), so that a thread never reads half of it.
      if (!existsSync(file)) {
        mkdirSync(options.gameDir, { recursive: true });
        writeFileSync(`${file}.tmp-${process.pid}`, data.game);
        renameSync(`${file}.tmp-${process.pid}`, file);
      }
    } catch (e) {
      throw new DrmgError('internal', file, `cannot keep the job's game document: ${(e as Error).message}`);
    }
    input.env = file;
  } else if (data.game !== null && data.game !== undefined) {
    inputError(`${where}: game`, 'expected a drmg-game/1 document as text, or null');
  } else if (experiment.envCmd !== undefined && experiment.envCmd !== null) {
    if (!options.allowEnvCmd) {
      inputError(`${where}: envCmd`, `this worker does not start simulator commands (the job asks for ${JSON.stringify(experiment.envCmd)}); start it with drmg worker --allow-env-cmd to run them`);
    }
  } else if (typeof experiment.env !== 'string' || !hasEnv(experiment.env)) {
    inputError(`${where}: env`, `${JSON.stringify(experiment.env)} is not an environment this worker knows (built-in, or registered by a module given to drmg worker --module)`);
  }
  let config = resolveCompareConfig(input, { source: where });
  if (config.learners.length !== 1 || config.seeds.length !== 1) inputError(`${where}: experiment`, 'expected exactly one learner and one seed');
  config = { ...config, modules: [...options.modules] };
  await loadScenarioModel(config);
  const spec = config.learners[0];
  const plan = planLearner(config, makeScenarioEnv(config).model, spec.name);
  if (plan.kind === 'skip') inputError(`${where}: experiment.learners[0]`, `cannot run here: ${plan.reason}`);
  return { hash: data.hash, task: { config, learner: 0, plan, seed: config.seeds[0] }, learner: spec.label, seed: config.seeds[0] };
}
