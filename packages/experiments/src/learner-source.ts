/** How a training stream is given its learner: an instance, a factory, or a registered name with parameters. */
import { inputError, type TabularGame } from '@drmg/core';
import { createLearner, getLearner, learnerContext, type Learner, type LearnerContext } from '@drmg/learners';

/** Builds a learner from the context of the game it will be trained on. */
export type LearnerFactory = (context: LearnerContext) => Learner;

/** A learner from the registry (`mornavi-tv`, `random`, ...) with its `--param` values. */
export interface NamedLearner {
  readonly name: string;
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * A learner instance (trained in place: a second subscription continues training it), a factory
 * (called once per subscription, so the stream can be re-run from scratch), or a registered name.
 */
export type LearnerSource = Learner | LearnerFactory | NamedLearner;

/**
 * The learner a source stands for, on `model` with K = `episodes`; a registered name gets a context
 * with the model when its definition `needsModel` or its params say `rewards: 'known'`.
 * @throws DrmgError for an unknown learner name or bad parameters (from the registry), or a factory that returns no learner.
 */
export function resolveLearner(source: LearnerSource, model: TabularGame, episodes: number): Learner {
  return resolveLearnerInContext(source, learnerContext(model, episodes), model);
}

/**
 * The learner a source stands for in `context` (sizes, radii, K; no model), for environments whose model may be
 * unknown (external simulators): a registered learner that needs the model gets `model`, or is refused without one.
 * @throws DrmgError as `resolveLearner`, and when a learner needs a model that `model` does not give.
 */
export function resolveLearnerInContext(source: LearnerSource, context: LearnerContext, model?: TabularGame | null): Learner {
  if (typeof source === 'function') {
    const learner = source(context);
    if (learner === null || typeof learner !== 'object' || typeof learner.beginEpisode !== 'function') {
      inputError('learner', 'the learner factory did not return a Learner (an object with beginEpisode, act, observe, endEpisode, outputPolicy)');
    }
    return learner;
  }
  if (source !== null && typeof source === 'object' && typeof (source as Learner).beginEpisode === 'function') return source as Learner;
  if (source !== null && typeof source === 'object' && typeof source.name === 'string') {
    const named = source as NamedLearner;
    const def = getLearner(named.name);
    // The model goes to learners that need it, and to those asked to read known rewards from it (MORNAVI's rewards=known).
    const withModel = def.needsModel === true || named.params?.rewards === 'known';
    if (withModel && (model === undefined || model === null)) {
      inputError(`learner ${named.name}`, 'needs the model (the known-model planner, or rewards=known), and this environment gives none; use a learner that learns from samples');
    }
    return createLearner(named.name, withModel ? { ...context, model: model! } : context, named.params ?? {});
  }
  return inputError('learner', `expected a Learner, a factory (context) => Learner, or { name, params }, got ${JSON.stringify(source)}`);
}
