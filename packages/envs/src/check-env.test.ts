import { randomGame } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { checkEnv } from './check-env.ts';
import type { AgentRecord, ParallelEnv, ResetArgs, ResetResult, StepResult } from './parallel-env.ts';
import { createTabularEnv, type TabularEnv, type TabularInfo, type TabularObservation } from './tabular-env.ts';

type Obs = TabularObservation;

/** A faulty environment: a tabular environment with one fault injected. */
class Faulty implements ParallelEnv<Obs, number, TabularInfo> {
  readonly metadata = { renderModes: ['text'] };
  private buffer: { state: number; step: number }[] = [];
  private count = 0;
  constructor(
    readonly inner: TabularEnv,
    readonly fault: 'alias' | 'ignore-seed' | 'no-truncation' | 'lax-actions' | 'bad-observation' | 'none',
  ) {}
  get possibleAgents() {
    return this.inner.possibleAgents;
  }
  get agents() {
    return this.fault === 'no-truncation' && this.inner.h > 0 ? this.inner.possibleAgents : this.inner.agents;
  }
  get horizon() {
    return this.inner.horizon;
  }
  observationSpace(a: string) {
    return this.inner.observationSpace(a);
  }
  actionSpace(a: string) {
    return this.inner.actionSpace(a);
  }
  private out<T extends { observations: AgentRecord<Obs> }>(r: T): T {
    if (this.fault === 'alias') {
      // Reuses one internal object per agent (the bug checkEnv must catch).
      const observations: Record<string, Obs> = {};
      this.inner.possibleAgents.forEach((a, i) => {
        this.buffer[i] ??= { state: 0, step: 0 };
        this.buffer[i].state = r.observations[a].state;
        this.buffer[i].step = r.observations[a].step;
        observations[a] = this.buffer[i];
      });
      return { ...r, observations };
    }
    if (this.fault === 'bad-observation') {
      const observations: Record<string, Obs> = {};
      for (const a of this.inner.possibleAgents) observations[a] = { state: r.observations[a].state, step: r.observations[a].step + 100 };
      return { ...r, observations };
    }
    return r;
  }
  reset(args: ResetArgs = {}): ResetResult<Obs, TabularInfo> {
    const seed = this.fault === 'ignore-seed' ? this.count++ : args.seed;
    return this.out(this.inner.reset({ ...args, seed }));
  }
  step(actions: AgentRecord<number>): StepResult<Obs, TabularInfo> {
    if (this.fault === 'lax-actions') {
      const clamped: Record<string, number> = {};
      for (const a of this.inner.possibleAgents) clamped[a] = Math.min(actions[a], this.inner.actionSpace(a).n - 1);
      return this.inner.step(clamped);
    }
    if (this.fault === 'no-truncation' && this.inner.h === this.inner.horizon) {
      this.inner.reset({ options: { initialState: this.inner.s } });
    }
    const r = this.inner.step(actions);
    if (this.fault === 'no-truncation') {
      const truncations: Record<string, boolean> = {};
      for (const a of this.inner.possibleAgents) truncations[a] = false;
      return { ...r, truncations };
    }
    return this.out(r);
  }
  render() {
    return this.inner.render();
  }
  close() {}
}

const game = randomGame(2, { S: 4, H: 3, A: [2, 3] });

describe('checkEnv', () => {
  it('passes a tabular environment (and counts its checks)', () => {
    const rep = checkEnv(createTabularEnv(game));
    expect(rep.problems).toEqual([]);
    expect(rep.ok).toBe(true);
    expect(rep.checks).toBeGreaterThan(100);
    expect(checkEnv(new Faulty(createTabularEnv(game), 'none')).ok).toBe(true);
  });

  it('catches observations aliased to an internal buffer', () => {
    const rep = checkEnv(new Faulty(createTabularEnv(game), 'alias'));
    expect(rep.ok).toBe(false);
    expect(rep.problems.join('\n')).toMatch(/must not alias internal buffers/);
  });

  it('catches a reset that ignores its seed', () => {
    const rep = checkEnv(new Faulty(createTabularEnv(game), 'ignore-seed'));
    expect(rep.problems.join('\n')).toMatch(/gave a different episode after other resets/);
  });

  it('catches an episode that does not end at the horizon', () => {
    const rep = checkEnv(new Faulty(createTabularEnv(game), 'no-truncation'));
    expect(rep.problems.join('\n')).toMatch(/the episode must end at the horizon H = 3/);
  });

  it('catches out-of-range actions that are silently accepted', () => {
    const rep = checkEnv(new Faulty(createTabularEnv(game), 'lax-actions'));
    expect(rep.problems).toContain('step() with action 2 for agent_0 (outside Discrete(2)) must throw');
  });

  it('catches observations outside the observation space', () => {
    const rep = checkEnv(new Faulty(createTabularEnv(game), 'bad-observation'));
    expect(rep.problems.join('\n')).toMatch(/is not in Dict\(state: Discrete\(4\), step: Discrete\(4\)\)/);
  });

  it('catches a sampled kernel whose rows do not sum to 1', () => {
    const env = createTabularEnv(game);
    const broken = Object.create(env, { kernel: { value: { ...game.kernel, prob: new Float64Array(game.kernel.prob).fill(0.9) } } });
    const rep = checkEnv(broken);
    expect(rep.problems.join('\n')).toMatch(/sampled kernel \[0\]\[0\]\[0\]: row sums to/);
  });
});
