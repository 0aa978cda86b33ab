/**
 * `trainExternal`: one learner on a simulator in another process (`ExternalEnv`, docs/external-envs.md), as a cold
 * Observable of the same TrainEvents as `train`, and `runExternalTraining`, the `drmg train --env-cmd` pipeline.
 *
 * Every step is a round trip to the process, so episodes run as an async loop (one request in flight). The seeds are
 * `train`'s (episode-seed.ts): episode k resets the simulator with envSeed(e_k) and the learner acts with
 * episodeRng(e_k), so a simulator that seeds its generator with the reset seed gives reproducible runs. When the
 * simulator answers `model`, the pipeline scores policies exactly (withRobustGap, cumulativeRegret), as for built-in
 * environments; without a model it reports returns only (Monte Carlo), and says so.
 */
import { inputError, parsePolicy, policyToJson, type Policy, type TabularGame } from '@drmg/core';
import type { ExternalEnv } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import type { Learner, LearnerContext } from '@drmg/learners';
import { concat, Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { cumulativeRegret } from './cumulative-regret.ts';
import { envSeed, episodeRng, episodeSeed } from './episode-seed.ts';
import { resolveLearnerInContext, type LearnerSource } from './learner-source.ts';
import { collectRun, defaultEvalEvery, type RunSummary } from './run-training.ts';
import type { TrainEvent } from './train-event.ts';
import { checkEntries, entrySeed, type NamedEntry } from './train-many.ts';
import { checkTrainCall, copyPolicy, episodeEndEvent, policyFilter, type TrainingRunOptions } from './training-run.ts';
import { withRobustGap } from './with-robust-gap.ts';

/** Options of `trainExternal`: those of a training run (learner, episodes, seed, steps, policies, name), with a simulator as the environment. */
export interface TrainExternalOptions extends Omit<TrainingRunOptions, 'env' | 'model'> {
  /** A started simulator (one subscription at a time), or a factory that starts one per subscription and has it closed at the end. */
  readonly env: ExternalEnv | (() => Promise<ExternalEnv>);
}

/** What a learner is told about an external simulator: its declared sizes and radii; the model only when asked for. */
export function externalLearnerContext(env: ExternalEnv, episodes: number): LearnerContext {
  checkTrainCall(episodes, 0);
  const { m, S, H, A, J, layout, divergence, radius } = env.spec;
  return { m, S, H, A, J, layout, divergence, radius, episodes };
}

const busy = new WeakSet<ExternalEnv>();

/**
 * Plays episodes 0..K-1 of `learner` on the simulator and emits their events (see the file header); an instance
 * learner is trained in place. Unsubscribing stops after the current step; errors of the simulator (crash, malformed
 * answer, timeout) and of the learner arrive as the stream's error, after the events of the episodes completed.
 * @throws DrmgError at once for K < 1 or a bad seed.
 * @example trainExternal({ env: await startExternalEnv('python3 sim.py'), learner: { name: 'mornavi-tv' }, episodes: 100, seed: 1 })
 */
export function trainExternal(options: TrainExternalOptions): Observable<TrainEvent> {
  checkTrainCall(options.episodes, options.seed);
  return new Observable<TrainEvent>((sub) => {
    let stopped = false;
    let env: ExternalEnv | null = null;
    let owned = false;
    const run = async (): Promise<void> => {
      if (typeof options.env === 'function') {
        env = await options.env();
        owned = true;
      } else {
        env = options.env;
        if (busy.has(env)) inputError('trainExternal(options.env)', `the simulator ${JSON.stringify(env.command)} is already training another stream: pass a factory () => startExternalEnv(command) to run several at once`);
      }
      busy.add(env);
      const learner = resolveLearnerInContext(options.learner, externalLearnerContext(env, options.episodes), env.model);
      const { S, H, J, m } = env.spec;
      const name = options.name;
      const steps = options.steps ?? true;
      const policies = policyFilter(options.policies, 'trainExternal(options.policies)');
      const returns = new Float64Array(m);
      for (let k = 0; k < options.episodes; k++) {
        const policy: Policy = learner.beginEpisode(k);
        if (policy.H !== H || policy.S !== S) inputError(`${learner.name}.beginEpisode(${k})`, `policy has H = ${policy.H}, S = ${policy.S}; expected the simulator's H = ${H}, S = ${S}`);
        const e = episodeSeed(options.seed, k);
        const rng = episodeRng(e);
        let s = await env.resetState(envSeed(e));
        if (stopped) return;
        sub.next(name === undefined ? { type: 'episode-start', k, s1: s } : { type: 'episode-start', learner: name, k, s1: s });
        if (policies(k)) sub.next(name === undefined ? { type: 'policy', k, policy: copyPolicy(policy) } : { type: 'policy', learner: name, k, policy: copyPolicy(policy) });
        returns.fill(0);
        for (let h = 0; h < H; h++) {
          const j = learner.act(h, s, rng);
          if (!(Number.isInteger(j) && j >= 0 && j < J)) inputError(`${learner.name}.act`, `expected a joint action index in [0, ${J - 1}], got ${j}`);
          const out = await env.stepJoint(j);
          if (stopped) return;
          learner.observe(h, s, j, out.rewards, out.state);
          for (let i = 0; i < m; i++) returns[i] += out.rewards[i];
          if (steps) {
            const r = Array.from(out.rewards);
            sub.next(name === undefined ? { type: 'step', k, h, s, j, rewards: r, sp: out.state } : { type: 'step', learner: name, k, h, s, j, rewards: r, sp: out.state });
          }
          s = out.state;
        }
        sub.next(episodeEndEvent(name, k, returns, learner.endEpisode(k)));
      }
    };
    run().then(
      () => {
        release().then(() => sub.complete(), (e: unknown) => sub.error(e));
      },
      (e: unknown) => {
        release().then(() => sub.error(e), () => sub.error(e));
      },
    );
    const release = async (): Promise<void> => {
      if (env === null) return;
      busy.delete(env);
      if (owned) await env.close();
    };
    return () => {
      stopped = true;
    };
  });
}

/**
 * `trainMany` on a simulator: every entry trains on its own process (from `start`), with its own run seed
 * entrySeed(seed, name), its events tagged with its name; entries run one after another (a step is a round trip,
 * so lockstep would only add waiting), and each entry's events equal those of `trainExternal` alone.
 * @throws DrmgError for no entries, duplicate or empty names, K < 1 or a bad seed.
 * @example trainManyExternal([{ name: 'tv', learner: { name: 'mornavi-tv' } }], () => startExternalEnv(cmd), { episodes: 100, seed: 1 })
 */
export function trainManyExternal(
  entries: readonly NamedEntry[],
  start: () => Promise<ExternalEnv>,
  options: { readonly episodes: number; readonly seed: number | string; readonly steps?: boolean; readonly policies?: boolean | ((k: number) => boolean) },
): Observable<TrainEvent> {
  checkTrainCall(options.episodes, options.seed);
  checkEntries(entries, 'trainManyExternal(entries)');
  return concat(...entries.map((e) => trainExternal({ ...options, env: start, learner: e.learner, seed: entrySeed(options.seed, e.name), name: e.name })));
}

/** Options of `runExternalTraining`. */
export interface RunExternalTrainingOptions {
  readonly env: ExternalEnv;
  readonly learner: LearnerSource;
  readonly episodes: number;
  readonly seed: number | string;
  /** Evaluate every n-th episode's policy exactly (and the last), when the simulator gives a model; default ceil(K/100). */
  readonly evalEvery?: number;
  readonly gapKind?: 'gap' | 'ceGap';
  readonly steps?: boolean;
  /** Operators applied after the gap and regret (progress bar, JSON-lines file). */
  readonly operators?: readonly MonoTypeOperatorFunction<TrainEvent>[];
}

/** A run on a simulator: the exact summary when it gave a model, and the Monte Carlo returns in any case. */
export interface ExternalRunSummary {
  /** The exact summary (regret, gaps, output policy and its gap), or null when the simulator gave no model. */
  readonly exact: RunSummary | null;
  readonly learner: Learner;
  readonly K: number;
  /** Mean return of each agent over the K episodes (Monte Carlo under the simulator's own dynamics). */
  readonly meanReturns: number[];
  /** Their standard errors. */
  readonly returnErrors: number[];
  /** The learner's bounds on its output policy's gap, as `runTraining` reports them. */
  readonly certifiedGap: number | null;
  readonly boundGap: number | null;
  readonly elapsedMs: number;
}

/**
 * `drmg train --env-cmd`: trainExternal -> (with a model: withRobustGap every n, and K -> cumulativeRegret) -> operators,
 * to completion. With a model the exact part equals `runTraining`'s summary for the same model.
 * @throws DrmgError (rejects) for bad options and whatever the stream errors with (the simulator's failures included).
 */
export async function runExternalTraining(options: RunExternalTrainingOptions): Promise<ExternalRunSummary> {
  const { env } = options;
  const K = options.episodes;
  const game: TabularGame | null = env.model;
  const evalEvery = options.evalEvery ?? defaultEvalEvery(K);
  const gapKind = options.gapKind ?? 'gap';
  const learner = resolveLearnerInContext(options.learner, externalLearnerContext(env, K), game);
  const t0 = performance.now();
  let stream = trainExternal({ env, learner, episodes: K, seed: options.seed, steps: options.steps ?? false });
  if (game !== null) stream = stream.pipe(withRobustGap(game, { every: evalEvery, kind: gapKind, episodes: K }), cumulativeRegret());
  for (const op of options.operators ?? []) stream = stream.pipe(op);
  const { episodes, regret, gaps, bounds, returnSum, returnSumSq } = await collectRun(stream);
  const elapsedMs = performance.now() - t0;
  const meanReturns = Array.from({ length: env.spec.m }, (_, i) => (returnSum[i] ?? 0) / K);
  const returnErrors = meanReturns.map((mean, i) => (K > 1 ? Math.sqrt(Math.max(0, (returnSumSq[i] ?? 0) / K - mean * mean) / (K - 1)) : 0));
  const { certifiedGap, boundGap } = bounds.output(learner);
  let exact: RunSummary | null = null;
  if (game !== null) {
    const policy = parsePolicy(policyToJson(learner.outputPolicy(), game), game);
    const ev = createEvaluator(game).evaluate(policy, gapKind === 'gap' ? { bestResponse: true, swap: false } : { bestResponse: false, swap: true });
    exact = { game, learner, gapKind, K, evalEvery, episodes, regret, gaps, certifiedGap, boundGap, policy, gap: initialGap(game, ev, gapKind), elapsedMs };
  }
  return { exact, learner, K, meanReturns, returnErrors, certifiedGap, boundGap, elapsedMs };
}
