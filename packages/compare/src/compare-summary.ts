/**
 * The figures of a compare experiment per learner, over its seeds: mean, standard deviation, min and
 * max of every metric; the regret curve with its band; the log-log regret slope (only where the regret
 * is above a stated tolerance: `slopeTolerance`); the gap curve against simulator calls and the calls
 * needed for a mean gap <= eps (`gapTolerance`: eps = 0.05 H); the winner at each radius. Deterministic (no clock
 * readings), so results files built from it are byte-identical between runs with the same config,
 * whatever the number of worker threads.
 */
import type { CompareRunResult } from './compare-task.ts';

/** Mean, sample standard deviation (0 for one value), min and max of n values (NaN entries ignored; all NaN when none are left). */
export interface Stat {
  readonly n: number;
  readonly mean: number;
  readonly sd: number;
  readonly min: number;
  readonly max: number;
}

/** The statistics of `xs` (finite values only). */
export function stat(xs: readonly number[]): Stat {
  const v = xs.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { n: 0, mean: NaN, sd: NaN, min: NaN, max: NaN };
  let mean = 0;
  for (const x of v) mean += x;
  mean /= n;
  let ss = 0;
  for (const x of v) ss += (x - mean) * (x - mean);
  return { n, mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min: Math.min(...v), max: Math.max(...v) };
}

/**
 * The regret a slope needs: the regret at K must exceed max(1e-6, 1e-9 K H) (`SLOPE_TOLERANCE_RULE`). Each exact gap
 * carries a rounding error of about 1e-16 to 1e-14 times H (the known-model planner's regret over 3,000 episodes of
 * bridge-crossing is ~3e-14), so K of them sum to far less than 1e-9 K H, while a learner whose gap averages 1e-9 H per
 * episode or more passes; below the floor 1e-6 a log-log fit only measures rounding noise (it reads "1.00 ± 0.00",
 * as linear regret).
 */
export function slopeTolerance(K: number, H: number): number {
  return Math.max(1e-6, 1e-9 * K * H);
}

/** The rule of `slopeTolerance`, as printed next to the slopes. */
export const SLOPE_TOLERANCE_RULE = 'max(1e-6, 1e-9 K H)';

/**
 * The gap tolerance eps of the samples axis: eps = 0.05 H (`GAP_TOLERANCE_RULE`), 5% of the largest value a
 * reward in [0, 1] per step allows, so "samples to gap <= eps" reads the same on games of any horizon.
 */
export function gapTolerance(H: number): number {
  return H / 20; // = 0.05 H, without 0.05's rounding (H = 6 gives 0.3, not 0.30000000000000004)
}

/** The rule of `gapTolerance`, as printed in the captions and legends. */
export const GAP_TOLERANCE_RULE = '0.05 H';

/**
 * The simulator calls after which the mean gap stays <= eps: samples[q] of the first q with meanGap[q'] <= eps for
 * every q' >= q (to the last evaluation), null when the last point is above eps (or there are none). "Stays", not
 * "first reaches": an online learner's episode policies oscillate, and one lucky dip below eps followed by gaps of
 * 2 (MORNAVI early on bridge-crossing) would overstate what it needs. Points in training order.
 * @example samplesToGap([0, 60, 120, 180], [1.2, 0.2, 0.4, 0.2], 0.3) // 180 (the dip at 60 does not count)
 */
export function samplesToGap(samples: readonly number[], meanGap: readonly number[], eps: number): number | null {
  let q = samples.length;
  while (q > 0 && meanGap[q - 1] <= eps) q--;
  return q < samples.length ? samples[q] : null;
}

/** A log-log regret slope, or why there is none. */
export interface RegretSlopeFit {
  /** The slope (NaN when there is none). */
  readonly slope: number;
  /** Why there is no slope (null when there is one). */
  readonly reason: string | null;
}

