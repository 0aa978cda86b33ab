/** Progress of a training stream, as folded from its events by `throttledProgress` and `progressBar`. */
import type { TrainEvent } from './train-event.ts';

/** A snapshot of training progress. */
export interface TrainProgress {
  /** Episodes finished so far (episode-end events, over every learner of a trainMany stream). */
  readonly episodes: number;
  /** Expected total of episode-end events, when known. */
  readonly total?: number;
  /** Milliseconds since subscription. */
  readonly elapsedMs: number;
  /** episodes / elapsed seconds. */
  readonly episodesPerSecond: number;
  /** The learner of the latest event, in trainMany streams. */
  readonly learner?: string;
  /** Latest evaluated gap (withRobustGap) and cumulative regret (cumulativeRegret: the signed sum of the gaps, Def. 2). */
  readonly gap?: number;
  readonly regret?: number;
  /** Latest certified bound reported (episode-end `certifiedGap`: a certificate) ... */
  readonly certifiedGap?: number;
  /** ... and latest bound that is not a certificate (episode-end `boundGap`). */
  readonly boundGap?: number;
  /** True on the snapshot emitted when the stream completes. */
  readonly done: boolean;
}

/** Folds events into progress; `update` says whether the event finished an episode. */
export class ProgressTracker {
  private readonly total: number | undefined;
  private readonly now: () => number;
  private readonly t0: number;
  private episodes = 0;
  private learner: string | undefined;
  private gap: number | undefined;
  private regret: number | undefined;
  private certifiedGap: number | undefined;
  private boundGap: number | undefined;

  constructor(total: number | undefined, now: () => number) {
    this.total = total;
    this.now = now;
    this.t0 = now();
  }

  /** Takes one event into account; true when it was an episode-end. */
  update(e: TrainEvent): boolean {
    if (e.learner !== undefined) this.learner = e.learner;
    if (e.type === 'episode-end') {
      this.episodes++;
      if (e.certifiedGap !== undefined) this.certifiedGap = e.certifiedGap;
      if (e.boundGap !== undefined) this.boundGap = e.boundGap;
      return true;
    }
    if (e.type === 'policy') {
      if (e.gap !== undefined) this.gap = e.gap;
      if (e.regret !== undefined) this.regret = e.regret;
    }
    return false;
  }

  /** The current snapshot (`done` marks the final one). */
  snapshot(done: boolean): TrainProgress {
    const elapsedMs = Math.max(0, this.now() - this.t0);
    const p: { -readonly [K in keyof TrainProgress]: TrainProgress[K] } = {
      episodes: this.episodes,
      elapsedMs,
      episodesPerSecond: elapsedMs > 0 ? (this.episodes * 1000) / elapsedMs : 0,
      done,
    };
    if (this.total !== undefined) p.total = this.total;
    if (this.learner !== undefined) p.learner = this.learner;
    if (this.gap !== undefined) p.gap = this.gap;
    if (this.regret !== undefined) p.regret = this.regret;
    if (this.certifiedGap !== undefined) p.certifiedGap = this.certifiedGap;
    if (this.boundGap !== undefined) p.boundGap = this.boundGap;
    return p;
  }
}
