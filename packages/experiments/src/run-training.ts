/**
 * `runTraining`: the whole `drmg train` pipeline as a Promise — train, exact gaps every n episodes,
 * cumulative regret, optional extra operators (progress bar, JSON-lines file) — summarised as a
 * drmg-run/1 document by `runToJson`.
 */
import { parsePolicy, policyToJson, type Policy, type TabularGame, checkObject } from '@drmg/core';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import type { Learner } from '@drmg/learners';
import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { cumulativeRegret } from './cumulative-regret.ts';
import { resolveLearner } from './learner-source.ts';
import { ReportedBounds } from './reported-bounds.ts';
import { train, type TrainOptions } from './train.ts';
import type { TrainEvent } from './train-event.ts';
import { trainModel } from './training-run.ts';
import { withRobustGap } from './with-robust-gap.ts';

/** The format tag of a training run summary. */
export const RUN_FORMAT = 'drmg-run/1';

/**
 * The default evaluation interval of `drmg train`: ceil(K / 100), so that at most 100 policies
 * (plus the last one) are evaluated exactly whatever K (every episode up to K = 100).
 */
export function defaultEvalEvery(episodes: number): number {
  return Math.max(1, Math.ceil(episodes / 100));
}

/** Options of `runTraining`: those of `train`, and how to evaluate. */
export interface RunTrainingOptions extends TrainOptions {
  /** Evaluate every n-th episode's policy (and the last); default defaultEvalEvery(K). */
  readonly evalEvery?: number;
  /** Which gap: `gap` (NE/CCE, default) or `ceGap` (CE). */
  readonly gapKind?: 'gap' | 'ceGap';
  /** Operators applied after the gap and regret (sinks such as progressBar and jsonLinesFile). */
  readonly operators?: readonly MonoTypeOperatorFunction<TrainEvent>[];
}

/** What a training run produced. */
export interface RunSummary {
  readonly game: TabularGame;
  readonly learner: Learner;
  readonly gapKind: 'gap' | 'ceGap';
  /** Episodes K and the evaluation interval used. */
  readonly K: number;
  readonly evalEvery: number;
  /** 1-based episode counts at which the policy was evaluated, with the cumulative regret (signed sum of gaps, Def. 2) and the gap there. */
  readonly episodes: number[];
  readonly regret: number[];
  readonly gaps: number[];
  /** The learner's certified bound on its output policy's gap (null if it certifies nothing; see `ReportedBounds`). */
  readonly certifiedGap: number | null;
  /** The learner's uncertified upper-minus-lower bound on that gap (null if it gives none): never a certificate. */
  readonly boundGap: number | null;
  /** The learner's output policy, as written in drmg-policy/1 and read back (what is printed). */
  readonly policy: Policy;
  /** sum_s mu(s) gap(policy, s) of that policy, of kind `gapKind`. */
  readonly gap: number;
  /** Wall-clock milliseconds of the training stream (evaluations included). */
  readonly elapsedMs: number;
}

/**
 * Runs the pipeline train -> withRobustGap(every n, and K) -> cumulativeRegret -> operators to completion
 * and returns its summary; the learner is resolved once (an instance is used as is) so that its output
 * policy can be read at the end. `policy` is the output policy after a round trip through drmg-policy/1,
 * and `gap` is computed on it, so that anyone who parses the printed policy gets the printed gap.
 * @throws DrmgError (rejects) for bad options, learners or parameters, and whatever the stream errors with.
 */
