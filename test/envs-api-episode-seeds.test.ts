/**
 * Episode seeds derived from the run seed: the documented derivation, episode k replaying alone
 * (from the learner's state at k), and one generator per agent.
 */
import { createRng, randomGame, type Rng } from '@drmg/core';
import { createTabularEnv } from '@drmg/envs';
import { createLearner, createRandomLearner, learnerContext, type Learner, type LearnerContext } from '@drmg/learners';
import { agentSeed, envSeed, episodeRng, episodeSeed, eventToJsonLine, train, TrainingRun, type EpisodeRng, type TrainEvent, type TrainingRunOptions } from '@drmg/experiments';
import { describe, expect, it } from 'vitest';

const game = randomGame(21, { S: 4, H: 5, A: [2, 3], maxRadius: 0.2 });

function collect(stream: ReturnType<typeof train>): Promise<TrainEvent[]> {
  return new Promise((resolve, reject) => {
    const out: TrainEvent[] = [];
    stream.subscribe({ next: (e) => out.push(e), error: reject, complete: () => resolve(out) });
  });
}

/** Episode k of `run` alone, as JSON lines. */
function playAlone(run: TrainingRun, k: number): string[] {
  const out: string[] = [];
  run.episode(k, { next: (e) => out.push(eventToJsonLine(e)), closed: false });
  return out;
}

const episodeOf = (events: TrainEvent[], k: number) => events.filter((e) => e.k === k).map(eventToJsonLine);

describe('episode seeds', () => {
  it('follow the documented derivation', () => {
    expect(episodeSeed(1, 0)).toBe('1/k0');
    expect(episodeSeed('run', 12)).toBe('run/k12');
    expect(agentSeed('1/k0', 2)).toBe('1/k0/agent2');
    const u = createRng('1/k3/env')();
    expect(envSeed('1/k3')).toBe(Math.floor(u * 4294967296));
    expect(Number.isInteger(envSeed('x'))).toBe(true);
    const rng = episodeRng('1/k3');
    const learner = createRng('1/k3/learner');
    const agent1 = createRng('1/k3/agent1');
    expect([rng(), rng.agent(1)(), rng(), rng.agent(1)()]).toEqual([learner(), agent1(), learner(), agent1()]);
    expect(rng.agent(1)).toBe(rng.agent(1));
    expect(() => episodeSeed(1, -1)).toThrow('episodeSeed(k): expected an episode index, an integer >= 0, got -1');
    expect(() => rng.agent(0.5)).toThrow('rng.agent(i): expected an agent index, an integer >= 0, got 0.5');
  });

  it('every episode resets the environment with envSeed(episodeSeed(seed, k))', async () => {
    const events = await collect(train({ env: createTabularEnv(game), learner: { name: 'random' }, episodes: 25, seed: 8, steps: false, policies: false }));
    const env = createTabularEnv(game);
    const starts = events.filter((e) => e.type === 'episode-start').map((e) => e.s1);
    expect(starts).toEqual(Array.from({ length: 25 }, (_, k) => env.resetState(envSeed(episodeSeed(8, k)))));
  });
});

describe('episode k replays alone', () => {
  const K = 40;
  const options = (learner: TrainingRunOptions['learner']): TrainingRunOptions => ({ env: createTabularEnv(game), learner, episodes: K, seed: 'replay' });

  it('random learner: the steps of episode k of a full run equal episode k played alone on a fresh run', async () => {
    const full = await collect(train(options((ctx) => createRandomLearner(ctx))));
    for (const k of [0, 1, 17, 39]) expect(playAlone(new TrainingRun(options((ctx) => createRandomLearner(ctx))), k)).toEqual(episodeOf(full, k));
    // and in any order
    const run = new TrainingRun(options((ctx) => createRandomLearner(ctx)));
    const backwards = [39, 20, 3].map((k) => playAlone(run, k));
    expect(backwards).toEqual([39, 20, 3].map((k) => episodeOf(full, k)));
  });

  it('a fixed policy (the known-model planner): the same', async () => {
    const full = await collect(train(options({ name: 'planner' })));
    for (const k of [5, 31]) expect(playAlone(new TrainingRun(options({ name: 'planner' })), k)).toEqual(episodeOf(full, k));
  });

  it('a learning learner (MORNAVI-TV), given its state at k: episode k on a fresh run and environment equals the full run', async () => {
    const full = await collect(train(options({ name: 'mornavi-tv' })));
    const learner = createLearner('mornavi-tv', learnerContext(game, K));
    // Bring the learner to its state at k = 12 (its own run), then play episode 12 with a new run on a new environment.
    const warm = new TrainingRun(options(learner));
    for (let k = 0; k < 12; k++) warm.episode(k, { next: () => {}, closed: false });
    expect(playAlone(new TrainingRun(options(learner)), 12)).toEqual(episodeOf(full, 12));
  });
});

describe('a random stream per agent', () => {
  /** Two agents as one learner: agent 0 draws once per step from rng.agent(0), agent 1 draws `extra` times from rng.agent(1). */
  function twoAgents(extra: number, log: number[][]) {
    return (ctx: LearnerContext): Learner => {
      const random = createRandomLearner(ctx);
      return {
        ...random,
        name: 'two-agents',
        act(_h: number, _s: number, rng: Rng): number {
          const r = rng as EpisodeRng;
          const a0 = Math.floor(r.agent(0)() * ctx.A[0]);
          let a1 = 0;
          for (let q = 0; q < extra; q++) a1 = Math.floor(r.agent(1)() * ctx.A[1]);
          log.push([a0, a1]);
          return a0 * ctx.A[1] + a1;
        },
      };
    };
  }

  it("agent 0's actions do not depend on how many draws agent 1 makes, and come from createRng(agentSeed(e_k, 0))", async () => {
    const one: number[][] = [];
    const five: number[][] = [];
    const H = game.H;
    // Agent 1 acts differently, so the states may differ too; agent 0's draws must not.
    await collect(train({ env: createTabularEnv(game), learner: twoAgents(1, one), episodes: 6, seed: 3 }));
    await collect(train({ env: createTabularEnv(game), learner: twoAgents(5, five), episodes: 6, seed: 3 }));
    expect(five.map((x) => x[0])).toEqual(one.map((x) => x[0]));
    expect(five.map((x) => x[1])).not.toEqual(one.map((x) => x[1]));
    const want: number[] = [];
    for (let k = 0; k < 6; k++) {
      const g = createRng(agentSeed(episodeSeed(3, k), 0));
      for (let h = 0; h < H; h++) want.push(Math.floor(g() * game.A[0]));
    }
    expect(one.map((x) => x[0])).toEqual(want);
  });
});
