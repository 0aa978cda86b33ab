/**
 * Operators and sinks of the training streams: exact robust gaps (closed forms on matching
 * pennies), cumulative regret (running sums, and the every-n rule), progress, the progress bar,
 * the JSON-lines file, and the drmg-run/1 summary checked from outside.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DrmgError, parsePolicy, type ProductPolicy, type Rng } from '@drmg/core';
import { createTabularEnv, make } from '@drmg/envs';
import { createEvaluator, evaluatePolicy, initialGap } from '@drmg/evaluators';
import type { Learner, LearnerContext } from '@drmg/learners';
import {
  cumulativeRegret,
  eventToJsonLine,
  filter,
  isEvaluated,
  jsonLinesFile,
  progressBar,
  runToJson,
  runTraining,
  take,
  throttledProgress,
  train,
  trainMany,
  withRobustGap,
  type EvaluatedPolicyEvent,
  type TrainEvent,
} from '@drmg/experiments';
import { collect, driftingLearner, loadGame, ticks } from './experiments-helpers.ts';

const pennies = make('matching-pennies-v0').model; // H = 1, S = 1, A = [2, 2]
const tvGame = loadGame('random-tv.game.json');
const klGame = loadGame('random-kl.game.json');

/**
 * A product-policy learner following a fixed schedule on a one-state, one-step 2x2 game:
 * in episode k agent 0 plays action 0 with probability p(k), agent 1 with q(k).
 */
function scheduleLearner(p: (k: number) => number, q: (k: number) => number) {
  return (ctx: LearnerContext): Learner => {
    let current: ProductPolicy = { kind: 'product', H: 1, S: 1, A: [2, 2], marginals: [new Float64Array([1, 0]), new Float64Array([1, 0])] };
    return {
      name: 'schedule',
      beginEpisode(k) {
        current = { kind: 'product', H: ctx.H, S: ctx.S, A: [2, 2], marginals: [new Float64Array([p(k), 1 - p(k)]), new Float64Array([q(k), 1 - q(k)])] };
        return current;
      },
      act(_h, _s, rng: Rng) {
        const a0 = rng() < current.marginals[0][0] ? 0 : 1;
        const a1 = rng() < current.marginals[1][0] ? 0 : 1;
        return a0 * 2 + a1;
      },
      observe() {},
      endEpisode: () => ({}),
      outputPolicy: () => current,
    };
  };
}

/**
 * Matching pennies (scaled: match pays (1, 0), mismatch (0, 1)), product policy (p, q) = P(heads):
 *   V0 = pq + (1-p)(1-q),  BR0 = max(q, 1-q)      (agent 0 wants to match agent 1's coin)
 *   V1 = p(1-q) + (1-p)q,  BR1 = max(p, 1-p)      (agent 1 wants to mismatch)
 *   gap = max(BR0 - V0, BR1 - V1); one state, so robust = nominal and the CE gap equals it (product policy).
 */
function penniesGap(p: number, q: number): number {
  const v0 = p * q + (1 - p) * (1 - q);
  const v1 = p * (1 - q) + (1 - p) * q;
  return Math.max(Math.max(q, 1 - q) - v0, Math.max(p, 1 - p) - v1);
}

const pOf = (k: number) => (k % 5) / 4;
const qOf = (k: number) => ((3 * k) % 7) / 6;

function evaluated(events: TrainEvent[]): EvaluatedPolicyEvent[] {
  return events.filter(isEvaluated);
}

describe('withRobustGap', () => {
  it('adds the closed-form gap of matching pennies to every policy event', async () => {
    const K = 30;
    for (const kind of ['gap', 'ceGap'] as const) {
      const events = await collect(train({ env: make('matching-pennies-v0'), learner: scheduleLearner(pOf, qOf), episodes: K, seed: 1, steps: false }).pipe(withRobustGap(pennies, { kind })));
      const ev = evaluated(events);
      expect(ev.map((e) => e.k)).toEqual([...Array(K).keys()]);
      for (const e of ev) {
        expect(e.gapKind).toBe(kind);
        expect(e.gap).toBeCloseTo(penniesGap(pOf(e.k), qOf(e.k)), 12);
      }
    }
  });

  it('agrees with the one-shot evaluatePolicy on TV and KL games for a correlated learner', async () => {
    for (const game of [tvGame, klGame]) {
      for (const kind of ['gap', 'ceGap'] as const) {
        const events = await collect(train({ env: createTabularEnv(game), learner: (ctx) => driftingLearner(ctx), episodes: 12, seed: 3, steps: false }).pipe(withRobustGap(game, { kind })));
        for (const e of evaluated(events)) expect(e.gap).toBeCloseTo(initialGap(game, evaluatePolicy(game, e.policy), kind), 12);
      }
    }
  });

  it('evaluates episodes n, 2n, ... and, when told K, the last one', async () => {
    const go = (episodes?: number) =>
      collect(train({ env: make('matching-pennies-v0'), learner: scheduleLearner(pOf, qOf), episodes: 23, seed: 1, steps: false }).pipe(withRobustGap(pennies, { every: 5, episodes })));
    expect(evaluated(await go()).map((e) => e.k + 1)).toEqual([5, 10, 15, 20]);
    expect(evaluated(await go(23)).map((e) => e.k + 1)).toEqual([5, 10, 15, 20, 23]);
  });

  it('rejects a bad interval or kind', () => {
    expect(() => withRobustGap(pennies, { every: 0 })).toThrow(/options\.every\): expected an integer >= 1, got 0/);
    expect(() => withRobustGap(pennies, { every: 1.5 })).toThrow(DrmgError);
    expect(() => withRobustGap(pennies, { kind: 'nash' as 'gap' })).toThrow(/expected "gap" or "ceGap"/);
  });
});

