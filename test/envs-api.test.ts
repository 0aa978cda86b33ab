/**
 * What RL users expect of the environment API (issue 10, item 5), across packages: Gymnasium-style
 * wrappers that compose over every built-in environment, clones that replay like the original,
 * spaces that sample without a generator, and training on a wrapped environment, concurrent
 * subscriptions included.
 */
import { describe, expect, it } from 'vitest';
import { uniformPolicy } from '@drmg/core';
import { adversarialKernel, checkEnv, DEFAULT_SPACE_SEED, failureStateEnv, isTabularEnv, listEnvs, make, Wrapper, type TabularEnv } from '@drmg/envs';
import { eventToJsonLine, train, trainMany, type Observable, type TrainEvent } from '@drmg/experiments';

/** One episode with actions sampled from the action spaces' own generators (seeded per agent). */
function play(env: TabularEnv, seed: number): string {
  const out: unknown[] = [env.reset({ seed }).observations];
  env.possibleAgents.forEach((a, i) => env.actionSpace(a).seed(`${seed}/${i}`));
  while (env.agents.length > 0) {
    const actions: Record<string, number> = {};
    for (const a of env.agents) actions[a] = env.actionSpace(a).sample();
    out.push(env.step(actions));
  }
  return JSON.stringify(out);
}

function lines(stream: Observable<TrainEvent>): Promise<string> {
  return new Promise((resolve, reject) => {
    const out: string[] = [];
    stream.subscribe({ next: (e) => out.push(eventToJsonLine(e)), error: reject, complete: () => resolve(out.join('\n')) });
  });
}

describe('wrappers over the built-in environments', () => {
  it.each(listEnvs().map((e) => e.id))('%s: failure state over an adversary passes checkEnv, forwards the static parts and clones exactly', (id) => {
    const env = make(id);
    const stack = failureStateEnv(adversarialKernel(env, { type: 'random', seed: 2 }), { leak: 0.1 });
    expect(checkEnv(stack, { seeds: [1, 'y'] }).problems).toEqual([]);
    expect(stack.unwrapped).toBe(env);
    expect(stack.metadata).toEqual({ id, renderModes: ['text', 'ansi'] });
    expect(stack.possibleAgents).toEqual(env.possibleAgents);
    expect(stack.actionSpace(env.possibleAgents[0])).toBe(env.actionSpace(env.possibleAgents[0]));
    expect(stack.model.S).toBe(env.model.S + 1);
    expect(play(stack.clone(), 5)).toBe(play(stack, 5));
    expect(play(env.clone(), 5)).toBe(play(make(id), 5));
  });

  it('an adversary over a failure state evaluates the larger model and is still a TabularEnv', () => {
    const inner = failureStateEnv(make('matching-pennies-v0', { horizon: 3 }), { leak: 0.2 });
    const outer = adversarialKernel(inner, { type: 'worst-case', agent: 1, policy: uniformPolicy(inner.model) });
    expect(isTabularEnv(outer)).toBe(true);
    expect(outer).toBeInstanceOf(Wrapper);
    expect(outer.env).toBe(inner);
    expect(outer.unwrapped).toBe(inner.env);
    expect(outer.report.inside).toBe(true);
    expect(checkEnv(outer).problems).toEqual([]);
  });
});

describe('space.sample() without a generator', () => {
  it("samples with the space's own generator, seeded with DEFAULT_SPACE_SEED, the same in every environment made alike", () => {
    const a = make('bridge-crossing-v0');
    const b = make('bridge-crossing-v0');
    const draw = (env: TabularEnv) => Array.from({ length: 10 }, () => [env.actionSpace('agent_0').sample(), env.observationSpace('agent_1').sample()]);
    expect(DEFAULT_SPACE_SEED).toBe(0);
    expect(draw(a)).toEqual(draw(b));
    expect(() => a.actionSpace('agent_0').sample('x' as never)).toThrow(/^Discrete\(\d+\)\.sample\(rng\): expected a generator/);
  });
});

describe('training on wrapped environments', () => {
  it('train and trainMany take a wrapper stack; concurrent subscriptions equal sequential ones byte for byte', async () => {
    const env = failureStateEnv(adversarialKernel(make('bridge-crossing-v0'), { type: 'random', seed: 1 }), { leak: 0.05 });
    const stream = train({ env, learner: { name: 'mornavi-tv' }, episodes: 15, seed: 3, yieldEveryMs: 0 });
    const a = await lines(stream);
    const b = await lines(stream);
    const [c, d] = await Promise.all([lines(stream), lines(stream)]);
    expect([b, c, d]).toEqual([a, a, a]);
    // the failure state is reachable: some episode visits it (s = S - 1 of the wrapped model)
    expect(a).toContain(`"sp":${env.failureState}`);
    const many = trainMany([{ name: 'tv', learner: { name: 'mornavi-tv' } }, { name: 'random', learner: { name: 'random' } }], { env, episodes: 15, seed: 3, yieldEveryMs: 0 });
    const [m1, m2] = await Promise.all([lines(many), lines(many)]);
    expect(m2).toBe(m1);
  });
});
