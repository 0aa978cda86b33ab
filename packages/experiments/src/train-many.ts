/** `trainMany`: several learners trained on one environment definition, in one stream. */
import { inputError, type TabularGame } from '@drmg/core';
import { createTabularEnv } from '@drmg/envs';
import { Observable } from 'rxjs';
import { DEFAULT_YIELD_EVERY_MS, driveEpisodes } from './drive-episodes.ts';
import { leaseTrainEnv, type EnvLease } from './env-lease.ts';
import type { LearnerSource } from './learner-source.ts';
import type { TrainEvent } from './train-event.ts';
import { checkTrainCall, TrainingRun, type TrainEnvSource } from './training-run.ts';

/** One contestant of `trainMany`: a distinct name (put on its events) and its learner. */
export interface NamedEntry {
  readonly name: string;
  /** A factory or a registered `{ name, params }` (an instance also works, but then the stream cannot be re-run). */
  readonly learner: LearnerSource;
}

/** Options of `trainMany`: the environment definition and what `train` takes besides the learner. */
export interface TrainManyOptions {
  /**
   * A tabular game (each learner gets createTabularEnv(game)), an environment instance (each learner gets
   * its `clone()`), or a factory of fresh environment instances (e.g. `() => make(id, params)`); fresh
   * for every learner and every subscription.
   */
  readonly env: TabularGame | TrainEnvSource;
  /** The model, when the factory's environments are not TabularEnvs. */
  readonly model?: TabularGame;
  readonly episodes: number;
  readonly seed: number | string;
  readonly steps?: boolean;
  readonly policies?: boolean;
  readonly yieldEveryMs?: number;
}

/**
 * Checks the entries of trainMany / trainManyExternal: at least one, each with a non-empty name, names distinct.
 * @throws DrmgError at `where` naming the entry.
 */
export function checkEntries(entries: readonly NamedEntry[], where: string): void {
  if (!Array.isArray(entries) || entries.length === 0) inputError(where, 'expected at least one { name, learner }');
  const seen = new Set<string>();
  entries.forEach((e, n) => {
    if (typeof e.name !== 'string' || e.name === '') inputError(`${where}[${n}].name`, `expected a non-empty string, got ${JSON.stringify(e.name)}`);
    if (seen.has(e.name)) inputError(`${where}[${n}].name`, `duplicate name ${JSON.stringify(e.name)}; names tag the events and must differ`);
    seen.add(e.name);
  });
}

/**
 * The seed of learner `name` in `trainMany(..., { seed })`: `${seed}/${name}`, so that its events
 * equal those of `train({ ..., seed: entrySeed(seed, name), name })` whoever else runs.
 */
export function entrySeed(seed: number | string, name: string): string {
  return `${seed}/${name}`;
}

/**
 * Trains every entry on its own instance of the environment with its own run seed
 * entrySeed(seed, name) (episode seeds derived from it, see episode-seed.ts), and merges the events, each tagged `learner: name`: episode k of
 * every entry (in the given order), then episode k + 1. Each entry's events are exactly those it
 * would produce alone, so results never depend on which other learners run.
 * @throws DrmgError for no entries, duplicate or empty names, K < 1 or a bad seed.
 * @example trainMany([{ name: 'random', learner: { name: 'random' } }, { name: 'tv', learner: { name: 'mornavi-tv' } }], { env: game, episodes: 1000, seed: 1 })
 */
export function trainMany(entries: readonly NamedEntry[], options: TrainManyOptions): Observable<TrainEvent> {
  checkTrainCall(options.episodes, options.seed);
  checkEntries(entries, 'trainMany(entries)');
  const yieldEveryMs = options.yieldEveryMs ?? DEFAULT_YIELD_EVERY_MS;
  const envDef = options.env;
  const source: TrainEnvSource = typeof envDef === 'function' || isEnvInstance(envDef) ? envDef : () => createTabularEnv(envDef);
  return new Observable<TrainEvent>((subscriber) => {
    const runs: TrainingRun[] = [];
    const leases: EnvLease[] = [];
    const release = () => leases.forEach((l) => l.release());
    try {
      for (const e of entries) {
        const lease = leaseTrainEnv(source, 'trainMany(options.env)');
        leases.push(lease);
        runs.push(
          new TrainingRun({
            env: lease.env,
            model: options.model,
            learner: e.learner,
            episodes: options.episodes,
            seed: entrySeed(options.seed, e.name),
            steps: options.steps,
            policies: options.policies,
            name: e.name,
          }),
        );
      }
    } catch (err) {
      release();
      subscriber.error(err);
      return;
    }
    const stop = driveEpisodes(subscriber, runs, options.episodes, yieldEveryMs);
    return () => {
      stop();
      release();
    };
  });
}

/** Whether `env` is an environment instance rather than a tabular game (a game has no `reset`). */
function isEnvInstance(env: TabularGame | TrainEnvSource): env is Exclude<TrainEnvSource, () => unknown> {
  return typeof (env as { reset?: unknown }).reset === 'function';
}