describe('cumulativeRegret', () => {
  it('is the running sum of the exact gaps when every episode is evaluated', async () => {
    const K = 40;
    const events = await collect(train({ env: make('matching-pennies-v0'), learner: scheduleLearner(pOf, qOf), episodes: K, seed: 2, steps: false }).pipe(withRobustGap(pennies), cumulativeRegret()));
    let sum = 0;
    for (const e of evaluated(events)) {
      sum += penniesGap(pOf(e.k), qOf(e.k));
      expect(e.regret).toBeCloseTo(sum, 12);
    }
  });

  it('with every = n charges each evaluated gap for the episodes since the previous evaluation', async () => {
    const events = await collect(
      train({ env: make('matching-pennies-v0'), learner: scheduleLearner(pOf, qOf), episodes: 23, seed: 2, steps: false }).pipe(withRobustGap(pennies, { every: 5, episodes: 23 }), cumulativeRegret()),
    );
    const g = (n: number) => penniesGap(pOf(n - 1), qOf(n - 1)); // 1-based episode n has k = n - 1
    const expected = [5 * g(5), 5 * (g(5) + g(10)), 5 * (g(5) + g(10) + g(15)), 5 * (g(5) + g(10) + g(15) + g(20)), 5 * (g(5) + g(10) + g(15) + g(20)) + 3 * g(23)];
    const got = evaluated(events).map((e) => e.regret as number);
    expect(got).toHaveLength(5);
    got.forEach((r, q) => expect(r).toBeCloseTo(expected[q], 12));
  });

  it('keeps one sum per learner in a trainMany stream', async () => {
    const entries = [
      { name: 'early', learner: scheduleLearner(() => 1, () => 1) }, // pure (heads, heads): gap = 1 - 0 = 1 every episode
      { name: 'nash', learner: scheduleLearner(() => 0.5, () => 0.5) }, // the equilibrium: gap 0
    ];
    const events = await collect(trainMany(entries, { env: pennies, episodes: 10, seed: 1, steps: false }).pipe(withRobustGap(pennies), cumulativeRegret()));
    const last = (name: string) => evaluated(events).filter((e) => e.learner === name).at(-1)?.regret;
    expect(last('early')).toBeCloseTo(10, 12);
    expect(last('nash')).toBeCloseTo(0, 12);
  });

  it('property: regret is nondecreasing for product policies and ends at the sum of the gaps', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 12 }), fc.integer({ min: 1, max: 4 }), async (ps, every) => {
        const K = ps.length;
        const p = (k: number) => ps[k];
        const q = (k: number) => ps[(k + 1) % K];
        const events = await collect(
          train({ env: make('matching-pennies-v0'), learner: scheduleLearner(p, q), episodes: K, seed: 1, steps: false }).pipe(withRobustGap(pennies, { every, episodes: K }), cumulativeRegret()),
        );
        const ev = evaluated(events);
        for (let x = 1; x < ev.length; x++) expect(ev[x].regret as number).toBeGreaterThanOrEqual((ev[x - 1].regret as number) - 1e-15);
        if (every === 1) expect(ev.at(-1)?.regret).toBeCloseTo(ps.reduce((acc, _x, k) => acc + penniesGap(p(k), q(k)), 0), 12);
        expect(ev.at(-1)?.k).toBe(K - 1);
      }),
      { numRuns: 25 },
    );
  });
});

