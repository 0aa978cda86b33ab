/**
 * MORNAVI's default widths (`bonus=valid`, docs/learners/confidence-bounds.md) checked against the exact evaluator:
 *  - optimism at every (k, h, s, i): V_bar_{i,h}(s) >= agent i's robust best-response value to the episode policy and
 *    V_low_{i,h}(s) <= its robust value (eqs. 5-8 with the confidence-set extremes), and
 *  - the certificate: every episode's `certifiedGap` >= the exact robust gap of that episode's policy from the
 *    initial distribution,
 * counted over 6 games (TV and KL, failure states, 2 and 3 agents) x 20 seeds. The theorem promises both on an event
 * of probability >= 1 - delta (delta = 0.1) per run, so at least 18 of 20 runs of each game must be clean; the counts
 * are printed. The same counts for the earlier default (the scaled heuristic) show violations, so the check can fail.
 */
import { createRng } from '@drmg/core';
import type { TabularGame } from '@drmg/core';
import { make } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { createLearner, createMornavi, learnerContext, runEpisode } from '@drmg/learners';
import type { MornaviConfig } from '@drmg/learners';
import { describe, expect, it } from 'vitest';

interface Counts {
  runs: number;
  cleanRuns: number;
  episodes: number;
  optimistic: number;
  certificateHolds: number;
  nontrivial: number;
}

/** Trains K episodes and counts, per episode, optimism at every (h, s, i) and bound >= exact gap. */
function countRun(game: TabularGame, seed: number, K: number, config: Partial<MornaviConfig>): Omit<Counts, 'runs' | 'cleanRuns'> & { clean: boolean } {
  const { m, S, H } = game;
  const learner = createMornavi(learnerContext(game, K), { bonusForm: game.divergence, ...config });
  const ev = createEvaluator(game);
  const rng = createRng(seed);
  let optimistic = 0;
  let certificateHolds = 0;
  let nontrivial = 0;
  for (let k = 0; k < K; k++) {
    const res = runEpisode(game, learner, k, rng);
    let ok = true;
    for (let i = 0; i < m; i++) {
      const best = ev.bestResponseTable(res.policy, i);
      const value = ev.valueTable(res.policy, i);
      for (let h = 0; h < H; h++) {
        for (let s = 0; s < S; s++) {
          const up = learner.upper[(h * m + i) * S + s];
          const lo = learner.lower[(h * m + i) * S + s];
          if (up < best[h * S + s] - 1e-9 || lo > value[h * S + s] + 1e-9) ok = false;
          if (up < H - h - 1e-9 || lo > 1e-9) nontrivial++;
        }
      }
    }
    if (ok) optimistic++;
    const bound = res.report.certifiedGap ?? res.report.boundGap ?? Infinity;
    if (bound >= initialGap(game, ev.evaluate(res.policy, { swap: false })) - 1e-9) certificateHolds++;
  }
  return { episodes: K, optimistic, certificateHolds, nontrivial, clean: optimistic === K && certificateHolds === K };
}

const GAMES: { label: string; game: () => TabularGame; K: number }[] = [
  { label: 'random-v0 TV S=4+1 (failure state), sparse rows', game: () => make('random-v0', { states: 4, horizon: 3, failure: true, support: 2, rho: 0.2, seed: 1 }).model, K: 150 },
  { label: 'random-v0 KL S=4+1 (failure state)', game: () => make('random-v0', { states: 4, horizon: 3, failure: true, divergence: 'kl', rho: 0.3, seed: 2 }).model, K: 150 },
  { label: 'random-v0 TV 3 agents S=3+1 (failure state)', game: () => make('random-v0', { agents: 3, states: 3, horizon: 2, failure: true, rho: 0.1, seed: 3 }).model, K: 100 },
  { label: 'initial-shock-v0 (TV, Example 1)', game: () => make('initial-shock-v0').model, K: 150 },
  { label: 'corrupted-bandit-v0 (KL, Example 2)', game: () => make('corrupted-bandit-v0').model, K: 200 },
  { label: 'bridge-crossing-v0 H=3 (TV, failure state)', game: () => make('bridge-crossing-v0', { horizon: 3 }).model, K: 60 },
];

