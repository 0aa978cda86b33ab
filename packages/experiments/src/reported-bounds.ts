/**
 * `ReportedBounds`: a learner's bounds over a run, folded from its episode-end events and kept apart by kind: a
 * `certifiedGap` (from provably valid confidence widths) stays a certificate, a `boundGap` (any other
 * upper-minus-lower bound) never becomes one.
 */
import type { Learner } from '@drmg/learners';
import type { TrainEvent } from './train-event.ts';

/** The bounds on a learner's output policy's gap, each null when the learner gives none of that kind. */
export interface OutputBounds {
  /** A certified bound (EpisodeReport.certifiedGap, Learner.outputCertifiedGap). */
  readonly certifiedGap: number | null;
  /** A bound that is not a certificate (EpisodeReport.boundGap, Learner.outputBoundGap). */
  readonly boundGap: number | null;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Folds episode-end events (`update`) into the smallest certified bound and the smallest uncertified bound reported,
 * and gives the bounds of the output policy (`output`).
 * @example const b = new ReportedBounds(); events.forEach((e) => b.update(e)); b.output(learner).certifiedGap
 */
export class ReportedBounds {
  private certified = Infinity;
  private bound = Infinity;

  /** Takes an event into account (only episode-end events carry bounds). */
  update(e: TrainEvent): void {
    if (e.type !== 'episode-end') return;
    if (finite(e.certifiedGap) && e.certifiedGap < this.certified) this.certified = e.certifiedGap;
    if (finite(e.boundGap) && e.boundGap < this.bound) this.bound = e.boundGap;
  }

  /**
   * The bounds on `learner.outputPolicy()`'s gap: the learner's own `outputCertifiedGap()` / `outputBoundGap()` when it
   * gives one, else the smallest of that kind it reported at an episode end (learners that bound, such as MORNAVI,
   * output the episode policy with the smallest bound); null when it reported none of that kind.
   */
  output(learner: Learner): OutputBounds {
    const ownCertified = learner.outputCertifiedGap?.();
    const ownBound = learner.outputBoundGap?.();
    return {
      certifiedGap: finite(ownCertified) ? ownCertified : Number.isFinite(this.certified) ? this.certified : null,
      boundGap: finite(ownBound) ? ownBound : Number.isFinite(this.bound) ? this.bound : null,
    };
  }
}
