import { randomGame, uniformPolicy } from '@drmg/core';
import { createEvaluator } from '@drmg/evaluators';
import { describe, expect, it } from 'vitest';
import { adversarialKernel, AdversarialKernelEnv } from './adversarial-kernel.ts';
import { checkEnv } from './check-env.ts';
import { FailureStateEnv, failureStateEnv } from './failure-state-env.ts';
import type { AgentRecord, StepResult } from './parallel-env.ts';
import { createTabularEnv, isTabularEnv, TabularEnv, type TabularInfo, type TabularObservation } from './tabular-env.ts';
import { failureKernel, withFailureStates } from './with-failure-states.ts';
import { Wrapper } from './wrapper.ts';

const game = randomGame(7, { S: 3, H: 3, A: [2, 2], maxRadius: 0.2 });

/** A user wrapper that only changes rewards: every reward doubled. */
class DoubledRewards extends Wrapper<TabularObservation, number, TabularInfo> {
  override step(actions: AgentRecord<number>): StepResult<TabularObservation, TabularInfo> {
    const r = this.env.step(actions);
    const rewards: Record<string, number> = {};
    for (const a of Object.keys(r.rewards)) rewards[a] = 2 * r.rewards[a];
    return { ...r, rewards };
  }
}

/** One episode's states and rewards on the object API, joint action j_h = h mod J. */
function trace(env: { reset(a: { seed: number }): { observations: AgentRecord<TabularObservation> }; step(a: AgentRecord<number>): StepResult<TabularObservation, TabularInfo>; possibleAgents: readonly string[] }, seed: number): number[] {
  const out = [env.reset({ seed }).observations.agent_0.state];
  for (let h = 0; h < game.H; h++) {
    const r = env.step({ agent_0: h % 2, agent_1: (h >> 1) % 2 });
    out.push(r.observations.agent_0.state, r.rewards.agent_0, r.rewards.agent_1);
  }
  return out;
}

