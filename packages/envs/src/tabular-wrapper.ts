/**
 * `TabularWrapper`: the base of wrappers that change a tabular environment's dynamics (its kernel,
 * or its model), such as `AdversarialKernelEnv` and `FailureStateEnv`. It is a `Wrapper` (static
 * parts — metadata, agents, horizon, action spaces, agent indices — forwarded to `env`) and a
 * `TabularEnv` (lean and object APIs), whose episodes are sampled by its own base environment over
 * (`model`, `options` with the wrapper's kernel): the wrapped environment defines the game, the
 * wrapper says how it moves, and the wrapped environment's own episode state is never touched.
 */
import type { Kernel, TabularGame } from '@drmg/core';
import type { AgentId, AgentRecord, EnvMetadata, ResetArgs, ResetResult, StepResult } from './parallel-env.ts';
import type { Discrete } from './spaces/discrete.ts';
import type { Space } from './spaces/space.ts';
import { createTabularEnv, type TabularEnv, type TabularEnvOptions, type TabularInfo, type TabularObservation } from './tabular-env.ts';
import { Wrapper } from './wrapper.ts';

/** A wrapper of a TabularEnv that samples its own kernel (and, for some, its own model). */
export abstract class TabularWrapper extends Wrapper<TabularObservation, number, TabularInfo, TabularEnv> implements TabularEnv {
  /** The model of the wrapped game (the wrapped environment's, or a transform of it). */
  readonly model: TabularGame;
  /** The kernel this wrapper samples. */
  readonly kernel: Kernel;
  /** Name of that kernel. */
  readonly kernelLabel: string;
  /** Options that make `sampler`: the wrapped environment's, adapted to `model`, with `kernel` and `kernelLabel`. */
  readonly options: TabularEnvOptions;
  /** The base environment that plays this wrapper's episodes. */
  protected readonly sampler: TabularEnv;

  /**
   * @param env - the wrapped environment
   * @param model - this wrapper's model (env.model when the states do not change)
   * @param options - the options of its sampler, with the kernel to sample (they must fit `model`)
   * @param sampler - an environment made from `model` and `options` already (clones pass their own copy)
   * @throws DrmgError when the options do not fit the model (see createTabularEnv).
   */
  protected constructor(env: TabularEnv, model: TabularGame, options: TabularEnvOptions, sampler?: TabularEnv) {
    super(env);
    this.model = model;
    this.options = options;
    this.sampler = sampler ?? createTabularEnv(model, options);
    this.kernel = this.sampler.kernel;
    this.kernelLabel = this.sampler.kernelLabel;
  }

  /** The innermost (base) environment. */
  override get unwrapped(): TabularEnv {
    return this.env.unwrapped;
  }

  /** The wrapped environment's metadata (its id and render modes). */
  override get metadata(): EnvMetadata {
    return this.env.metadata;
  }

  /** The acting agents of this wrapper's episode. */
  override get agents(): readonly AgentId[] {
    return this.sampler.agents;
  }

  /** The current state index of this wrapper's episode. */
  get s(): number {
    return this.sampler.s;
  }

  /** The current step of this wrapper's episode. */
  get h(): number {
    return this.sampler.h;
  }

  /** The structured view of the current state, if any. */
  get stateView(): unknown {
    return this.sampler.stateView;
  }

  /** Dict(state: Discrete(S), step: Discrete(H + 1)) of this wrapper's model. @throws DrmgError for an unknown agent. */
  override observationSpace(agent: AgentId): Space<TabularObservation> {
    return this.sampler.observationSpace(agent);
  }

  /** The wrapped environment's Discrete(A[i]). @throws DrmgError for an unknown agent. */
  override actionSpace(agent: AgentId): Discrete {
    return this.env.actionSpace(agent);
  }

  /** The index i of agent `agent`. @throws DrmgError for an unknown agent. */
  indexOf(agent: AgentId, path?: string): number {
    return this.env.indexOf(agent, path);
  }

  /** Starts an episode of this wrapper (see TabularEnv.resetState). @throws DrmgError when `initialState` is not a state index. */
  resetState(seed?: number | string, initialState?: number): number {
    return this.sampler.resetState(seed, initialState);
  }

  /** One step of this wrapper's episode on the lean path (see TabularEnv.stepIndex). @throws DrmgError for a bad j or no running episode. */
  stepIndex(j: number, rewardsOut?: Float64Array): number {
    return this.sampler.stepIndex(j, rewardsOut);
  }

  /** Starts an episode of this wrapper; `options.initialState` starts it in a given state. */
  override reset(args?: ResetArgs): ResetResult<TabularObservation, TabularInfo> {
    return this.sampler.reset(args);
  }

  /** One step of this wrapper's episode. @throws DrmgError naming the agent for a missing or bad action, or when no episode is running. */
  override step(actions: AgentRecord<number> | readonly number[]): StepResult<TabularObservation, TabularInfo> {
    return this.sampler.step(actions);
  }

  /** The picture of the current state, with this wrapper's kernel label. */
  override render(): string {
    return this.sampler.render();
  }

  /** Ends this wrapper's episode. */
  override close(): void {
    this.sampler.close();
  }

  /** A plain environment over this wrapper's model and options whose next states come from `kernel`. */
  withKernel(kernel: Kernel, kernelLabel: string): TabularEnv {
    return createTabularEnv(this.model, { ...this.options, kernel, kernelLabel });
  }

  /** An independent copy of the whole stack (each level cloned), with its own generator and state. */
  abstract clone(): TabularWrapper;
}
