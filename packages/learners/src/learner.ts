/**
 * The centralised learner interface: a learner controls the whole agent team, hands out one joint
 * (possibly correlated) or product Markov policy per episode, and observes every transition.
 * Training loops (packages/experiments) drive it as follows, for episodes k = 0..K-1:
 *
 *   policy = learner.beginEpisode(k)           // the episode's tabular policy (scored exactly by evaluators)
 *   for h = 0..H-1: j = learner.act(h, s, rng); ...env step...; learner.observe(h, s, j, rewards, sp)
 *   learner.endEpisode(k)                      // certified bound of the episode, if the learner has one
 *
 * and at any time `learner.outputPolicy()` gives the learner's answer so far.
 */
import type { Divergence, JointActionLayout, ParamSchema, ParamValues, Policy, Rng, TabularGame } from '@drmg/core';

/** What a learner is told about the game before training (never the kernel, unless it needs the model). */
export interface LearnerContext {
  /** Agents, states, horizon, actions per agent, joint actions. */
  readonly m: number;
  readonly S: number;
  readonly H: number;
  readonly A: readonly number[];
  readonly J: number;
  readonly layout: JointActionLayout;
  /** The uncertainty sets the agents are robust against (part of the problem statement). */
  readonly divergence: Divergence;
  /** rho[(i*H + h)*S + s]. */
  readonly radius: Float64Array;
  /** Planned number of episodes K (enters the paper's confidence level iota). */
  readonly episodes: number;
  /** The full model; given only to learners whose definition says `needsModel` (the known-model planner). */
  readonly model?: TabularGame;
}

/**
 * What a learner reports at the end of an episode: at most one of the two bounds. A bound is *certified* only when
 * it comes from confidence widths that hold with the stated probability (MORNAVI's `bonus=valid`, the known-model
 * planner); any other upper-minus-lower bound (a heuristic or unproven bonus) is reported as `boundGap`.
 */
export interface EpisodeReport {
  /** Certified upper-minus-lower bound on the episode policy's robust gap from the initial distribution. */
  readonly certifiedGap?: number;
  /** An upper-minus-lower bound that is not a certificate (its bonus is not known to be valid). */
  readonly boundGap?: number;
}

/** A centralised learner (see the file header for the call order). */
export interface Learner {
  /** Short name used in reports, e.g. `mornavi-tv`. */
  readonly name: string;
  /** Plans episode k (0-based) and returns its policy. */
  beginEpisode(k: number): Policy;
  /** The joint action index at step h in state s for the current episode, drawn with `rng`. */
  act(h: number, s: number, rng: Rng): number;
  /** One transition of the current episode: rewards[i] of every agent, next state sp. */
  observe(h: number, s: number, j: number, rewards: ArrayLike<number>, sp: number): void;
  /** Closes episode k. */
  endEpisode(k: number): EpisodeReport;
  /** The learner's output policy so far (documented per learner). */
  outputPolicy(): Policy;
  /** The certified bound on `outputPolicy()`'s robust gap, if the learner has one (added for `drmg train`). */
  outputCertifiedGap?(): number | undefined;
  /** An uncertified upper-minus-lower bound on `outputPolicy()`'s gap (see `EpisodeReport.boundGap`), if any. */
  outputBoundGap?(): number | undefined;
  /**
   * The simulator calls made so far beyond the transitions of the episodes played: next states drawn from the
   * nominal kernel as a generative model (`dr-nvi`'s H*S*J*N, `robust-q`'s n - 1 extra draws per transition).
   * A learner without this method makes none; `drmg compare` adds k*H for the k episodes played (its samples axis).
   */
  simulatorCalls?(): number;
}

/**
 * A named learner kind: its parameters (one schema: type, default, range, doc; `ParamValues<P>` is the type its
 * `create` receives, so a parameter is declared once) and how to create it.
 */
export interface LearnerDefinition<P extends ParamSchema = ParamSchema> {
  /** Command-line name, e.g. `mornavi-tv`. */
  readonly name: string;
  /** One sentence for listings. */
  readonly description: string;
  /** The parameters: `drmg train --help`, `--param k=v`, compare configs and the JSON Schema all read them from here. */
  readonly params: P;
  /** True for learners that are handed the model (the known-model planner). */
  readonly needsModel?: boolean;
  /** Creates a learner; `params` are already validated against `params` (defaults filled in). */
  create(context: LearnerContext, params: ParamValues<P>): Learner;
}

/**
 * Declares a learner with its parameter types inferred from its schema (`const` keeps enum literals).
 * @example export const myDefinition = defineLearner({ name: 'my-agent', description: '...', params: {}, create: (ctx) => ... });
 */
export function defineLearner<const P extends ParamSchema>(def: LearnerDefinition<P>): LearnerDefinition<P> {
  return def;
}
