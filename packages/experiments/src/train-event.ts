/**
 * The events of a training stream (`train`, `trainMany`), one plain object each, tagged by `type`.
 * Per episode k (0-based, as the learner sees it), in this order:
 *
 *   episode-start {k, s1}  ->  policy {k, policy}  ->  step {k, h, s, j, rewards, sp} x H  ->  episode-end {k, returns, certifiedGap? | boundGap?}
 *
 * `policy` and `step` events can be switched off (`TrainOptions.policies` / `steps`). Operators add
 * fields to `policy` events: `gap` (withRobustGap) and `regret` (cumulativeRegret). Events are fresh
 * objects that nothing in drmg mutates afterwards, so they may be kept (e.g. `toArray`).
 *
 * An episode-end carries the learner's bound under the name the learner gave it (EpisodeReport): `certifiedGap`
 * only for a bound from provably valid confidence widths, `boundGap` for any other upper-minus-lower bound (not
 * a certificate). Nothing downstream turns a `boundGap` into a `certifiedGap`.
 */
import type { Policy } from '@drmg/core';

/** The first event of episode k: its initial state s_1 ~ mu. */
export interface EpisodeStartEvent {
  readonly type: 'episode-start';
  /** The learner's name in `trainMany` streams (absent in `train` streams unless `name` is given). */
  readonly learner?: string;
  /** Episode index, 0-based (the JSON `episodes` counts of drmg-run/1 are k + 1). */
  readonly k: number;
  /** Initial state s_1 (index). */
  readonly s1: number;
}

/** One transition of episode k: at step h in state s the team played joint action j, got `rewards`, moved to sp. */
export interface StepEvent {
  readonly type: 'step';
  readonly learner?: string;
  readonly k: number;
  /** Step 0..H-1 (the paper's h = 1..H). */
  readonly h: number;
  readonly s: number;
  /** Joint action index (agent 0 most significant). */
  readonly j: number;
  /** rewards[i] = r_{i,h}(s, j). */
  readonly rewards: readonly number[];
  /** Next state s'. */
  readonly sp: number;
}

/** The last event of episode k: each agent's return and the learner's bound, certified or not, if it gives one. */
export interface EpisodeEndEvent {
  readonly type: 'episode-end';
  readonly learner?: string;
  readonly k: number;
  /** returns[i] = sum_h r_{i,h}(s_h, j_h) over the episode. */
  readonly returns: readonly number[];
  /** The learner's certified upper-minus-lower bound on the episode policy's gap (EpisodeReport.certifiedGap), if any. */
  readonly certifiedGap?: number;
  /** The learner's upper-minus-lower bound that is not a certificate (EpisodeReport.boundGap), if any. */
  readonly boundGap?: number;
}

/** The tabular policy pi^k the learner played in episode k (a snapshot, never mutated afterwards). */
export interface PolicyEvent {
  readonly type: 'policy';
  readonly learner?: string;
  readonly k: number;
  readonly policy: Policy;
  /** Exact robust gap of pi^k from the initial distribution, sum_s mu(s) gap(pi^k, s) (set by withRobustGap). */
  readonly gap?: number;
  /** Which gap `gap` is: the NE/CCE gap or the CE gap. */
  readonly gapKind?: 'gap' | 'ceGap';
  /** Cumulative robust regret up to episode k + 1: the signed sum of the gaps, unclipped (Def. 2; set by cumulativeRegret). */
  readonly regret?: number;
}

/** Any training event. */
export type TrainEvent = EpisodeStartEvent | StepEvent | EpisodeEndEvent | PolicyEvent;

/** A `policy` event that withRobustGap has evaluated. */
export type EvaluatedPolicyEvent = PolicyEvent & { readonly gap: number; readonly gapKind: 'gap' | 'ceGap' };

/** Whether `e` is a policy event carrying an exact gap. */
export function isEvaluated(e: TrainEvent): e is EvaluatedPolicyEvent {
  return e.type === 'policy' && e.gap !== undefined;
}
