/** MORNAVI's opt-in scaled heuristic: `autoBonusScale` follows its formula and does not grow with the radius. */
import { randomGame } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { learnerContext } from './learner-context.ts';
import { createLearner } from './learner-registry.ts';
import { AUTO_BONUS_CONSTANT, autoBonusScale, defaultMornaviConfig, type MornaviLearner } from './mornavi.ts';

describe('bonusScale=auto (the opt-in scaled heuristic)', () => {
  // autoBonusScale = a / (L * sqrt(H S J)), TV: L = c2 H^2 S iota, iota = log(S^2 J H^2 K^1.5 / delta) (mornavi.ts header).
  it('follows its formula for TV, shrinks with the game size, and an explicit bonusScale wins', () => {
    const small = randomGame(3, { S: 5, H: 3, A: [2, 2], divergence: 'tv', maxRadius: 0.3 });
    const large = randomGame(4, { S: 30, H: 6, A: [3, 3], divergence: 'tv', maxRadius: 0.3 });
    const K = 3000;
    const ctxSmall = learnerContext(small, K);
    const { c2, delta } = defaultMornaviConfig;
    const iota = Math.log((5 * 5 * 4 * 3 * 3 * Math.pow(K, 1.5)) / delta);
    const expected = AUTO_BONUS_CONSTANT.tv / (c2 * 3 * 3 * 5 * iota * Math.sqrt(3 * 5 * 4));
    expect(autoBonusScale(ctxSmall, { bonusForm: 'tv' })).toBeCloseTo(expected, 15);
    expect(autoBonusScale(learnerContext(large, K), { bonusForm: 'tv' })).toBeLessThan(expected / 10);
    const auto = createLearner('mornavi-tv', ctxSmall, { bonus: 'scaled' }) as MornaviLearner;
    expect(auto.bonusMultiplier).toBeCloseTo(autoBonusScale(ctxSmall, auto.config), 15);
    const explicit = createLearner('mornavi-tv', ctxSmall, { bonus: 'scaled', bonusScale: '0.0003' }) as MornaviLearner;
    expect(explicit.bonusMultiplier).toBe(0.0003);
    const keyword = createLearner('mornavi-tv', ctxSmall, { bonus: 'scaled', bonusScale: 'auto' }) as MornaviLearner;
    expect(keyword.bonusMultiplier).toBe(auto.bonusMultiplier);
    const paper = createLearner('mornavi-tv', ctxSmall, { bonus: 'paper' }) as MornaviLearner;
    expect(paper.bonusMultiplier).toBe(1);
    expect(() => createLearner('mornavi-tv', ctxSmall, { bonusScale: 'lots' })).toThrow(/--param bonusScale/);
    // The default is the certified bonus=valid, which applies no multiplier.
    const byDefault = createLearner('mornavi-tv', ctxSmall, {}) as MornaviLearner;
    expect(byDefault.config.bonus).toBe('valid');
    expect(byDefault.bonusMultiplier).toBe(1);
    expect(byDefault.certified).toBe(true);
  });

  it('the KL auto scale does not grow with the radius (it used to be proportional to the mean radius)', () => {
    // Issue 9: corrupted-bandit-v0 with rho = 10 got scale 6.8e-2 (and about linear regret) from a scale ~ mean rho;
    // here random KL games whose radii go up to 0.1, 1 and 10 (same sizes, same seed).
    const scales = [0.1, 1, 10].map((rho) => autoBonusScale(learnerContext(randomGame(5, { S: 3, H: 2, A: [2, 2], divergence: 'kl', maxRadius: rho }), 2000), { bonusForm: 'kl' }));
    expect(scales[1]).toBe(scales[0]);
    expect(scales[2]).toBe(scales[0]);
    expect(scales[2]).toBeLessThan(6.8e-3);
    // rho = 0 rows of a KL game use the TV form with the same radius-free scale (no 1/rho blow-up, no radius factor).
    const ctx = learnerContext(randomGame(5, { S: 3, H: 2, A: [2, 2], divergence: 'kl', maxRadius: 10 }), 2000);
    expect(autoBonusScale(ctx, { bonusForm: 'kl' })).toBe(autoBonusScale(ctx, { bonusForm: 'tv' }) * (AUTO_BONUS_CONSTANT.kl / AUTO_BONUS_CONSTANT.tv));
  });
});
