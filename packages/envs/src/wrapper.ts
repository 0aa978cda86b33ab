/**
 * `Wrapper`: the base of environment wrappers, after Gymnasium's `gymnasium.Wrapper`. A wrapper
 * holds the environment it wraps (`env`) and forwards everything to it; a subclass overrides what it
 * changes (the dynamics, the rewards, the observations). Wrappers compose: `unwrapped` is the
 * innermost environment, whatever the depth.
 */
import type { AgentId, AgentRecord, EnvMetadata, ParallelEnv, ResetArgs, ResetResult, StepResult } from './parallel-env.ts';
import type { Space } from './spaces/space.ts';

/** The innermost environment below `env`: its `unwrapped` when it has one (a wrapper, or an environment that names itself), else `env`. */
function innermost<E extends ParallelEnv<any, any, any>>(env: E): ParallelEnv<any, any, any> {
  const inner = (env as { readonly unwrapped?: ParallelEnv<any, any, any> }).unwrapped;
  return inner !== undefined && inner !== null ? inner : env;
}

/**
 * A ParallelEnv that forwards every member to the environment it wraps; as is, an identity wrapper.
 * Subclasses override what they change, and call `this.env` for the rest; one that can copy itself
 * defines `clone()` (then `train` gives every subscription its own copy). Wrappers of a TabularEnv that
 * change its dynamics extend `TabularWrapper`, which keeps the lean API and the model.
 * @example class Scaled extends Wrapper<O, number, I> { step(a) { const r = this.env.step(a); ... } }
 */
export class Wrapper<O = unknown, A = number, I = unknown, E extends ParallelEnv<O, A, I> = ParallelEnv<O, A, I>> implements ParallelEnv<O, A, I> {
  /** The environment this wrapper wraps (Gymnasium's `env`). */
  readonly env: E;

  constructor(env: E) {
    this.env = env;
  }

  /** The innermost environment (Gymnasium's `unwrapped`): the first one below every wrapper. */
  get unwrapped(): ParallelEnv<O, A, I> {
    return innermost(this.env) as ParallelEnv<O, A, I>;
  }

  /** The wrapped environment's metadata. */
  get metadata(): EnvMetadata {
    return this.env.metadata;
  }

  /** The wrapped environment's agents. */
  get possibleAgents(): readonly AgentId[] {
    return this.env.possibleAgents;
  }

  /** The agents acting now in the wrapped environment. */
  get agents(): readonly AgentId[] {
    return this.env.agents;
  }

  /** The wrapped environment's horizon. */
  get horizon(): number {
    return this.env.horizon;
  }

  /** The wrapped environment's observation space of `agent`. */
  observationSpace(agent: AgentId): Space<O> {
    return this.env.observationSpace(agent);
  }

  /** The wrapped environment's action space of `agent`. */
  actionSpace(agent: AgentId): Space<A> {
    return this.env.actionSpace(agent);
  }

  /** Resets the wrapped environment. */
  reset(args?: ResetArgs): ResetResult<O, I> {
    return this.env.reset(args);
  }

  /** Steps the wrapped environment. */
  step(actions: AgentRecord<A>): StepResult<O, I> {
    return this.env.step(actions);
  }

  /** The wrapped environment's picture. */
  render(): string {
    return this.env.render();
  }

  /** Closes the wrapped environment. */
  close(): void {
    this.env.close();
  }

  /** The wrapper stack as Gymnasium prints it, innermost by its id: `FailureStateEnv<AdversarialKernelEnv<bridge-crossing-v0>>`. */
  toString(): string {
    const inner = this.env as { toString?: () => string };
    const name = inner instanceof Wrapper ? inner.toString() : (this.env.metadata.id ?? 'env');
    return `${this.constructor.name}<${name}>`;
  }
}
