/**
 * The multi-agent environment API: PettingZoo's parallel API in TypeScript, synchronous
 * (`ParallelEnv`) and asynchronous (`AsyncParallelEnv`, for real systems and other processes).
 *
 * One episode: `reset({ seed })`, then `step(actions)` until every agent is terminated or
 * truncated (finite-horizon games truncate at step H); `agents` lists the agents still acting.
 */
import type { Space } from './spaces/space.ts';

/** An agent's name, e.g. `agent_0`. */
export type AgentId = string;

/** Per-agent values keyed by agent name (PettingZoo's dicts). */
export type AgentRecord<T> = Readonly<Record<AgentId, T>>;

/** Arguments of `reset`: `seed` reseeds the environment's generator; `options` are environment-specific. */
export interface ResetArgs {
  /** Reseeds the generator: the same seed gives the same episode for the same actions. */
  readonly seed?: number | string;
  /** Environment-specific options (tabular environments accept `{ initialState: s }`). */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** What `reset` returns: the first observation and info of every agent. */
export interface ResetResult<O, I = unknown> {
  readonly observations: AgentRecord<O>;
  readonly infos: AgentRecord<I>;
}

/** What `step` returns (PettingZoo's 5-tuple as an object). */
export interface StepResult<O, I = unknown> {
  readonly observations: AgentRecord<O>;
  readonly rewards: AgentRecord<number>;
  /** True when the agent reached a terminal state of the game. */
  readonly terminations: AgentRecord<boolean>;
  /** True when the episode was cut off (at the horizon H). */
  readonly truncations: AgentRecord<boolean>;
  readonly infos: AgentRecord<I>;
}

/** Static facts about an environment (Gymnasium's `metadata`). */
export interface EnvMetadata {
  /** The registered id (e.g. `bridge-crossing-v0`), when made through the registry. */
  readonly id?: string;
  /** Render modes this environment supports. */
  readonly renderModes: readonly string[];
}

/** A synchronous multi-agent environment in PettingZoo's parallel API. */
export interface ParallelEnv<O = unknown, A = number, I = unknown> {
  readonly metadata: EnvMetadata;
  /** Every agent that can ever act, in agent-index order. */
  readonly possibleAgents: readonly AgentId[];
  /** The agents acting now (empty before `reset` and after the episode ends). */
  readonly agents: readonly AgentId[];
  /** The number of steps after which an episode is truncated. */
  readonly horizon: number;
  /** The space of `agent`'s observations. */
  observationSpace(agent: AgentId): Space<O>;
  /** The space of `agent`'s actions. */
  actionSpace(agent: AgentId): Space<A>;
  /** Starts an episode (reseeding when `seed` is given). */
  reset(args?: ResetArgs): ResetResult<O, I>;
  /** Applies one action per acting agent. */
  step(actions: AgentRecord<A>): StepResult<O, I>;
  /** A text picture of the current state (with ANSI colours in `ansi` mode). */
  render(): string;
  /** Releases resources; the environment is not used afterwards. */
  close(): void;
  /**
   * An independent copy (same definition, its own generator and episode state, as if just made), for
   * environments that can make one; `train` gives every subscription a copy of an environment that has it.
   */
  clone?(): ParallelEnv<O, A, I>;
}

/** The asynchronous flavour: `reset` and `step` return Promises (environments that are real systems). */
export interface AsyncParallelEnv<O = unknown, A = number, I = unknown> {
  readonly metadata: EnvMetadata;
  readonly possibleAgents: readonly AgentId[];
  readonly agents: readonly AgentId[];
  readonly horizon: number;
  observationSpace(agent: AgentId): Space<O>;
  actionSpace(agent: AgentId): Space<A>;
  reset(args?: ResetArgs): Promise<ResetResult<O, I>>;
  step(actions: AgentRecord<A>): Promise<StepResult<O, I>>;
  render(): Promise<string> | string;
  close(): Promise<void> | void;
}

/** Either flavour; a loop written with `await` runs both (see `runEpisode`). */
export type AnyParallelEnv<O = unknown, A = number, I = unknown> = ParallelEnv<O, A, I> | AsyncParallelEnv<O, A, I>;
