/**
 * `train` and `trainMany` under concurrent subscriptions: every subscription trains on its own
 * environment (a clone of an instance, or a fresh one from a factory), so two interleaved
 * subscriptions give the same events as two sequential ones, byte for byte.
 */
import { randomGame, type TabularGame } from '@drmg/core';
import { createTabularEnv, Wrapper, type ResetArgs, type ResetResult, type TabularEnv, type TabularInfo, type TabularObservation } from '@drmg/envs';
import type { Learner, LearnerContext } from '@drmg/learners';
import { eventToJsonLine, train, trainMany, type Observable, type TrainEvent } from '@drmg/experiments';
import { describe, expect, it } from 'vitest';

const game = randomGame(3, { S: 4, H: 3, A: [2, 2], maxRadius: 0.1 });

/** A learner whose policy follows what it saw: it replays the joint action with the best observed team reward, else explores. */
function greedyLearner(ctx: LearnerContext): Learner {
  const { H, S, J } = ctx;
  const best = new Float64Array(H * S * J);
  const prob = new Float64Array(H * S * J).fill(1 / J);
  return {
    name: 'greedy',
    beginEpisode: () => ({ kind: 'joint', H, S, J, prob }),
    act(h, s, rng) {
      const base = (h * S + s) * J;
      let j = Math.min(J - 1, Math.floor(rng() * J));
      if (rng() < 0.5) for (let q = 0; q < J; q++) if (best[base + q] > best[base + j]) j = q;
      return j;
    },
    observe(h, s, j, rewards) {
      const r = (h * S + s) * J + j;
      best[r] = Math.max(best[r], rewards[0] + rewards[1]);
    },
    endEpisode: () => ({}),
    outputPolicy: () => ({ kind: 'joint', H, S, J, prob }),
  };
}

/** A non-stationary environment: the n-th reset starts in state n mod S (its count survives resets); no clone(). */
class CountingEnv extends Wrapper<TabularObservation, number, TabularInfo, TabularEnv> {
  private resets = 0;
  override reset(args: ResetArgs = {}): ResetResult<TabularObservation, TabularInfo> {
    return this.env.reset({ ...args, options: { initialState: this.resets++ % this.env.model.S } });
  }
}

/** The same with clone(): a copy starts a new count. */
class ClonableCountingEnv extends CountingEnv {
  clone(): ClonableCountingEnv {
    return new ClonableCountingEnv(this.env.clone());
  }
}

function lines(stream: Observable<TrainEvent>, log?: string[], tag?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const out: string[] = [];
    stream.subscribe({
      next: (e) => {
        out.push(eventToJsonLine(e));
        if (e.type === 'episode-end') log?.push(`${tag}${e.k}`);
      },
      error: reject,
      complete: () => resolve(out.join('\n')),
    });
  });
}

/** Two subscriptions run one after the other, then two at once (interleaved episode by episode); returns all four and the interleaving log. */
async function sequentialAndConcurrent(stream: Observable<TrainEvent>) {
  const a = await lines(stream);
  const b = await lines(stream);
  const log: string[] = [];
  const [c, d] = await Promise.all([lines(stream, log, 'c'), lines(stream, log, 'd')]);
  return { a, b, c, d, log };
}

describe('train under concurrent subscriptions', () => {
  it('a TabularEnv instance: two interleaved subscriptions give the events of two sequential ones, byte for byte', async () => {
    const stream = train({ env: createTabularEnv(game), learner: greedyLearner, episodes: 30, seed: 5, yieldEveryMs: 0 });
    const { a, b, c, d, log } = await sequentialAndConcurrent(stream);
    expect(log.slice(0, 4)).toEqual(['c0', 'd0', 'c1', 'd1']); // really interleaved
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(d).toBe(a);
  });

  it('an instance with clone() whose state survives resets: every subscription starts from a fresh copy', async () => {
    const stream = train({ env: new ClonableCountingEnv(createTabularEnv(game)), model: game, learner: greedyLearner, episodes: 10, seed: 2, yieldEveryMs: 0 });
    const { a, b, c, d } = await sequentialAndConcurrent(stream);
    expect([b, c, d]).toEqual([a, a, a]);
    // and the count is visible: episode n starts in state n mod S
    const starts = a.split('\n').map((l) => JSON.parse(l) as TrainEvent).filter((e) => e.type === 'episode-start');
    expect(starts.map((e) => e.s1)).toEqual(Array.from({ length: 10 }, (_, n) => n % game.S));
  });

  it('a factory () => env gives the same events as an instance, and is called once per subscription', async () => {
    let made = 0;
    const factory = () => {
      made++;
      return createTabularEnv(game);
    };
    const fromFactory = train({ env: factory, learner: greedyLearner, episodes: 20, seed: 9, yieldEveryMs: 0 });
    const fromInstance = train({ env: createTabularEnv(game), learner: greedyLearner, episodes: 20, seed: 9 });
    const { a, c, d } = await sequentialAndConcurrent(fromFactory);
    expect(made).toBe(4);
    expect(await lines(fromInstance)).toBe(a);
    expect([c, d]).toEqual([a, a]);
  });

  it('an instance without clone() serves one subscription at a time: a concurrent one errors and says what to pass', async () => {
    const env = new CountingEnv(createTabularEnv(game));
    const stream = train({ env, model: game, learner: greedyLearner, episodes: 5, seed: 1, yieldEveryMs: 0 });
    const first = lines(stream);
    await expect(lines(stream)).rejects.toThrow(/^train\(options\.env\): this environment has no clone\(\) and another training run is using it; pass a factory \(\) => env/);
    const a = await first;
    // Lent again once the first run is over; its count went on, which is why instances are cloned when they can be.
    const b = await lines(stream);
    expect(b).toContain('episode-end');
    expect(b).not.toBe(a);
  });

  it('a factory that does not return an environment errors the stream', async () => {
    await expect(lines(train({ env: () => 42 as never, model: game, learner: greedyLearner, episodes: 1, seed: 1 }))).rejects.toThrow('train(options.env)(): expected an environment (reset, step, possibleAgents, horizon), got number');
  });
});

describe('trainMany with an environment instance', () => {
  const entries = [
    { name: 'a', learner: greedyLearner },
    { name: 'b', learner: greedyLearner },
  ];

  it('clones it per learner and per subscription: instance, factory and game agree; concurrent equals sequential', async () => {
    const env: TabularEnv = createTabularEnv(game);
    const fromInstance = trainMany(entries, { env, episodes: 10, seed: 4, yieldEveryMs: 0 });
    const { a, b, c, d } = await sequentialAndConcurrent(fromInstance);
    expect([b, c, d]).toEqual([a, a, a]);
    expect(await lines(trainMany(entries, { env: () => createTabularEnv(game), episodes: 10, seed: 4 }))).toBe(a);
    expect(await lines(trainMany(entries, { env: game as TabularGame, episodes: 10, seed: 4 }))).toBe(a);
    expect(env.agents).toEqual([]); // the instance itself was never reset
  });

  it('rejects one instance without clone() for several learners, naming the option', async () => {
    const env = new CountingEnv(createTabularEnv(game));
    await expect(lines(trainMany(entries, { env, model: game, episodes: 2, seed: 1 }))).rejects.toThrow(/^trainMany\(options\.env\): this environment has no clone\(\)/);
  });
});
