/** Known values and properties of the compare summary statistics (slopes, late gap, stats, winners). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gapTolerance, lateGap, radiusWinners, regretSlope, regretSlopeFit, samplesToGap, slopeTolerance, stat, summarizeLearner, type LearnerSummary } from './compare-summary.ts';
import type { CompareRunResult } from './compare-task.ts';

describe('regretSlope', () => {
  it('is the exponent a of regret = c k^a (exact on a power law), over K/10..K', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1.5, noNaN: true }), fc.double({ min: 0.01, max: 100, noNaN: true }), (a, c) => {
        const episodes = Array.from({ length: 50 }, (_, q) => 20 * (q + 1));
        const regret = episodes.map((k) => c * k ** a);
        expect(regretSlope(episodes, regret)).toBeCloseTo(a, 9);
      }),
    );
  });

  it('ignores points before K/10 and non-positive regret, and is NaN with fewer than two points left', () => {
    // before K/10 = 100 the regret is wild; after it, linear: slope 1
    const episodes = [10, 50, 100, 200, 400, 1000];
    expect(regretSlope(episodes, [1e6, 1e-6, 100, 200, 400, 1000])).toBeCloseTo(1, 12);
    expect(regretSlope([100, 1000], [0, 5])).toBeNaN();
    expect(regretSlope([], [])).toBeNaN();
  });
});

describe('regretSlope with the tolerance max(1e-6, 1e-9 K H)', () => {
  // bridge-crossing's default run: K = 3,000, H = 6, evaluated every 20 episodes
  const episodes = Array.from({ length: 150 }, (_, q) => 20 * (q + 1));
  const tol = slopeTolerance(3000, 6);

  it('states its rule: max(1e-6, 1e-9 K H)', () => {
    expect(tol).toBeCloseTo(1.8e-5, 20);
    expect(slopeTolerance(10, 3)).toBe(1e-6);
  });

  it("the planner's near-zero regret gets no slope (rounding noise growing linearly would read as slope 1.00)", () => {
    const noise = episodes.map((k) => 1e-17 * k); // ~3e-14 at K, the planner's regret on bridge-crossing
    expect(regretSlope(episodes, noise)).toBeCloseTo(1, 9); // what an unguarded fit prints: "1.00 ± 0.00"
    const fit = regretSlopeFit(episodes, noise, tol);
    expect(fit.slope).toBeNaN();
    expect(fit.reason).toBe('regret at K = 3.0e-14 is not above the tolerance 1.8e-5');
    expect(regretSlopeFit(episodes, episodes.map(() => 0), tol).reason).toContain('regret at K = 0.0e+0 is not above');
  });

  it('a linear-regret synthetic series gets slope 1, a sqrt(K) one slope 0.5', () => {
    const linear = regretSlopeFit(episodes, episodes.map((k) => 0.2 * k), tol);
    expect(linear.reason).toBeNull();
    expect(linear.slope).toBeCloseTo(1, 12);
    expect(regretSlope(episodes, episodes.map((k) => 3 * Math.sqrt(k)), tol)).toBeCloseTo(0.5, 12);
  });

  it('a negative-gap series: the signed regret at K is below the tolerance, so no slope, with the reason', () => {
    const fit = regretSlopeFit(episodes, episodes.map((k) => -0.01 * k), tol);
    expect(fit.slope).toBeNaN();
    expect(fit.reason).toBe('regret at K = -3.0e+1 is not above the tolerance 1.8e-5');
  });

  it('summarizeLearner gives the slope of seeds above the tolerance and says why the others have none', () => {
    const run = (seed: number, regret: number[]): CompareRunResult =>
      ({ learner: 'x', name: 'x', seed, episodes, regret, gap: regret.map(() => 0), certifiedGap: null, boundGap: null, robustValue: [], nominalValue: [], worstCase: [], randomTeamMean: [], randomTeamStdErr: [] }) as unknown as CompareRunResult;
    const s = summarizeLearner('x', 'x', 'scenario sets', [run(0, episodes.map((k) => 0.2 * k)), run(1, episodes.map((k) => 1e-17 * k))], [], { slopeTolerance: tol });
    expect(s.slope.n).toBe(1);
    expect(s.slope.mean).toBeCloseTo(1, 12);
    expect(s.slopeTolerance).toBe(tol);
    expect(s.slopeNote).toBe('no slope on 1 of 2 seeds: regret at K = 3.0e-14 is not above the tolerance 1.8e-5');
    expect(s.regret.min).toBeCloseTo(3e-14, 25); // the regret itself is reported as it is
    const none = summarizeLearner('x', 'x', 'scenario sets', [run(0, episodes.map((k) => 0.2 * k))], [], { slopeTolerance: tol });
    expect(none.slopeNote).toBeNull();
  });
});

describe('lateGap', () => {
  it('averages the gaps recorded after K/2', () => {
    // K = 100: the points 60, 80, 100 count; (0.3 + 0.2 + 0.1) / 3 = 0.2
    expect(lateGap([20, 40, 50, 60, 80, 100], [9, 9, 9, 0.3, 0.2, 0.1])).toBeCloseTo(0.2, 15);
    expect(lateGap([], [])).toBeNaN();
  });
});

describe('the samples axis', () => {
  const run = (seed: number, gap: number[], samples?: number[]): CompareRunResult =>
    ({ learner: 'x', name: 'x', seed, episodes: [2, 4, 6, 8], regret: [1, 2, 3, 4], gap, samples, certifiedGap: null, boundGap: null, robustValue: [], nominalValue: [], worstCase: [], randomTeamMean: [], randomTeamStdErr: [] }) as unknown as CompareRunResult;

  it('samplesToGap: the calls after which the mean gap stays <= eps (a dip that does not last does not count)', () => {
    expect(samplesToGap([0, 60, 120, 180], [1.2, 0.2, 0.4, 0.2], 0.3)).toBe(180);
    expect(samplesToGap([0, 60, 120], [1.2, 0.3, 0.1], 0.3)).toBe(60); // <= eps, equality included
    expect(samplesToGap([0, 60, 120], [0, 0, 0.31], 0.3)).toBeNull(); // above eps at the end
    expect(samplesToGap([5, 6], [0, 0], 0.3)).toBe(5);
    expect(samplesToGap([], [], 0.3)).toBeNull();
  });

  it('gapTolerance is 0.05 H exactly on the horizons in use', () => {
    expect(gapTolerance(6)).toBe(0.3);
    expect(gapTolerance(20)).toBe(1);
    expect(gapTolerance(1)).toBe(0.05);
  });

  it('summarizeLearner: mean samples and gap band over seeds, and the calls to gap <= eps', () => {
    // seed 0 draws more than seed 1 (trajectory-dependent draws): x is the mean, (12 + 10) / 2 = 11 ...
    const s = summarizeLearner('x', 'x', 'scenario sets', [run(0, [1, 0.5, 0.1, 0.2], [12, 24, 36, 48]), run(1, [0.6, 0.1, 0.3, 0], [10, 20, 30, 40])], [], { gapTolerance: 0.3 });
    expect(s.samplesCurve.samples).toEqual([11, 22, 33, 44]);
    expect(s.samplesCurve.mean).toEqual([0.8, 0.3, 0.2, 0.1].map((v) => expect.closeTo(v, 15)));
    expect(s.samplesCurve.min).toEqual([0.6, 0.1, 0.1, 0]);
    expect(s.samplesCurve.max).toEqual([1, 0.5, 0.3, 0.2]);
    expect(s.gapTolerance).toBe(0.3);
    // ... mean gaps 0.8, 0.3, 0.2, 0.1: <= 0.3 from the second point on, at 22 calls
    expect(s.samplesToGap).toBe(22);
  });

  it('summarizeLearner: runs of an older journal (no samples) give no samples curve; the runs that have them give x', () => {
    const none = summarizeLearner('x', 'x', 'scenario sets', [run(0, [1, 0, 0, 0]), run(1, [1, 0, 0, 0])], [], { gapTolerance: 0.3 });
    expect(none.samplesCurve).toEqual({ samples: [], mean: [], min: [], max: [] });
    expect(none.samplesToGap).toBeNull();
    expect(none.regret.n).toBe(2); // the rest of the summary is unaffected
    const mixed = summarizeLearner('x', 'x', 'scenario sets', [run(0, [1, 0, 0, 0]), run(1, [0, 0, 0, 0], [6, 18, 30, 42])], [], { gapTolerance: 0.3 });
    expect(mixed.samplesCurve.samples).toEqual([6, 18, 30, 42]);
    expect(mixed.samplesCurve.mean).toEqual([0.5, 0, 0, 0]);
    expect(mixed.samplesToGap).toBe(18);
  });
});

describe('stat', () => {
  it('gives mean, sample sd, min and max, skipping NaN', () => {
    // 1, 2, 3, 6: mean 3, squared deviations 4 + 1 + 0 + 9 = 14, sd = sqrt(14 / 3)
    const s = stat([1, NaN, 2, 3, 6]);
    expect(s).toEqual({ n: 4, mean: 3, sd: Math.sqrt(14 / 3), min: 1, max: 6 });
    expect(stat([5]).sd).toBe(0);
    expect(stat([NaN]).n).toBe(0);
  });

  it('has min <= mean <= max and sd >= 0 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 30 }), (xs) => {
        const s = stat(xs);
        expect(s.min).toBeLessThanOrEqual(s.mean + 1e-9 * (1 + Math.abs(s.mean)));
        expect(s.mean).toBeLessThanOrEqual(s.max + 1e-9 * (1 + Math.abs(s.mean)));
        expect(s.sd).toBeGreaterThanOrEqual(0);
      }),
    );
  });
});

describe('radiusWinners', () => {
  const summary = (learner: string, name: string, values: number[]): LearnerSummary =>
    ({ learner, name, worstCase: values.map((v) => stat([v])) }) as unknown as LearnerSummary;

  it('picks the best learner per radius, reports ties and keeps the planner apart as the reference', () => {
    const w = radiusWinners([summary('robust', 'mornavi-tv', [6, 6, 6]), summary('nominal', 'nash-vi', [6.6, 6, 5.4]), summary('planner', 'planner', [6, 6, 6])], [0, 0.15, 0.3]);
    expect(w.map((x) => [x.learner, x.value, x.tied, x.reference])).toEqual([
      ['nominal', 6.6, [], 6],
      ['robust', 6, ['nominal'], 6],
      ['robust', 6, [], 6],
    ]);
  });
});
