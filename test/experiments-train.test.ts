/**
 * Training streams (`train`, `trainMany`): the event protocol, byte-for-byte determinism, the lean
 * path agreeing with the object path, unsubscription stopping training, and bad input.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DrmgError, MAX_EPISODES, randomGame } from '@drmg/core';
import { createTabularEnv, make } from '@drmg/envs';
import { entrySeed, filter, take, takeUntil, Subject, train, trainMany, type TrainEvent } from '@drmg/experiments';
import { collect, driftingLearner, jsonLines, loadGame, objectOnly, ticks, type CallCounts } from './experiments-helpers.ts';

const shock = loadGame('initial-shock.game.json');
const tvGame = loadGame('random-tv.game.json');

describe('train: the event protocol', () => {
  it('emits episode-start, policy, H steps, episode-end per episode, with consistent states, rewards and returns', async () => {
    const K = 7;
    const env = createTabularEnv(tvGame);
    const events = await collect(train({ env, learner: (ctx) => driftingLearner(ctx), episodes: K, seed: 3 }));
    const { H, S, J, m } = tvGame;
    expect(events).toHaveLength(K * (H + 3));
    for (let k = 0; k < K; k++) {
      const ep = events.slice(k * (H + 3), (k + 1) * (H + 3));
      expect(ep.map((e) => e.type)).toEqual(['episode-start', 'policy', ...Array(H).fill('step'), 'episode-end']);
      for (const e of ep) expect(e.k).toBe(k);
      const start = ep[0] as Extract<TrainEvent, { type: 'episode-start' }>;
      const steps = ep.slice(2, 2 + H) as Extract<TrainEvent, { type: 'step' }>[];
      const end = ep[H + 2] as Extract<TrainEvent, { type: 'episode-end' }>;
      expect(steps[0].s).toBe(start.s1);
      const returns = new Array(m).fill(0);
      steps.forEach((st, h) => {
        expect(st.h).toBe(h);
        if (h > 0) expect(st.s).toBe(steps[h - 1].sp);
        expect(st.j).toBeGreaterThanOrEqual(0);
        expect(st.j).toBeLessThan(J);
        expect(st.sp).toBeGreaterThanOrEqual(0);
        expect(st.sp).toBeLessThan(S);
        // rewards are the model's R[((h*S + s)*J + j)*m + i]
        for (let i = 0; i < m; i++) {
          expect(st.rewards[i]).toBe(tvGame.reward[((h * S + st.s) * J + st.j) * m + i]);
          returns[i] += st.rewards[i];
        }
        // the next state is in the support of the nominal row
        const r = (h * S + st.s) * J + st.j;
        const support = Array.from(tvGame.kernel.next.subarray(tvGame.kernel.rowStart[r], tvGame.kernel.rowStart[r + 1]));
        expect(support).toContain(st.sp);
      });
      for (let i = 0; i < m; i++) expect(end.returns[i]).toBeCloseTo(returns[i], 12);
      expect(end.certifiedGap).toBe(1 / (k + 1));
    }
  });

  it('snapshots the policy of each episode even when the learner reuses its buffer', async () => {
    const events = await collect(train({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx), episodes: 30, seed: 1, steps: false }));
    const policies = events.filter((e) => e.type === 'policy').map((e) => (e.policy as { prob: Float64Array }).prob);
    expect(policies).toHaveLength(30);
    // the drifting learner's policy changes as rewards come in: early and late snapshots differ
    expect(Array.from(policies[0])).not.toEqual(Array.from(policies[29]));
    expect(policies[0]).not.toBe(policies[1]);
  });

  it('omits step and policy events when asked', async () => {
    const events = await collect(train({ env: createTabularEnv(shock), learner: (ctx) => driftingLearner(ctx), episodes: 5, seed: 1, steps: false, policies: false }));
    expect(events.map((e) => e.type)).toEqual(Array(5).fill(['episode-start', 'episode-end']).flat());
  });

  it('emits policy events only for the episodes a predicate asks for, the same policies as without it', async () => {
    const run = (policies: boolean | ((k: number) => boolean)) =>
      collect(train({ env: createTabularEnv(shock), learner: (ctx) => driftingLearner(ctx), episodes: 7, seed: 3, steps: false, policies }));
    const all = (await run(true)).filter((e) => e.type === 'policy');
    const some = (await run((k) => k % 3 === 2)).filter((e) => e.type === 'policy');
    expect(some.map((e) => e.k)).toEqual([2, 5]);
    expect(some).toEqual(all.filter((e) => e.k % 3 === 2));
    expect(() => train({ env: createTabularEnv(shock), learner: (ctx) => driftingLearner(ctx), episodes: 2, seed: 0, policies: 'some' as never })).toThrow(
      'train(options.policies): expected true, false or a function of the episode index k, got "some"',
    );
  });

  it('the first episode starts in s_1 ~ mu: initial-shock always starts in the good state', async () => {
    const events = await collect(train({ env: make('initial-shock-v0'), learner: (ctx) => driftingLearner(ctx), episodes: 50, seed: 9, steps: false }));
    const starts = events.filter((e) => e.type === 'episode-start').map((e) => e.s1);
    expect(new Set(starts)).toEqual(new Set([0]));
  });
});

describe('train: determinism', () => {
  const run = (seed: number | string, game = tvGame) => jsonLines(train({ env: createTabularEnv(game), learner: (ctx) => driftingLearner(ctx), episodes: 40, seed }));

  it('gives the same JSON lines, byte for byte, for the same seed, and different ones for another seed', async () => {
    const a = await run(11);
    const b = await run(11);
    expect(a.length).toBeGreaterThan(1000);
    expect(a).toBe(b);
    expect(await run(12)).not.toBe(a);
    expect(await run('11')).toBe(a); // createRng(String(seed))
  });

  it('is a cold Observable: resubscribing with a learner factory replays the same run', async () => {
    const stream = train({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx), episodes: 20, seed: 5 });
    const a = (await collect(stream)).map((e) => JSON.stringify(e, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
    const b = (await collect(stream)).map((e) => JSON.stringify(e, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
    expect(b).toEqual(a);
  });

  it('the lean index path and the object path of a TabularEnv give the same stream', async () => {
    const lean = await jsonLines(train({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx), episodes: 25, seed: 4 }));
    const object = await jsonLines(train({ env: objectOnly(createTabularEnv(tvGame)), model: tvGame, learner: (ctx) => driftingLearner(ctx), episodes: 25, seed: 4 }));
    expect(object).toBe(lean);
  });

  it('property: any seed and small random game give equal streams twice', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1e9 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 3 }), async (seed, S, H) => {
        const game = randomGame(seed, { S, H, A: [2, 2] });
        const go = () => jsonLines(train({ env: createTabularEnv(game), learner: (ctx) => driftingLearner(ctx), episodes: 6, seed }));
        expect(await go()).toBe(await go());
      }),
      { numRuns: 15 },
    );
  });
});

describe('train with registry learners', () => {
  it('mornavi-tv by name: the same seed gives the same JSON lines, byte for byte; another seed differs', async () => {
    const go = (seed: number) => jsonLines(train({ env: createTabularEnv(tvGame), learner: { name: 'mornavi-tv', params: { equilibrium: 'cce' } }, episodes: 60, seed }));
    const a = await go(21);
    expect(await go(21)).toBe(a);
    expect(await go(22)).not.toBe(a);
  });

  it('trainMany: robust, non-robust and random learners on one environment definition, in one pipeline', async () => {
    const entries = [
      { name: 'tv', learner: { name: 'mornavi-tv' } },
      { name: 'nash-vi', learner: { name: 'nash-vi' } },
      { name: 'random', learner: { name: 'random' } },
      { name: 'planner', learner: { name: 'planner' } }, // needsModel: it is handed the model
    ];
    const events = await collect(trainMany(entries, { env: () => make('bridge-crossing-v0'), episodes: 20, seed: 1, steps: false }));
    for (const e of entries) expect(events.filter((x) => x.type === 'episode-end' && x.learner === e.name)).toHaveLength(20);
    const alone = await collect(trainMany([entries[1]], { env: () => make('bridge-crossing-v0'), episodes: 20, seed: 1, steps: false }));
    const lines = (es: TrainEvent[]) => es.filter((x) => x.learner === 'nash-vi').map((x) => JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
    expect(lines(events)).toEqual(lines(alone));
  });

  it('an unknown learner name or a bad parameter errors the stream with the registry message', async () => {
    await expect(collect(train({ env: createTabularEnv(tvGame), learner: { name: 'nope' }, episodes: 2, seed: 1 }))).rejects.toThrow(/unknown learner "nope"/);
    await expect(collect(train({ env: createTabularEnv(tvGame), learner: { name: 'mornavi-tv', params: { equilibrium: 'x' } }, episodes: 2, seed: 1 }))).rejects.toThrow(/--param equilibrium/);
  });
});

describe('train: unsubscribing stops training', () => {
  it('take(n) on episode-end events runs exactly n episodes', async () => {
    const counts: CallCounts = { begun: 0, ended: 0 };
    const events = await collect(
      train({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx, counts), episodes: 1_000_000, seed: 1 }).pipe(
        filter((e) => e.type === 'episode-end'),
        take(5),
      ),
    );
    expect(events).toHaveLength(5);
    await ticks(20);
    expect(counts).toEqual({ begun: 5, ended: 5 });
  });

  it('take(n) on all events stops inside the episode that produced the n-th event', async () => {
    const counts: CallCounts = { begun: 0, ended: 0 };
    const H = tvGame.H;
    // episode 0 has H + 3 events; the (H + 5)-th event is the policy event of episode 1
    await collect(train({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx, counts), episodes: 1_000_000, seed: 1 }).pipe(take(H + 5)));
    await ticks(20);
    expect(counts).toEqual({ begun: 2, ended: 1 });
  });

  it('takeUntil stops a long run between chunks and no episode runs afterwards', async () => {
    const counts: CallCounts = { begun: 0, ended: 0 };
    const stop = new Subject<void>();
    const K = MAX_EPISODES; // the most train accepts: a run that would take hours
    let seen = 0;
    const done = new Promise<void>((resolve, reject) =>
      train({ env: createTabularEnv(tvGame), learner: (ctx) => driftingLearner(ctx, counts), episodes: K, seed: 1, steps: false, yieldEveryMs: 2 })
        .pipe(takeUntil(stop))
        .subscribe({
          next: (e) => {
            if (e.type === 'episode-end') seen++;
          },
          error: reject,
          complete: resolve,
        }),
    );
    // the notifier fires from a macrotask, i.e. between training chunks
    setImmediate(() => setImmediate(() => setTimeout(() => stop.next(), 5)));
    await done;
    const after = counts.begun;
    expect(after).toBeGreaterThan(0);
    expect(after).toBeLessThan(K);
    expect(counts.ended).toBe(seen);
    await ticks(30);
    expect(counts.begun).toBe(after);
  });
});

describe('trainMany', () => {
  const entries = [
    { name: 'a', learner: (ctx: Parameters<typeof driftingLearner>[0]) => driftingLearner(ctx) },
    { name: 'b', learner: (ctx: Parameters<typeof driftingLearner>[0]) => driftingLearner(ctx) },
  ];

  it("tags events with the learner's name and interleaves episode by episode", async () => {
    const events = await collect(trainMany(entries, { env: tvGame, episodes: 4, seed: 2, steps: false }));
    const order = events.filter((e) => e.type === 'episode-end').map((e) => `${e.learner}${e.k}`);
    expect(order).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2', 'a3', 'b3']);
  });

  it("each learner's events equal those it produces alone, whoever else runs", async () => {
    const many = await collect(trainMany(entries, { env: tvGame, episodes: 15, seed: 7 }));
    const onlyB = await collect(trainMany([entries[1]], { env: tvGame, episodes: 15, seed: 7 }));
    const alone = await collect(train({ env: createTabularEnv(tvGame), learner: entries[1].learner, episodes: 15, seed: entrySeed(7, 'b'), name: 'b' }));
    const lines = (es: TrainEvent[]) => es.filter((e) => e.learner === 'b').map((e) => JSON.stringify(e, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
    expect(lines(many)).toEqual(lines(alone));
    expect(lines(onlyB)).toEqual(lines(alone));
    // and a and b, with different derived seeds, do not see the same episodes
    expect(lines(many.map((e) => ({ ...e, learner: e.learner === 'a' ? 'b' : 'x' })))).not.toEqual(lines(alone));
  });

  it('takes an environment factory too (e.g. a registered id)', async () => {
    const fromId = await jsonLines(trainMany(entries, { env: () => make('initial-shock-v0'), episodes: 5, seed: 1 }));
    const fromGame = await jsonLines(trainMany(entries, { env: make('initial-shock-v0').model, episodes: 5, seed: 1 }));
    expect(fromId).toBe(fromGame);
  });

  it('rejects no entries and duplicate names', () => {
    expect(() => trainMany([], { env: tvGame, episodes: 1, seed: 1 })).toThrow(/at least one/);
    expect(() => trainMany([entries[0], entries[0]], { env: tvGame, episodes: 1, seed: 1 })).toThrow(/duplicate name "a"/);
  });
});

describe('train: bad input', () => {
  it('rejects K < 1, a non-integer K and a bad seed at once, with the option named', () => {
    const env = createTabularEnv(shock);
    const learner = (ctx: Parameters<typeof driftingLearner>[0]) => driftingLearner(ctx);
    for (const episodes of [0, -3, 1.5, Number.NaN]) {
      expect(() => train({ env, learner, episodes, seed: 1 })).toThrow(DrmgError);
      expect(() => train({ env, learner, episodes, seed: 1 })).toThrow(/train\(options\.episodes\): expected an integer >= 1/);
    }
    expect(() => train({ env, learner, episodes: 1, seed: Number.POSITIVE_INFINITY })).toThrow(/options\.seed/);
  });

  it('needs a model for an environment that is not tabular, and one that fits', () => {
    const learner = (ctx: Parameters<typeof driftingLearner>[0]) => driftingLearner(ctx);
    expect(() => train({ env: objectOnly(createTabularEnv(shock)), learner, episodes: 1, seed: 1 })).toThrow(/pass its tabular model as options\.model/);
    const longer = randomGame(1, { S: 2, H: shock.H + 1, A: [2, 2] });
    expect(() => train({ env: objectOnly(createTabularEnv(shock)), model: longer, learner, episodes: 1, seed: 1 })).toThrow(/horizon: expected the model's horizon H = 4, got 3/);
    // a TabularEnv checks a given model against its own sizes
    expect(() => train({ env: createTabularEnv(shock), model: tvGame, learner, episodes: 1, seed: 1 })).toThrow(/expected the environment's sizes S = 2, J = 4/);
  });

  it("errors the stream when a learner's policy does not fit the game", async () => {
    const bad = (ctx: Parameters<typeof driftingLearner>[0]) => ({ ...driftingLearner(ctx), beginEpisode: () => ({ kind: 'joint' as const, H: 1, S: 1, J: 1, prob: new Float64Array([1]) }) });
    await expect(collect(train({ env: createTabularEnv(tvGame), learner: bad, episodes: 3, seed: 1 }))).rejects.toThrow(/policy has H = 1, S = 1/);
  });

  it('errors the stream when the learner plays an action outside [0, J)', async () => {
    const bad = (ctx: Parameters<typeof driftingLearner>[0]) => ({ ...driftingLearner(ctx), act: () => 99 });
    await expect(collect(train({ env: createTabularEnv(tvGame), learner: bad, episodes: 3, seed: 1 }))).rejects.toThrow(DrmgError);
    await expect(collect(train({ env: objectOnly(createTabularEnv(tvGame)), model: tvGame, learner: bad, episodes: 3, seed: 1 }))).rejects.toThrow(/act: expected a joint action index/);
  });
});
