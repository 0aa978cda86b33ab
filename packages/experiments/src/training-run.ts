/**
 * One learner interacting with one environment, episode by episode, emitting TrainEvents: the
 * synchronous kernel under `train` and `trainMany` (which only decide when to run episodes).
 *
 * Randomness (episode-seed.ts): episode k's seed e_k is derived from the run seed and k alone.
 * Every episode resets the environment with its own seed envSeed(e_k), and the learner acts with
 * its own generator episodeRng(e_k) (whose `agent(i)` gives agent i a generator of its own). So
 * the seed fixes the whole event stream; episode k's draws do not depend on earlier episodes, so
 * episode k replays alone from the learner's state at k (`episode(k, sink)` on a fresh run); and
 * the lean path and the object path of a TabularEnv give the same stream (they consume the
 * environment's draws alike).
 *
 * Environment paths: a TabularEnv (or tabular wrapper, see isTabularEnv) is driven through its lean
 * index API (`resetState`, and `stepIndex(j, rewards)` writing into a reused buffer: no allocation per
 * step); any other ParallelEnv through `reset` / `step` with per-agent action records, its
 * observations read as the state index (`obs.state`, or the observation itself when it is a number)
 * of the given model.
 */
import { inputError, type Policy, type TabularGame, describeValue, MAX_EPISODES } from '@drmg/core';
import { isTabularEnv, type AgentRecord, type ParallelEnv, type TabularEnv } from '@drmg/envs';
import type { EpisodeReport, Learner } from '@drmg/learners';
import { envSeed, episodeRng, episodeSeed } from './episode-seed.ts';
import { resolveLearner, type LearnerSource } from './learner-source.ts';
import type { TrainEvent } from './train-event.ts';

// The derivation of episode and agent seeds is part of a run's contract: exported with it.
export { agentSeed, envSeed, episodeRng, episodeSeed, type EpisodeRng } from './episode-seed.ts';

/** Any synchronous environment whose actions are integers (a TabularEnv or another ParallelEnv). */
export type TrainEnv = ParallelEnv<any, number, any>;

/**
 * How `train` and `trainMany` are given the environment: an instance (every subscription trains on its
 * own copy, `clone()`; an instance without `clone()` serves one subscription at a time) or a factory
 * `() => env` of fresh instances (called once per subscription).
 */
export type TrainEnvSource = TrainEnv | (() => TrainEnv);

/** What a training run needs. */
export interface TrainingRunOptions {
  /** The environment (this run's own instance: the run resets and steps it; `train` hands every run its own). */
  readonly env: TrainEnv;
  /** The tabular model the learner is told about and policies are evaluated on; default: `env.model` of a TabularEnv. */
  readonly model?: TabularGame;
  readonly learner: LearnerSource;
  /** K >= 1. */
  readonly episodes: number;
  readonly seed: number | string;
  /** Emit `step` events (default true; they dominate the stream's volume). */
  readonly steps?: boolean;
  /**
   * Emit `policy` events: true (default) for every episode, false for none, or a predicate of the 0-based episode
   * index (compare asks only for the episodes it scores, so the other episodes copy no policy table).
   */
  readonly policies?: boolean | ((k: number) => boolean);
  /** A learner name put on every event (trainMany sets it). */
  readonly name?: string;
}

/**
 * The episodes whose `policy` events a run emits, from the `policies` option (true, false or a predicate of k).
 * @throws DrmgError ('input') at `where` for anything else.
 */
export function policyFilter(policies: boolean | ((k: number) => boolean) | undefined, where: string): (k: number) => boolean {
  if (policies === undefined || policies === true) return () => true;
  if (policies === false) return () => false;
  if (typeof policies === 'function') return policies;
  return inputError(where, `expected true, false or a function of the episode index k, got ${describeValue(policies)}`);
}

/** Where a run's events go: `next` for each event, `closed` checked after each so that unsubscribing stops the run. */
export interface EventSink {
  next(e: TrainEvent): void;
  readonly closed: boolean;
}