describe('throttledProgress and progressBar', () => {
  it('throttledProgress emits on episode ends by a (fake) clock, and a final snapshot', async () => {
    let t = 0;
    const now = () => t;
    const stream = train({ env: make('matching-pennies-v0'), learner: scheduleLearner(() => 1, () => 1), episodes: 10, seed: 1 }).pipe(
      filter((e) => {
        if (e.type === 'episode-end') t += 10; // each episode "takes" 10 ms
        return true;
      }),
      withRobustGap(pennies),
      cumulativeRegret(),
    );
    const every = await collect(stream.pipe(throttledProgress(0, { total: 10, now })));
    expect(every.map((p) => p.episodes)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]);
    expect(every.at(-1)).toMatchObject({ done: true, total: 10, regret: 10, gap: 1 });
    t = 0;
    const sparse = await collect(stream.pipe(throttledProgress(35, { total: 10, now })));
    // first episode end at t = 10 emits; then t >= 10 + 35 (t = 50), then t = 90, then the final one
    expect(sparse.map((p) => p.episodes)).toEqual([1, 5, 9, 10]);
    expect(sparse.map((p) => p.done)).toEqual([false, false, false, true]);
    expect(() => throttledProgress(-1)).toThrow(DrmgError);
  });

  it('progressBar passes every event through and prints plain lines when not on a TTY', async () => {
    const lines: string[] = [];
    const source = train({ env: make('matching-pennies-v0'), learner: scheduleLearner(() => 1, () => 1), episodes: 20, seed: 1 }).pipe(withRobustGap(pennies), cumulativeRegret());
    const plain = await collect(source.pipe(progressBar({ write: (t: string) => lines.push(t) }, { total: 20, label: 'sched', intervalMs: 1e9 })));
    expect(plain.map(eventToJsonLine)).toEqual((await collect(source)).map(eventToJsonLine));
    expect(lines).toHaveLength(1); // only the final line at this interval
    expect(lines[0]).toMatch(/^sched 20\/20 episodes \(100%\)\s+\d+ ep\/s\s+regret 20\.00\s+gap 1\.00 \(done\)\n$/);
  });

  it('progressBar redraws in place on a TTY and ends the line', async () => {
    let out = '';
    let t = 0;
    await collect(
      train({ env: make('matching-pennies-v0'), learner: scheduleLearner(() => 0.5, () => 0.5), episodes: 8, seed: 1, steps: false }).pipe(
        progressBar({ write: (s: string) => (out += s), isTTY: true, columns: 200 }, { total: 8, intervalMs: 0, now: () => (t += 1) }),
      ),
    );
    expect(out.split('\r').length - 1).toBe(9); // 8 redraws + the final one
    expect(out.endsWith('\n')).toBe(true);
    expect(out).toContain('[########################] 8/8 episodes (100%)');
    expect(out).toContain('[###.....................] 1/8 episodes (12%)');
  });
});

describe('jsonLinesFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'drmg-exp-'));

  it('writes one JSON line per event, typed arrays as arrays, and passes events on', async () => {
    const path = join(dir, 'run.jsonl');
    const source = train({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx), episodes: 9, seed: 3 }).pipe(withRobustGap(tvGame, { every: 2 }), cumulativeRegret());
    const passed = await collect(source.pipe(jsonLinesFile(path, { bufferSize: 100 })));
    const text = readFileSync(path, 'utf8');
    expect(text).toBe(passed.map((e) => eventToJsonLine(e) + '\n').join(''));
    const parsed = text.trimEnd().split('\n').map((l) => JSON.parse(l));
    const pol = parsed.find((e) => e.type === 'policy');
    expect(Array.isArray(pol.policy.prob)).toBe(true);
    expect(pol.policy.prob).toHaveLength(tvGame.H * tvGame.S * tvGame.J);
    expect(parsed.filter((e) => e.regret !== undefined).map((e) => e.k + 1)).toEqual([2, 4, 6, 8]);
  });

  it('flushes and closes on unsubscription (take)', async () => {
    const path = join(dir, 'short.jsonl');
    await collect(train({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx), episodes: 1000, seed: 3 }).pipe(jsonLinesFile(path), take(4)));
    await ticks(5);
    expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(4);
  });

  it('errors the stream with the path when the file cannot be written', async () => {
    const path = join(dir, 'no-such-dir', 'run.jsonl');
    const err = await collect(train({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx), episodes: 2, seed: 3 }).pipe(jsonLinesFile(path))).catch((e) => e);
    expect(err).toBeInstanceOf(DrmgError);
    expect(err.kind).toBe('input');
    expect(err.message).toContain(path);
  });
});

describe('runTraining and drmg-run/1', () => {
  it('is consistent from outside: the printed policy, parsed and evaluated afresh, has the printed gap', async () => {
    for (const [game, kind] of [
      [tvGame, 'gap'],
      [klGame, 'ceGap'],
    ] as const) {
      const run = await runTraining({ env: createTabularEnv(game), learner: (ctx) => driftingLearner(ctx), episodes: 37, seed: 8, evalEvery: 4, gapKind: kind });
      const doc = JSON.parse(JSON.stringify(runToJson(run)));
      expect(Object.keys(doc).sort()).toEqual(['certifiedGap', 'episodes', 'format', 'gap', 'policy', 'regret']);
      expect(doc.format).toBe('drmg-run/1');
      expect(doc.episodes).toEqual([4, 8, 12, 16, 20, 24, 28, 32, 36, 37]);
      expect(doc.regret).toHaveLength(doc.episodes.length);
      // the drifting learner certifies 1/(k+1): the smallest is 1/37
      expect(doc.certifiedGap).toBeCloseTo(1 / 37, 15);
      const policy = parsePolicy(doc.policy, game);
      const fresh = initialGap(game, createEvaluator(game).evaluate(policy), kind);
      expect(Math.abs(fresh - doc.gap)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('gives the same document for the same seed', async () => {
    const go = async () => JSON.stringify(runToJson(await runTraining({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx), episodes: 20, seed: 2, evalEvery: 1 })));
    expect(await go()).toBe(await go());
  });
});
