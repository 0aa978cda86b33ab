export { isEvaluated, type EpisodeEndEvent, type EpisodeStartEvent, type EvaluatedPolicyEvent, type PolicyEvent, type StepEvent, type TrainEvent } from './train-event.ts';
export { resolveLearner, resolveLearnerInContext, type LearnerFactory, type LearnerSource, type NamedLearner } from './learner-source.ts';
export { TrainingRun, agentSeed, envSeed, episodeRng, episodeSeed, type EpisodeRng, type EventSink, type TrainEnv, type TrainEnvSource, type TrainingRunOptions } from './training-run.ts';
export { train, type TrainOptions } from './train.ts';
export { entrySeed, trainMany, type NamedEntry, type TrainManyOptions } from './train-many.ts';
export { withRobustGap, type RobustGapOptions } from './with-robust-gap.ts';
export { cumulativeRegret } from './cumulative-regret.ts';
export { ProgressTracker, type TrainProgress } from './train-progress.ts';
export { throttledProgress, type ThrottleOptions } from './throttled-progress.ts';
export { formatProgress, progressBar, type ProgressBarOptions, type ProgressStream } from './progress-bar.ts';
export { eventToJsonLine } from './event-json.ts';
export { jsonLinesFile, type JsonLinesOptions } from './json-lines-file.ts';
export { ReportedBounds, type OutputBounds } from './reported-bounds.ts';
export { RUN_FORMAT, collectRun, defaultEvalEvery, runToJson, runTraining, type CollectedRun, type RunJson, type RunSummary, type RunTrainingOptions } from './run-training.ts';
// The RxJS pieces a training pipeline usually needs, re-exported so that packages depending on
// @drmg/experiments (cli, tests, examples) compose pipelines with the same rxjs instance.
export { Observable, Subject, filter, firstValueFrom, lastValueFrom, map, take, takeUntil, takeWhile, tap, toArray } from 'rxjs';
export type { MonoTypeOperatorFunction, OperatorFunction, Subscription } from 'rxjs';
export { runExternalTraining, trainExternal, trainManyExternal, type ExternalRunSummary, type RunExternalTrainingOptions, type TrainExternalOptions } from './train-external.ts';
