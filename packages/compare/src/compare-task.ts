/**
 * One run of `drmg compare`: one learner, one seed. A pure function of its task (the config, the
 * learner's index and plan, the seed), so it gives the same result byte for byte on the main thread or
 * on any worker thread. The pipeline is the library's own:
 *
 *   train(env, learner, K, seed) -> withRobustGap(scenario, every n and K) -> cumulativeRegret()
 *
 * then the learner's output policy is scored exactly (robust gap, robust value, nominal gap) and
 * deployed (`deployPolicy`: nominal, worst-case and random kernels of each radius).
 */
import { inputError, parsePolicy, policyToJson, type TabularGame } from '@drmg/core';
import { make, startExternalEnv } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { createLearner, getLearner, learnerContext } from '@drmg/learners';
import { cumulativeRegret, ReportedBounds, train, trainExternal, withRobustGap } from '@drmg/experiments';
import type { TrainEvent } from '@drmg/experiments';
import { compareEvalEvery, type CompareConfig } from './compare-config.ts';
import { makeScenarioEnv, rememberScenarioModel, type LearnerPlan } from './compare-scenario.ts';
import { deployPolicy, initialValues, withRadiusProfile } from './deploy-policy.ts';

/** One (learner, seed) run to do. Plain data, so that it can be posted to a worker thread. */
export interface CompareTask {
  /** The whole experiment. */
  readonly config: CompareConfig;
  /** Index of the learner in config.learners. */
  readonly learner: number;
  /** The learner's plan (scenario or twin sets; never 'skip'). */
  readonly plan: LearnerPlan;
  /** The run's seed. */
  readonly seed: number;
}

/** The deterministic figures of one run (no clock readings: see `CompareRunTiming`). */
export interface CompareRunResult {
  /** The learner's label and registered name, and the seed. */
  readonly learner: string;
  readonly name: string;
  readonly seed: number;
  /** 1-based episode counts at which the episode policy was scored exactly (n, 2n, ..., K). */
  readonly episodes: number[];
  /** Cumulative exact robust regret there: the signed sum of the gaps, unclipped (Def. 2; each gap stands for the episodes since the previous one). */
  readonly regret: number[];
  /** The exact robust gap of those episode policies, from the initial distribution. */
  readonly gap: number[];
  /**
   * Simulator calls made before each of those policies: k*H transitions of the k episodes played before it, plus the
   * learner's extra draws from the nominal kernel so far (`Learner.simulatorCalls`; DR-NVI's H*S*J*N). Absent in runs
   * of journals written before it was recorded.
   */
  readonly samples?: number[];
  /** The learner's certified bound on its output policy's gap (null when it certifies nothing; see ReportedBounds). */
  readonly certifiedGap: number | null;
  /** The learner's bound on that gap that is not a certificate (null when it gives none): never counted as certified. */
  readonly boundGap: number | null;
  /** Exact robust gap (of kind config.gapKind) of the output policy on the scenario's sets. */
  readonly outputGap: number;
  /** The output policy's robust value V^{pi, rho_i}_i on the scenario, per agent (eq. 13). */
  readonly robustValue: number[];
  /** Its gap on the nominal model (radius 0): how far it is from an equilibrium of the simulator. */
  readonly nominalGap: number;
  /** Deployment (see deployPolicy): exact nominal value per agent ... */
  readonly nominalValue: number[];
  /** ... worstCase[r][i] exact, per radius of config.radii and agent ... */
  readonly worstCase: number[][];
  /** ... and random kernels (Monte Carlo): per radius and agent, and for the team (sum over agents). */
  readonly randomMean: number[][];
  readonly randomStdErr: number[][];
  readonly randomTeamMean: number[];
  readonly randomTeamStdErr: number[];
}

/** Wall-clock figures of one run (they differ between runs; kept apart from the results). */
export interface CompareRunTiming {
  readonly learner: string;
  readonly seed: number;
  /** Milliseconds of training (with the exact gap evaluations along the way). */
  readonly trainMs: number;
  /** Milliseconds of scoring and deploying the output policy. */
  readonly deployMs: number;
  /** Episodes per second of training (K / trainMs). */
  readonly episodesPerSecond: number;
}

