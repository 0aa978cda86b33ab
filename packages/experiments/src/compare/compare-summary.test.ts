/** Known values and properties of the compare summary statistics (slopes, late gap, stats, winners). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lateGap, radiusWinners, regretSlope, stat, type LearnerSummary } from './compare-summary.ts';

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

describe('lateGap', () => {
  it('averages the gaps recorded after K/2', () => {
    // K = 100: the points 60, 80, 100 count; (0.3 + 0.2 + 0.1) / 3 = 0.2
    expect(lateGap([20, 40, 50, 60, 80, 100], [9, 9, 9, 0.3, 0.2, 0.1])).toBeCloseTo(0.2, 15);
    expect(lateGap([], [])).toBeNaN();
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