/**
 * The least-squares slope of log(regret) on log(episodes) over the evaluation points with episodes >= K/10
 * and regret above `tolerance`: about 1 when the regret grows linearly (a learner that does not converge to the
 * robust target), below 1 when it flattens (sqrt(K) growth gives 0.5; a learner that stopped paying gives ~0).
 * No slope (NaN, with the reason) when the regret at K is not above `tolerance` (see `slopeTolerance`) or fewer
 * than two points from K/10 to K are.
 */
export function regretSlopeFit(episodes: readonly number[], regret: readonly number[], tolerance = 0): RegretSlopeFit {
  const n0 = episodes.length;
  if (n0 === 0) return { slope: NaN, reason: 'no evaluated episodes' };
  const K = episodes[n0 - 1];
  const atK = regret[n0 - 1];
  if (!(atK > tolerance)) return { slope: NaN, reason: `regret at K = ${atK.toExponential(1)} is not above the tolerance ${tolerance.toExponential(1)}` };
  const xs: number[] = [];
  const ys: number[] = [];
  for (let q = 0; q < n0; q++) {
    if (episodes[q] >= K / 10 && regret[q] > tolerance && regret[q] > 0) {
      xs.push(Math.log(episodes[q]));
      ys.push(Math.log(regret[q]));
    }
  }
  const n = xs.length;
  if (n < 2) return { slope: NaN, reason: `fewer than two evaluation points from K/10 to K have regret above the tolerance ${tolerance.toExponential(1)}` };
  let mx = 0;
  let my = 0;
  for (let q = 0; q < n; q++) {
    mx += xs[q];
    my += ys[q];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (let q = 0; q < n; q++) {
    sxy += (xs[q] - mx) * (ys[q] - my);
    sxx += (xs[q] - mx) * (xs[q] - mx);
  }
  return sxx > 0 ? { slope: sxy / sxx, reason: null } : { slope: NaN, reason: 'every point from K/10 to K is at the same episode' };
}

/** `regretSlopeFit`'s slope alone (NaN when there is none). */
export function regretSlope(episodes: readonly number[], regret: readonly number[], tolerance = 0): number {
  return regretSlopeFit(episodes, regret, tolerance).slope;
}

/**
 * The mean of the recorded gaps of the episode policies after K/2 (the per-episode growth rate of the
 * regret late in training: ~0 for a learner that converged to a robust equilibrium, the robust gap of
 * whatever it converged to otherwise). NaN when there are none.
 */
export function lateGap(episodes: readonly number[], gap: readonly number[]): number {
  const K = episodes.length > 0 ? episodes[episodes.length - 1] : 0;
  let sum = 0;
  let n = 0;
  for (let q = 0; q < episodes.length; q++) {
    if (episodes[q] > K / 2) {
      sum += gap[q];
      n++;
    }
  }
  return n > 0 ? sum / n : NaN;
}

/** Sum over agents. */
function team(values: readonly number[]): number {
  let t = 0;
  for (const v of values) t += v;
  return t;
}

/** A learner's figures over its seeds (team returns are sums over agents). */
export interface LearnerSummary {
  readonly learner: string;
  readonly name: string;
  /** What it was trained with (scenario sets, a twin's, or why it was skipped). */
  readonly trainedWith: string;
  /** Seeds that finished. */
  readonly seeds: number[];
  /** Cumulative robust regret at K (the signed sum of the episode policies' gaps, Def. 2), and its log-log slope (seeds that have one). */
  readonly regret: Stat;
  readonly slope: Stat;
  /** The regret at K a slope needs (`slopeTolerance`). */
  readonly slopeTolerance: number;
  /** Why seeds have no slope (e.g. `no slope on 5 of 5 seeds: regret at K = 3.1e-14 is not above the tolerance 1.8e-5`), null when every seed has one. */
  readonly slopeNote: string | null;
  /** Mean exact gap of the episode policies over the second half of training (the regret's late growth rate per episode; `lateGap`). */
  readonly lateGap: Stat;
  /** Exact robust gap of the output policy, its robust team value on the scenario, its nominal gap. */
  readonly outputGap: Stat;
  readonly robustValue: Stat;
  readonly nominalGap: Stat;
  /** Certified bound on the output policy's gap (learners that certify; see CompareRunResult) ... */
  readonly certifiedGap: Stat;
  /** ... and the bound that is not a certificate (learners with a heuristic bound): never counted as certified. */
  readonly boundGap: Stat;
  /** Team return under the nominal kernel (exact). */
  readonly nominalReturn: Stat;
  /** worstCase[r]: team return (sum of each agent's worst-case value) at radius config.radii[r]. */
  readonly worstCase: Stat[];
  /** random[r]: team Monte Carlo return at radius r, over seeds (mean over seeds of each seed's estimate) ... */
  readonly random: Stat[];
  /** ... and the Monte Carlo standard error of that mean, sqrt(sum_seeds se^2) / seeds. */
  readonly randomStdErr: number[];
  /** The regret curve: evaluation points, and the mean, sd, min and max over seeds at each. */
  readonly curve: { readonly episodes: number[]; readonly mean: number[]; readonly sd: number[]; readonly min: number[]; readonly max: number[] };
  /**
   * The exact gap of the episode policies against simulator calls (`CompareRunResult.samples`): at each evaluation
   * point, the mean over seeds of the samples (the same on every seed unless the learner's extra draws depend on
   * its trajectory) and the mean, min and max of the gap. Empty when no run recorded samples (an older journal).
   */
  readonly samplesCurve: { readonly samples: number[]; readonly mean: number[]; readonly min: number[]; readonly max: number[] };
  /** eps of `samplesToGap` (`gapTolerance(H)` in compare). */
  readonly gapTolerance: number;
  /** The samples of `samplesCurve` after which the mean gap stays <= eps (`samplesToGap`); null when it does not end there or has no points. */
  readonly samplesToGap: number | null;
}

/** Who returns the most at one radius (by mean team worst-case return), among the learners (the known-model planner is the reference, listed apart). */
export interface RadiusWinner {
  readonly radius: number;
  /** The first learner (config order) with the best value, null when none ran. */
  readonly learner: string | null;
  /** The other learners within 1e-9 of that value (a tie). */
  readonly tied: string[];
  readonly value: number;
  /** The planner's (reference) value there, when it ran. */
  readonly reference: number | null;
}

/** Options of `summarizeLearner`. */
export interface SummarizeOptions {
  /** The regret at K a slope needs (default `slopeTolerance(K, 1)`; compare passes `slopeTolerance(K, H)`). */
  readonly slopeTolerance?: number;
  /** eps of `samplesToGap` (default `gapTolerance(1)`; compare passes `gapTolerance(H)`). */
  readonly gapTolerance?: number;
}

/** The summary of one learner from its finished runs (in seed order). */
export function summarizeLearner(
  learner: string,
  name: string,
  trainedWith: string,
  runs: readonly CompareRunResult[],
  radii: readonly number[],
  options: SummarizeOptions = {},
): LearnerSummary {
  const episodes = runs.length > 0 ? runs[0].episodes : [];
  const curve = { episodes: [...episodes], mean: [] as number[], sd: [] as number[], min: [] as number[], max: [] as number[] };
  for (let q = 0; q < episodes.length; q++) {
    const s = stat(runs.map((r) => r.regret[q]));
    curve.mean.push(s.mean);
    curve.sd.push(s.sd);
    curve.min.push(s.min);
    curve.max.push(s.max);
  }
  // The samples axis, from the runs that recorded it (runs resumed from an older journal did not).
  const withSamples = runs.filter((r) => r.samples !== undefined && r.samples.length === episodes.length);
  const samplesCurve = { samples: [] as number[], mean: [] as number[], min: [] as number[], max: [] as number[] };
  if (withSamples.length > 0) {
    for (let q = 0; q < episodes.length; q++) {
      samplesCurve.samples.push(stat(withSamples.map((r) => r.samples![q])).mean);
      const g = stat(runs.map((r) => r.gap[q]));
      samplesCurve.mean.push(g.mean);
      samplesCurve.min.push(g.min);
      samplesCurve.max.push(g.max);
    }
  }
  const eps = options.gapTolerance ?? gapTolerance(1);
  const last = (r: CompareRunResult) => (r.regret.length > 0 ? r.regret[r.regret.length - 1] : NaN);
  const K = episodes.length > 0 ? episodes[episodes.length - 1] : 0;
  const tolerance = options.slopeTolerance ?? slopeTolerance(K, 1);
  const fits = runs.map((r) => regretSlopeFit(r.episodes, r.regret, tolerance));
  const missing = fits.map((f, n) => ({ f, n })).filter((x) => x.f.reason !== null);
  // The reason quoted is that of the seed with the largest regret at K among those without a slope.
  let slopeNote: string | null = null;
  if (missing.length > 0) {
    const worst = missing.reduce((a, b) => (last(runs[b.n]) > last(runs[a.n]) ? b : a));
    slopeNote = `no slope on ${missing.length} of ${runs.length} seed${runs.length === 1 ? '' : 's'}: ${worst.f.reason}`;
  }
  return {
    learner,
    name,
    trainedWith,
    seeds: runs.map((r) => r.seed),
    regret: stat(runs.map(last)),
    slope: stat(fits.map((f) => f.slope)),
    slopeTolerance: tolerance,
    slopeNote,
    lateGap: stat(runs.map((r) => lateGap(r.episodes, r.gap))),
    outputGap: stat(runs.map((r) => r.outputGap)),
    robustValue: stat(runs.map((r) => team(r.robustValue))),
    nominalGap: stat(runs.map((r) => r.nominalGap)),
    certifiedGap: stat(runs.map((r) => (r.certifiedGap === null ? NaN : r.certifiedGap))),
    boundGap: stat(runs.map((r) => (r.boundGap === null || r.boundGap === undefined ? NaN : r.boundGap))),
    nominalReturn: stat(runs.map((r) => team(r.nominalValue))),
    worstCase: radii.map((_, q) => stat(runs.map((r) => team(r.worstCase[q])))),
    random: radii.map((_, q) => stat(runs.map((r) => r.randomTeamMean[q]))),
    randomStdErr: radii.map((_, q) => {
      let ss = 0;
      for (const r of runs) ss += r.randomTeamStdErr[q] ** 2;
      return runs.length > 0 ? Math.sqrt(ss) / runs.length : NaN;
    }),
    curve,
    samplesCurve,
    gapTolerance: eps,
    samplesToGap: samplesToGap(samplesCurve.samples, samplesCurve.mean, eps),
  };
}

/** The best learner (highest mean worst-case team return, the planner excluded) at each radius, with the planner's value as reference. */
export function radiusWinners(summaries: readonly LearnerSummary[], radii: readonly number[]): RadiusWinner[] {
  return radii.map((radius, q) => {
    let learner: string | null = null;
    let value = -Infinity;
    let reference: number | null = null;
    for (const s of summaries) {
      const v = s.worstCase[q].mean;
      if (!Number.isFinite(v)) continue;
      if (s.name === 'planner') {
        reference = v;
        continue;
      }
      // Ties within 1e-9 go to the earlier learner of the config.
      if (v > value + 1e-9) {
        value = v;
        learner = s.learner;
      }
    }
    const tied = summaries.filter((s) => s.name !== 'planner' && s.learner !== learner && Math.abs(s.worstCase[q].mean - value) <= 1e-9).map((s) => s.learner);
    return { radius, learner, tied, value: learner === null ? NaN : value, reference };
  });
}