/** A deep copy of a policy, so that an event's policy never changes when the learner reuses its buffers. */
export function copyPolicy(policy: Policy): Policy {
  if (policy.kind === 'joint') return { kind: 'joint', H: policy.H, S: policy.S, J: policy.J, prob: policy.prob.slice() };
  return { kind: 'product', H: policy.H, S: policy.S, A: [...policy.A], marginals: policy.marginals.map((x) => x.slice()) };
}

/**
 * The model of a training environment: `model` when given (it must fit the environment), else the TabularEnv's own.
 * @throws DrmgError when neither is available or the sizes differ.
 */
export function trainModel(env: TrainEnv, model?: TabularGame): TabularGame {
  const own = isTabularEnv(env) ? env.model : (env as { model?: TabularGame }).model;
  const game = model ?? own;
  if (game === undefined) inputError('train(options.model)', 'the environment is not a TabularEnv: pass its tabular model as options.model');
  if (own !== undefined && (own.S !== game.S || own.J !== game.J)) {
    inputError('train(options.model)', `expected the environment's sizes S = ${own.S}, J = ${own.J}, got S = ${game.S}, J = ${game.J}`);
  }
  if (env.horizon !== game.H) inputError('train(options.env).horizon', `expected the model's horizon H = ${game.H}, got ${env.horizon}`);
  if (env.possibleAgents.length !== game.m) inputError('train(options.env).possibleAgents', `expected ${game.m} agents (the model's), got ${env.possibleAgents.length}`);
  return game;
}

/**
 * Checks K and the seed of a training call.
 * @throws DrmgError when K is not an integer in [1, MAX_EPISODES] or the seed is not a finite number or a string.
 */
export function checkTrainCall(episodes: unknown, seed: unknown): void {
  if (typeof episodes !== 'number' || !Number.isSafeInteger(episodes) || episodes < 1) {
    inputError('train(options.episodes)', `expected an integer >= 1, got ${describeValue(episodes)}`);
  }
  if (episodes > MAX_EPISODES) inputError('train(options.episodes)', `expected an integer in [1, ${MAX_EPISODES}] (its upper bound), got ${episodes}`);
  if (!(typeof seed === 'string' || (typeof seed === 'number' && Number.isFinite(seed)))) {
    inputError('train(options.seed)', `expected a finite number or a string, got ${describeValue(seed)}`);
  }
}

/**
 * The episode-end event of episode k: the returns and the learner's report, each bound under the name the learner gave
 * it (only a certifiedGap is a certificate); tagged with `name` when given (trainMany).
 */
export function episodeEndEvent(name: string | undefined, k: number, returns: Float64Array, report: EpisodeReport | undefined | null): TrainEvent {
  const end: { type: 'episode-end'; learner?: string; k: number; returns: number[]; certifiedGap?: number; boundGap?: number } =
    name === undefined ? { type: 'episode-end', k, returns: Array.from(returns) } : { type: 'episode-end', learner: name, k, returns: Array.from(returns) };
  if (report !== undefined && report !== null) {
    if (typeof report.certifiedGap === 'number') end.certifiedGap = report.certifiedGap;
    if (typeof report.boundGap === 'number') end.boundGap = report.boundGap;
  }
  return end;
}

/** One learner on one environment: `episode(k, sink)` plays episode k and emits its events. */
export class TrainingRun {
  readonly model: TabularGame;
  readonly learner: Learner;
  readonly episodes: number;
  private readonly env: TrainEnv;
  private readonly lean: TabularEnv | null;
  private readonly seed: number | string;
  private readonly steps: boolean;
  private readonly policies: (k: number) => boolean;
  private readonly name: string | undefined;
  private readonly rewards: Float64Array;
  private readonly returns: Float64Array;

  /** @throws DrmgError for bad options (see trainModel, checkTrainCall, resolveLearner). */
  constructor(options: TrainingRunOptions) {
    checkTrainCall(options.episodes, options.seed);
    this.env = options.env;
    this.model = trainModel(options.env, options.model);
    this.episodes = options.episodes;
    this.lean = isTabularEnv(options.env) ? options.env : null;
    this.seed = options.seed;
    this.learner = resolveLearner(options.learner, this.model, options.episodes);
    this.steps = options.steps ?? true;
    this.policies = policyFilter(options.policies, 'train(options.policies)');
    this.name = options.name;
    this.rewards = new Float64Array(this.model.m);
    this.returns = new Float64Array(this.model.m);
  }

