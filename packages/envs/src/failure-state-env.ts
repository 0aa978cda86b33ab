/**
 * The failure-state wrapper: `withFailureStates` (the paper's Assumption 1) as an environment
 * wrapper. The wrapped game gains one absorbing, zero-reward failure state F = S, reached with
 * probability `leak` from every (h, s, j) of whatever kernel the wrapped environment samples (the
 * nominal one, or an adversary's: wrappers compose in either order).
 */
import type { RenderContext, TabularEnv, TabularEnvOptions } from './tabular-env.ts';
import { TabularWrapper } from './tabular-wrapper.ts';
import { failureKernel, withFailureStates, type FailureStateOptions } from './with-failure-states.ts';

/** The options of the wrapped environment, fitted to one more state F (no view; F drawn by a plain line). */
function withFailureOptions(options: TabularEnvOptions, F: number): TabularEnvOptions {
  const out: { -readonly [K in keyof TabularEnvOptions]: TabularEnvOptions[K] } = { ...options };
  // A kernel of the wrapped environment has the wrong number of states here: the caller sets the new one.
  delete out.kernel;
  delete out.kernelLabel;
  if (options.stateViews !== undefined) out.stateViews = [...options.stateViews, undefined];
  const draw = options.renderState;
  if (draw !== undefined) {
    out.renderState = (ctx: RenderContext) =>
      ctx.s === F ? `${ctx.model.name} step ${ctx.h}/${ctx.model.H}  state ${ctx.model.labels?.states?.[F] ?? 'failure'} (absorbing failure state)\n` : draw(ctx);
  }
  return out;
}

/**
 * A TabularWrapper whose model is withFailureStates(env.model, options) and whose sampled kernel is
 * the wrapped environment's kernel with the same leak into F: P'_h(.|s,j) = (1 - leak) P_h(.|s,j) + leak delta_F,
 * P'_h(F|F,j) = 1; `infos[agent].failure` is true in F, which never terminates the episode (see tabular-env.ts).
 */
export class FailureStateEnv extends TabularWrapper {
  /** The index of the failure state: the wrapped model's S. */
  readonly failureState: number;
  /** The leak and label this wrapper was made with. */
  readonly failureOptions: FailureStateOptions;

  /**
   * @throws DrmgError when a leak is not a probability (naming h, s, j).
   */
  constructor(env: TabularEnv, options: FailureStateOptions = {}, sampler?: TabularEnv) {
    const F = env.model.S;
    let model = sampler?.model;
    let sampled: TabularEnvOptions;
    if (sampler !== undefined && model !== undefined) {
      sampled = sampler.options;
    } else {
      model = withFailureStates(env.model, options);
      const base = { ...withFailureOptions(env.options, F), kernelLabel: env.kernelLabel };
      // When the wrapped environment samples its model's kernel, the transformed model's kernel is the one to sample.
      sampled = env.kernel === env.model.kernel ? base : { ...base, kernel: failureKernel(env.model, env.kernel, options.leak ?? 0) };
    }
    super(env, model, sampled, sampler);
    this.failureState = F;
    this.failureOptions = options;
  }

  /** An independent copy: the wrapped environment cloned, the same model and kernel, its own generator. */
  clone(): FailureStateEnv {
    return new FailureStateEnv(this.env.clone(), this.failureOptions, this.sampler.clone());
  }
}

/**
 * Wraps `env` with an absorbing zero-reward failure state F = S reached with probability `leak`
 * (see FailureStateEnv); `withFailureStates(game)` is the same transform of a model.
 * @throws DrmgError when a leak is not a probability (naming h, s, j).
 * @example const env = failureStateEnv(make('matching-pennies-v0'), { leak: 0.05 }); env.unwrapped.model.S + 1 === env.model.S
 */
export function failureStateEnv(env: TabularEnv, options: FailureStateOptions = {}): FailureStateEnv {
  return new FailureStateEnv(env, options);
}