/** What a run returns: its results, its output policy (drmg-policy/1) and its timing. */
export interface CompareRunOutput {
  readonly result: CompareRunResult;
  readonly policy: ReturnType<typeof policyToJson>;
  readonly timing: CompareRunTiming;
}

/** One exact evaluation of a run's episode policy: the episode count, the cumulative regret and the gap there. */
export interface CompareCurvePoint {
  readonly episode: number;
  readonly regret: number;
  readonly gap: number;
  /** Simulator calls before that policy (see `CompareRunResult.samples`); absent from older runs. */
  readonly samples?: number;
}

/** Progress of a run: episodes done of K, and the latest cumulative regret. */
export interface CompareRunProgress {
  readonly episodes: number;
  readonly regret: number | undefined;
  /** The exact evaluations since the previous progress message of this run (the live dashboard's curves). */
  readonly points?: readonly CompareCurvePoint[];
  /** Who computes the run (a `drmg worker`'s host:pid on a queue; absent for this process's threads). */
  readonly worker?: string;
}

/** Hooks of `runCompareTask`. */
export interface CompareTaskHooks {
  /** Called at most every `progressEveryMs` with the progress (clock-throttled: it never changes the results). */
  readonly progress?: (p: CompareRunProgress) => void;
  readonly progressEveryMs?: number;
  /** Stops the run (the promise rejects with an AbortError). */
  readonly signal?: AbortSignal;
}

/** The model a learner is told about: the scenario's, or its twin's (same nominal model, other sets). */
function learnerModel(task: CompareTask, game: TabularGame): TabularGame {
  return task.plan.kind === 'twin' ? make(task.config.env, task.plan.envParams).model : game;
}

function abortError(): Error {
  const e = new Error('the compare run was stopped');
  e.name = 'AbortError';
  return e;
}

/**
 * Runs one (learner, seed) of a compare experiment (see the file header) and returns its deterministic
 * results, its output policy and its timing.
 * @throws DrmgError (rejects) for a learner or parameter the registry rejects; an AbortError when `signal` aborts.
 */