describe('Wrapper', () => {
  it('forwards everything to the wrapped environment: metadata, agents, horizon, spaces, episodes, render', () => {
    const env = createTabularEnv(game, { id: 'random-v0' });
    const w = new Wrapper<TabularObservation, number, TabularInfo, TabularEnv>(env);
    expect(w.env).toBe(env);
    expect(w.unwrapped).toBe(env);
    expect(w.metadata).toBe(env.metadata);
    expect(w.possibleAgents).toBe(env.possibleAgents);
    expect(w.horizon).toBe(env.horizon);
    expect(w.observationSpace('agent_1')).toBe(env.observationSpace('agent_1'));
    expect(w.actionSpace('agent_0')).toBe(env.actionSpace('agent_0'));
    expect(w.agents).toEqual([]);
    expect(trace(w, 4)).toEqual(trace(createTabularEnv(game), 4));
    expect(w.render()).toBe(env.render());
    expect(String(w)).toBe('Wrapper<random-v0>');
  });

  it('a subclass changes what it overrides and nothing else', () => {
    const plain = trace(createTabularEnv(game), 2);
    const doubled = trace(new DoubledRewards(createTabularEnv(game)), 2);
    plain.forEach((x, n) => expect(doubled[n]).toBe(n === 0 || n % 3 === 1 ? x : 2 * x));
  });

  it('two wrappers compose: unwrapped is the base environment at any depth, env the next one down', () => {
    const env = createTabularEnv(game, { id: 'random-v0' });
    const adv = adversarialKernel(env, { type: 'random', seed: 3 });
    const fs = failureStateEnv(adv, { leak: 0.1 });
    const top = new DoubledRewards(fs);
    expect(adv).toBeInstanceOf(Wrapper);
    expect(fs).toBeInstanceOf(Wrapper);
    expect(fs.env).toBe(adv);
    expect(adv.env).toBe(env);
    expect([adv.unwrapped, fs.unwrapped, top.unwrapped]).toEqual([env, env, env]);
    expect(top.unwrapped).toBe(env);
    expect(String(top)).toBe('DoubledRewards<FailureStateEnv<AdversarialKernelEnv<random-v0>>>');
    // Static parts are the base environment's; the failure state adds one state to the observations.
    expect(fs.metadata).toBe(env.metadata);
    expect(fs.possibleAgents).toBe(env.possibleAgents);
    expect(fs.horizon).toBe(env.horizon);
    expect(fs.actionSpace('agent_1')).toBe(env.actionSpace('agent_1'));
    expect(adv.observationSpace('agent_0').toString()).toBe('Dict(state: Discrete(3), step: Discrete(4))');
    expect(fs.observationSpace('agent_0').toString()).toBe('Dict(state: Discrete(4), step: Discrete(4))');
    expect(fs.kernelLabel).toBe('random');
    expect(fs.render()).toContain('[random kernel]');
    expect(isTabularEnv(fs)).toBe(true);
    expect(isTabularEnv(top)).toBe(false);
    expect(env).toBeInstanceOf(TabularEnv);
    expect(fs).not.toBeInstanceOf(TabularEnv);
  });

  it('failure state over an adversary samples the adversary kernel with the leak; adversary over failure state works on the larger model', () => {
    const env = createTabularEnv(game);
    const adv = adversarialKernel(env, { type: 'random', seed: 3 });
    const fs = failureStateEnv(adv, { leak: 0.1 });
    const want = failureKernel(game, adv.kernel, 0.1);
    expect(Array.from(fs.kernel.rowStart)).toEqual(Array.from(want.rowStart));
    expect(Array.from(fs.kernel.next)).toEqual(Array.from(want.next));
    expect(Array.from(fs.kernel.prob)).toEqual(Array.from(want.prob));
    expect(Array.from(fs.model.kernel.prob)).toEqual(Array.from(withFailureStates(game, { leak: 0.1 }).kernel.prob));

    const inner = failureStateEnv(env, { leak: 0.1 });
    const policy = uniformPolicy(inner.model);
    const outer = adversarialKernel(inner, { type: 'worst-case', agent: 1, policy });
    expect(outer.model).toBe(inner.model);
    expect(outer.env).toBe(inner);
    expect(outer.unwrapped).toBe(env);
    expect(Array.from(outer.kernel.prob)).toEqual(Array.from(createEvaluator(inner.model).worstCaseKernel(policy, 1).prob));
    // A new adversary replaces the old one instead of stacking on it.
    const again = adversarialKernel(outer, { type: 'random', seed: 1 });
    expect(again.env).toBe(inner);
  });

  it('wrapped environments pass checkEnv, and F is flagged as a failure state in infos', () => {
    const env = createTabularEnv(game);
    const fs = failureStateEnv(adversarialKernel(env, { type: 'random', seed: 5 }), { leak: 0.5 });
    expect(checkEnv(fs).problems).toEqual([]);
    expect(checkEnv(adversarialKernel(fs, { type: 'worst-case', agent: 0, policy: uniformPolicy(fs.model) })).problems).toEqual([]);
    fs.resetState(1, 3);
    expect(fs.s).toBe(3);
    expect(fs.step([0, 0]).infos.agent_0.failure).toBe(true);
  });

  it('clone() copies the whole stack: same episodes per seed, independent state, shared kernel', () => {
    const env = createTabularEnv(game);
    const fs = failureStateEnv(adversarialKernel(env, { type: 'random', seed: 3 }), { leak: 0.2 });
    const copy = fs.clone();
    expect(copy).toBeInstanceOf(FailureStateEnv);
    expect(copy.env).toBeInstanceOf(AdversarialKernelEnv);
    expect(copy.env).not.toBe(fs.env);
    expect(copy.unwrapped).not.toBe(env);
    expect(copy.kernel).toBe(fs.kernel);
    expect(copy.model).toBe(fs.model);
    fs.resetState(9);
    fs.stepIndex(1);
    expect(copy.agents).toEqual([]);
    expect(trace(copy, 8)).toEqual(trace(fs, 8));
    expect(trace(env.clone(), 8)).toEqual(trace(createTabularEnv(game), 8));
  });
});