  /**
   * Plays episode k (0-based): beginEpisode, H steps of act / env step / observe, endEpisode; emits
   * episode-start, policy, step x H, episode-end (with the report's certifiedGap and / or boundGap). Stops as soon as `sink.closed` after an emission.
   * The environment is reset with envSeed(e_k) and the learner acts with episodeRng(e_k) (e_k = episodeSeed(seed, k)),
   * so the episode's events depend only on (seed, k) and the learner's state: any k may be played alone.
   * @throws DrmgError when the learner's policy does not fit the model or the environment rejects an action.
   * @example const events: TrainEvent[] = []; new TrainingRun({ env, learner: { name: 'random' }, episodes: K, seed: 1 }).episode(7, { next: (e) => events.push(e), closed: false });
   */
  episode(k: number, sink: EventSink): void {
    const { learner, model, rewards, returns, name } = this;
    const H = model.H;
    const m = model.m;
    const policy = learner.beginEpisode(k);
    if (policy.H !== H || policy.S !== model.S) {
      inputError(`${learner.name}.beginEpisode(${k})`, `policy has H = ${policy.H}, S = ${policy.S}; expected the model's H = ${H}, S = ${model.S}`);
    }
    const e = episodeSeed(this.seed, k);
    const rng = episodeRng(e);
    const seed = envSeed(e);
    let s = this.lean !== null ? this.lean.resetState(seed) : this.resetObject(seed);
    sink.next(name === undefined ? { type: 'episode-start', k, s1: s } : { type: 'episode-start', learner: name, k, s1: s });
    if (sink.closed) return;
    if (this.policies(k)) {
      const snapshot = copyPolicy(policy);
      sink.next(name === undefined ? { type: 'policy', k, policy: snapshot } : { type: 'policy', learner: name, k, policy: snapshot });
      if (sink.closed) return;
    }
    returns.fill(0);
    for (let h = 0; h < H; h++) {
      const j = learner.act(h, s, rng);
      const sp = this.lean !== null ? this.lean.stepIndex(j, rewards) : this.stepObject(j);
      learner.observe(h, s, j, rewards, sp);
      for (let i = 0; i < m; i++) returns[i] += rewards[i];
      if (this.steps) {
        const r = Array.from(rewards);
        sink.next(name === undefined ? { type: 'step', k, h, s, j, rewards: r, sp } : { type: 'step', learner: name, k, h, s, j, rewards: r, sp });
        if (sink.closed) return;
      }
      s = sp;
    }
    sink.next(episodeEndEvent(name, k, returns, learner.endEpisode(k)));
  }

  private resetObject(seed: number): number {
    const { observations } = this.env.reset({ seed });
    return this.stateOf(observations, 'reset');
  }

  private stepObject(j: number): number {
    const { env, model, rewards } = this;
    const m = model.m;
    if (!Number.isInteger(j) || j < 0 || j >= model.J) inputError(`${this.learner.name}.act`, `expected a joint action index in [0, ${model.J - 1}], got ${j}`);
    const actions: Record<string, number> = {};
    for (let i = 0; i < m; i++) actions[env.possibleAgents[i]] = model.layout.actionOf[j * m + i];
    const result = env.step(actions);
    for (let i = 0; i < m; i++) rewards[i] = result.rewards[env.possibleAgents[i]] ?? 0;
    return this.stateOf(result.observations, 'step');
  }

  private stateOf(observations: AgentRecord<unknown>, where: string): number {
    const obs = observations[this.env.possibleAgents[0]];
    const s = typeof obs === 'number' ? obs : (obs as { state?: unknown } | undefined)?.state;
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0 || s >= this.model.S) {
      inputError(`train(options.env).${where}`, `expected an observation that is a state index in [0, ${this.model.S - 1}] or { state }, got ${JSON.stringify(obs)}`);
    }
    return s;
  }
}
