export * from './train-event.ts';
export * from './learner-source.ts';
export * from './training-run.ts';
export * from './drive-episodes.ts';
export * from './train.ts';
export * from './train-many.ts';
export * from './with-robust-gap.ts';
export * from './cumulative-regret.ts';
export * from './train-progress.ts';
export * from './throttled-progress.ts';
export * from './progress-bar.ts';
export * from './event-json.ts';
export * from './json-lines-file.ts';
export * from './reported-bounds.ts';
export * from './run-training.ts';
// The RxJS pieces a training pipeline usually needs, re-exported so that packages depending on
// @drmg/experiments (cli, tests, examples) compose pipelines with the same rxjs instance.
export { Observable, Subject, filter, firstValueFrom, lastValueFrom, map, take, takeUntil, takeWhile, tap, toArray } from 'rxjs';
export type { MonoTypeOperatorFunction, OperatorFunction, Subscription } from 'rxjs';
export * from './train-external.ts';