export async function runCompareTask(task: CompareTask, hooks: CompareTaskHooks = {}): Promise<CompareRunOutput> {
  const { config, seed } = task;
  const spec = config.learners[task.learner];
  const K = config.episodes;
  const every = compareEvalEvery(config);
  // A simulator (envCmd): this run starts its own process, trains on its samples, and scores on the model it serves.
  const simulator = config.envCmd === null ? null : await startExternalEnv(config.envCmd);
  if (simulator !== null) {
    if (simulator.model === null) {
      await simulator.close();
      inputError(`config: envCmd ${JSON.stringify(config.envCmd)}`, 'the simulator serves no model; compare needs it to score policies exactly');
    }
    rememberScenarioModel(config.envCmd!, simulator.model);
  }
  const env = makeScenarioEnv(config);
  const game = env.model;
  const def = getLearner(spec.name);
  const model = learnerModel(task, game);
  const withModel = def.needsModel === true || spec.params.rewards === 'known';
  let learner;
  try {
    learner = createLearner(spec.name, learnerContext(model, K, withModel), spec.params);
  } catch (e) {
    await simulator?.close();
    throw e;
  }

  const episodes: number[] = [];
  const regret: number[] = [];
  const gap: number[] = [];
  const samples: number[] = [];
  const H = game.H;
  const trained = learner;
  const bounds = new ReportedBounds();
  const everyMs = hooks.progressEveryMs ?? 250;
  let lastProgress = -Infinity;
  let sent = 0; // evaluations already handed to a progress message
  const fresh = (): CompareCurvePoint[] => {
    const out: CompareCurvePoint[] = [];
    for (; sent < episodes.length; sent++) out.push({ episode: episodes[sent], regret: regret[sent], gap: gap[sent], samples: samples[sent] });
    return out;
  };
  let done = 0;
  const t0 = performance.now();
  try {
    await new Promise<void>((resolve, reject) => {
      if (hooks.signal?.aborted) {
        reject(abortError());
        return;
      }
      // Only the episodes withRobustGap scores (n, 2n, ..., and K) hand out a copy of their policy table.
      const scored = (k: number): boolean => (k + 1) % every === 0 || k + 1 === K;
      const source =
        simulator === null
          ? train({ env, learner, episodes: K, seed, steps: false, policies: scored, yieldEveryMs: 30 })
          : trainExternal({ env: simulator, learner, episodes: K, seed, steps: false, policies: scored });
      const stream = source.pipe(
        withRobustGap(game, { every, kind: config.gapKind, episodes: K }),
        cumulativeRegret(),
      );
      const onAbort = (): void => {
        subscription.unsubscribe();
        reject(abortError());
      };
      const subscription = stream.subscribe({
        next(e: TrainEvent) {
          if (e.type === 'policy' && e.gap !== undefined && e.regret !== undefined) {
            episodes.push(e.k + 1);
            regret.push(e.regret);
            gap.push(e.gap);
            // The policy of episode e.k comes before that episode is played: e.k episodes of H transitions so far.
            samples.push(e.k * H + (trained.simulatorCalls?.() ?? 0));
          } else if (e.type === 'episode-end') {
            done = e.k + 1;
            bounds.update(e);
            if (hooks.progress !== undefined) {
              const t = performance.now();
              if (t - lastProgress >= everyMs) {
                lastProgress = t;
                hooks.progress({ episodes: done, regret: regret.length > 0 ? regret[regret.length - 1] : undefined, points: fresh() });
              }
            }
          }
        },
        error(err) {
          hooks.signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
        complete() {
          hooks.signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      });
      hooks.signal?.addEventListener('abort', onAbort, { once: true });
    });
  } finally {
    await simulator?.close();
  }
  const trainMs = performance.now() - t0;
  hooks.progress?.({ episodes: done, regret: regret[regret.length - 1], points: fresh() });

  // The output policy, as written to its drmg-policy/1 file and read back: the figures are those of the file.
  const t1 = performance.now();
  const policyJson = policyToJson(learner.outputPolicy(), game);
  const reported = bounds.output(learner);
  // A learner trained on a twin (other uncertainty sets than the scenario's) certifies the twin's gap, not the
  // scenario's, on which it is scored here: its bound is shown as a bound, not as a certificate of this gap.
  const twin = task.plan.kind === 'twin';
  const certifiedGap = twin ? null : reported.certifiedGap;
  const boundGap = twin ? (reported.boundGap ?? reported.certifiedGap) : reported.boundGap;
  const policy = parsePolicy(policyJson, game);
  const deviation = config.gapKind === 'gap' ? { bestResponse: true, swap: false } : { bestResponse: false, swap: true };
  const ev = createEvaluator(game).evaluate(policy, deviation);
  const nominalGame = withRadiusProfile(game, 0);
  const nominalGap = initialGap(nominalGame, createEvaluator(nominalGame).evaluate(policy, deviation), config.gapKind);
  const deployment = deployPolicy(game, policy, {
    radii: config.radii,
    randomKernels: config.randomKernels,
    rolloutEpisodes: config.rolloutEpisodes,
    seed: `${seed}/${spec.label}/deploy`,
  });
  const deployMs = performance.now() - t1;

  const result: CompareRunResult = {
    learner: spec.label,
    name: spec.name,
    seed,
    episodes,
    regret,
    gap,
    samples,
    certifiedGap,
    boundGap,
    outputGap: initialGap(game, ev, config.gapKind),
    robustValue: initialValues(game, ev.value),
    nominalGap,
    nominalValue: deployment.nominal,
    worstCase: deployment.worstCase,
    randomMean: deployment.randomMean,
    randomStdErr: deployment.randomStdErr,
    randomTeamMean: deployment.randomTeamMean,
    randomTeamStdErr: deployment.randomTeamStdErr,
  };
  const timing: CompareRunTiming = { learner: spec.label, seed, trainMs, deployMs, episodesPerSecond: (1000 * K) / Math.max(1e-9, trainMs) };
  return { result, policy: policyJson, timing };
}