export async function runTraining(options: RunTrainingOptions): Promise<RunSummary> {
  // A factory's environment is made once here only to read (and check) its model; training makes its own.
  const game = trainModel(typeof options.env === 'function' ? options.env() : options.env, options.model);
  const K = options.episodes;
  const evalEvery = options.evalEvery ?? defaultEvalEvery(K);
  const gapKind = options.gapKind ?? 'gap';
  const learner = resolveLearner(options.learner, game, K);
  const t0 = performance.now();
  let stream = train({ ...options, learner }).pipe(withRobustGap(game, { every: evalEvery, kind: gapKind, episodes: K }), cumulativeRegret());
  for (const op of options.operators ?? []) stream = stream.pipe(op);
  const { episodes, regret, gaps, bounds } = await collectRun(stream);
  const elapsedMs = performance.now() - t0;
  const policy = parsePolicy(policyToJson(learner.outputPolicy(), game), game);
  const ev = createEvaluator(game).evaluate(policy, gapKind === 'gap' ? { bestResponse: true, swap: false } : { bestResponse: false, swap: true });
  const gap = initialGap(game, ev, gapKind);
  const { certifiedGap, boundGap } = bounds.output(learner);
  return { game, learner, gapKind, K, evalEvery, episodes, regret, gaps, certifiedGap, boundGap, policy, gap, elapsedMs };
}

/** What `collectRun` gathers from a training stream. */
export interface CollectedRun {
  /** 1-based episode counts of the scored policy events, with the cumulative regret and the gap there. */
  readonly episodes: number[];
  readonly regret: number[];
  readonly gaps: number[];
  /** The bounds the learner reported (see ReportedBounds). */
  readonly bounds: ReportedBounds;
  /** Every agent's return, summed and squared-summed over the episodes (for Monte Carlo means). */
  readonly returnSum: number[];
  readonly returnSumSq: number[];
}

/**
 * Runs a training stream (after withRobustGap and cumulativeRegret, or without them) to completion and gathers its
 * scored policies, reported bounds and returns.
 * @throws (rejects) whatever the stream errors with.
 */
export function collectRun(stream: Observable<TrainEvent>): Promise<CollectedRun> {
  const run: CollectedRun = { episodes: [], regret: [], gaps: [], bounds: new ReportedBounds(), returnSum: [], returnSumSq: [] };
  return new Promise<CollectedRun>((resolve, reject) => {
    stream.subscribe({
      next(e) {
        if (e.type === 'policy' && e.regret !== undefined && e.gap !== undefined) {
          run.episodes.push(e.k + 1);
          run.regret.push(e.regret);
          run.gaps.push(e.gap);
        } else if (e.type === 'episode-end') {
          run.bounds.update(e);
          e.returns.forEach((x, i) => {
            run.returnSum[i] = (run.returnSum[i] ?? 0) + x;
            run.returnSumSq[i] = (run.returnSumSq[i] ?? 0) + x * x;
          });
        }
      },
      error: reject,
      complete: () => resolve(run),
    });
  });
}

/** The drmg-run/1 document (docs/formats.md). */
export interface RunJson {
  readonly format: 'drmg-run/1';
  readonly episodes: number[];
  readonly regret: number[];
  readonly certifiedGap: number | null;
  /** Present only when the learner gave a bound that is not a certificate; then `certified` is false. */
  readonly boundGap?: number;
  readonly certified?: false;
  readonly policy: { format: 'drmg-policy/1'; policy: number[][][] };
  readonly gap: number;
}

/**
 * The drmg-run/1 document of a run: `episodes` (1-based counts at which the policy was evaluated),
 * `regret` (cumulative robust regret there: the signed sum of the episode policies' gaps, Def. 2),
 * `certifiedGap` (the learner's certified bound on its output policy's gap, from provably valid
 * confidence widths; null for learners that certify nothing), then, only for a learner whose bound is
 * not a certificate (a heuristic bonus), `boundGap` (that bound) with `"certified": false`; `policy`
 * (the output policy, drmg-policy/1) and `gap` (its exact gap from the initial distribution).
 * A reader of the earlier document (no `boundGap`) still reads `certifiedGap` right: an uncertified
 * bound never appears there.
 */
export function runToJson(run: RunSummary): RunJson {
  checkObject(run, 'run', 'a RunSummary (from runTraining)');
  const head = { format: RUN_FORMAT, episodes: run.episodes, regret: run.regret, certifiedGap: run.certifiedGap } as const;
  const tail = { policy: policyToJson(run.policy, run.game), gap: run.gap };
  return run.boundGap === null ? { ...head, ...tail } : { ...head, boundGap: run.boundGap, certified: false, ...tail };
}