describe('bonus=valid: optimism and true certificates, counted against the exact evaluator', () => {
  it('holds in >= 90% of runs (delta = 0.1) on each of 6 games x 20 seeds; the counts are printed', () => {
    const lines: string[] = [];
    for (const { label, game: makeGame, K } of GAMES) {
      const game = makeGame();
      const c: Counts = { runs: 0, cleanRuns: 0, episodes: 0, optimistic: 0, certificateHolds: 0, nontrivial: 0 };
      for (let seed = 0; seed < 20; seed++) {
        const r = countRun(game, 1000 + seed, K, {});
        c.runs++;
        if (r.clean) c.cleanRuns++;
        c.episodes += r.episodes;
        c.optimistic += r.optimistic;
        c.certificateHolds += r.certificateHolds;
        c.nontrivial += r.nontrivial;
      }
      lines.push(`${label}: clean runs ${c.cleanRuns}/${c.runs}; episodes optimistic ${c.optimistic}/${c.episodes}, certificate >= exact gap ${c.certificateHolds}/${c.episodes}; non-trivial (h, s, i) bounds ${c.nontrivial}`);
      expect(c.cleanRuns).toBeGreaterThanOrEqual(18);
      // The bounds leave the trivial [0, H - h] (so the check is not vacuous).
      expect(c.nontrivial).toBeGreaterThan(c.episodes);
    }
    console.log(`bonus=valid optimism counts:\n  ${lines.join('\n  ')}`);
  });

  it('the earlier default (the scaled heuristic) violates them, and reports its bound as not certified', () => {
    let violations = 0;
    let certifiedReports = 0;
    for (const { game: makeGame, K } of GAMES.slice(0, 2)) {
      const game = makeGame();
      for (let seed = 0; seed < 5; seed++) {
        const r = countRun(game, 1000 + seed, K, { bonus: 'scaled', bonusScale: 'auto' });
        violations += r.episodes - r.optimistic;
        const learner = createMornavi(learnerContext(game, 5), { bonusForm: game.divergence, bonus: 'scaled' });
        const res = runEpisode(game, learner, 0, createRng(seed));
        if (res.report.certifiedGap !== undefined) certifiedReports++;
        expect(res.report.boundGap).toBeTypeOf('number');
        expect(learner.outputCertifiedGap!()).toBeUndefined();
      }
    }
    expect(violations).toBeGreaterThan(0);
    expect(certifiedReports).toBe(0);
  });
});

describe('bonus=valid: when the bound stops being a certificate', () => {
  it('reports boundGap once a reward varies (stochastic rewards), past the planned K episodes, or with rhoScale != 1', () => {
    const game = make('random-v0', { states: 3, horizon: 2, failure: true, seed: 5 }).model;
    // Past K: planned K = 3, the 4th episode's bound is no longer certified.
    const learner = createMornavi(learnerContext(game, 3), { bonusForm: 'tv' });
    const rng = createRng(1);
    for (let k = 0; k < 3; k++) expect(runEpisode(game, learner, k, rng).report.certifiedGap).toBeTypeOf('number');
    const late = runEpisode(game, learner, 3, rng).report;
    expect(late.certifiedGap).toBeUndefined();
    expect(late.boundGap).toBeTypeOf('number');
    // A reward that differs from the first one seen at the same (h, s, j, i).
    const noisy = createMornavi(learnerContext(game, 10), { bonusForm: 'tv' });
    noisy.beginEpisode(0);
    noisy.observe(0, 0, 0, [0.5, 0.5], 1);
    noisy.observe(0, 0, 0, [0.25, 0.5], 1);
    expect(noisy.endEpisode(0).certifiedGap).toBeUndefined();
    expect(noisy.certified).toBe(false);
    // rhoScale = 0 (the non-robust twin) bounds the nominal gap, not the game's robust one: not a certificate of it.
    const twin = createMornavi(learnerContext(game, 10), { bonusForm: 'tv', rhoScale: 0 });
    const r = runEpisode(game, twin, 0, createRng(2)).report;
    expect(r.certifiedGap).toBeUndefined();
    expect(r.boundGap).toBeTypeOf('number');
  });
});

describe('issue 9 regressions: bounds that were called certified and were not', () => {
  it('corrupted-bandit-v0, mornavi-kl, K = 300: over 40 seeds the output certifiedGap >= the exact output gap (was below it on 10)', () => {
    const game = make('corrupted-bandit-v0').model;
    const ev = createEvaluator(game);
    let below = 0;
    for (let seed = 0; seed < 40; seed++) {
      const learner = createMornavi(learnerContext(game, 300), { bonusForm: 'kl' });
      const rng = createRng(seed);
      for (let k = 0; k < 300; k++) runEpisode(game, learner, k, rng);
      const bound = learner.outputCertifiedGap!();
      expect(bound).toBeTypeOf('number');
      if (bound! < initialGap(game, ev.evaluate(learner.outputPolicy(), { swap: false })) - 1e-9) below++;
    }
    expect(below).toBe(0);
  });

  it('nash-vi (a nominal bound, heuristic scale) and mornavi with bonus=paper never report a certifiedGap', () => {
    const game = make('initial-shock-v0').model;
    for (const [name, params] of [['nash-vi', {}], ['mornavi-tv', { bonus: 'paper' }], ['mornavi-tv', { bonus: 'scaled' }]] as const) {
      const learner = createLearner(name, learnerContext(game, 50), params);
      const rng = createRng(3);
      for (let k = 0; k < 50; k++) {
        const report = runEpisode(game, learner, k, rng).report;
        expect(report.certifiedGap).toBeUndefined();
        expect(report.boundGap).toBeTypeOf('number');
      }
      expect(learner.outputCertifiedGap?.()).toBeUndefined();
      expect(learner.outputBoundGap?.()).toBeTypeOf('number');
    }
  });
});
