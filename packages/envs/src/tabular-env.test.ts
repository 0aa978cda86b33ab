import { buildGame, DrmgError, type TabularGame } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { createTabularEnv } from './tabular-env.ts';

// S = 3, H = 2, two agents with 2 actions; r_i(h, s, a) = (s + a_i) / 4;
// equal actions: s -> s or s+1 (1/2 each); different actions: s -> s+2 (mod 3).
function smallGame(): TabularGame {
  return buildGame({
    name: 'small',
    states: 3,
    horizon: 2,
    actions: [2, 2],
    initial: [0.5, 0.5, 0],
    reward: (_h, s, a, i) => (s + a[i]) / 4,
    transition: (_h, s, a) => (a[0] === a[1] ? { [s]: 0.5, [(s + 1) % 3]: 0.5 } : { [(s + 2) % 3]: 1 }),
    divergence: 'tv',
    radius: 0.1,
    labels: { states: ['a', 'b', 'c'] },
  });
}

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DrmgError);
    return (e as Error).message;
  }
  throw new Error('expected a DrmgError');
}

describe('TabularEnv (object API)', () => {
  it('resets to { state, step: 0 } for every agent, with fresh observation objects and frozen infos', () => {
    const env = createTabularEnv(smallGame());
    expect(env.agents).toEqual([]);
    const { observations, infos } = env.reset({ seed: 3 });
    expect(Object.keys(observations)).toEqual(['agent_0', 'agent_1']);
    expect(observations.agent_0).toEqual({ state: env.s, step: 0 });
    expect(observations.agent_0).not.toBe(observations.agent_1);
    expect([0, 1]).toContain(env.s);
    expect(infos.agent_0).toEqual({ label: ['a', 'b', 'c'][env.s], failure: false });
    expect(Object.isFrozen(infos.agent_0)).toBe(true);
    expect(env.agents).toEqual(['agent_0', 'agent_1']);
  });

  it('pays r_i(h, s, a) from the model, moves by the kernel and truncates at H', () => {
    const env = createTabularEnv(smallGame());
    env.reset({ seed: 1, options: { initialState: 2 } });
    // Different actions from s = 2: reward (2 + a_i)/4 = (0.5, 0.75), next state 2 + 2 = 1 (mod 3) surely.
    const r1 = env.step({ agent_0: 0, agent_1: 1 });
    expect(r1.rewards).toEqual({ agent_0: 0.5, agent_1: 0.75 });
    expect(r1.observations.agent_1).toEqual({ state: 1, step: 1 });
    expect(r1.truncations).toEqual({ agent_0: false, agent_1: false });
    expect(r1.terminations).toEqual({ agent_0: false, agent_1: false });
    // Equal actions from s = 1: rewards (1 + 1)/4 each; next state 1 or 2; the episode ends (H = 2).
    const r2 = env.step([1, 1]);
    expect(r2.rewards).toEqual({ agent_0: 0.5, agent_1: 0.5 });
    expect([1, 2]).toContain(r2.observations.agent_0.state);
    expect(r2.observations.agent_0.step).toBe(2);
    expect(r2.truncations).toEqual({ agent_0: true, agent_1: true });
    expect(env.agents).toEqual([]);
    expect(message(() => env.step([0, 0]))).toBe('step: the episode is over (step 2 = H); call reset() to start another');
  });

  it('rejects bad actions naming the agent and the allowed range', () => {
    const env = createTabularEnv(smallGame());
    expect(message(() => env.step([0, 0]))).toBe('step: no episode is running: call reset() first');
    env.reset({ seed: 0 });
    expect(message(() => env.step({ agent_0: 0, agent_1: 2 }))).toBe('step(actions).agent_1: expected an integer action in [0, 1] (Discrete(2)), got 2');
    expect(message(() => env.step({ agent_0: -1, agent_1: 0 }))).toBe('step(actions).agent_0: expected an integer action in [0, 1] (Discrete(2)), got -1');
    expect(message(() => env.step({ agent_0: 0.5, agent_1: 0 }))).toMatch(/agent_0: expected an integer action/);
    expect(message(() => env.step({ agent_0: 0 }))).toBe('step(actions).agent_1: missing action; expected one action for each of agent_0, agent_1');
    expect(message(() => env.step({ agent_0: 0, agent_1: 0, agent_2: 0 }))).toBe('step(actions).agent_2: unknown agent, expected one of agent_0, agent_1');
    expect(message(() => env.step([0]))).toBe('step(actions): expected 2 actions (one per agent), got 1');
    expect(message(() => env.stepIndex(4))).toBe('stepIndex(j): expected a joint action index in [0, 3], got 4');
    expect(message(() => env.reset({ options: { initialState: 3 } }))).toBe('reset(options.initialState): expected a state index in [0, 2], got 3');
    expect(message(() => env.actionSpace('bob'))).toMatch(/unknown agent "bob"/);
    // The episode is still usable after rejected actions.
    expect(env.h).toBe(0);
    env.reset({ seed: 0 });
    expect(() => env.step([1, 0])).not.toThrow();
  });

  it('the same seed gives the same trajectory; the lean and object APIs agree draw for draw', () => {
    const game = smallGame();
    const a = createTabularEnv(game);
    const b = createTabularEnv(game);
    const acts = [
      [0, 0],
      [1, 1],
    ];
    for (let seed = 0; seed < 20; seed++) {
      const ta: number[] = [a.reset({ seed }).observations.agent_0.state];
      for (const x of acts) ta.push(a.step(x).observations.agent_0.state);
      const tb: number[] = [b.resetState(seed)];
      const rew = new Float64Array(2);
      for (const x of acts) tb.push(b.stepIndex(x[0] * 2 + x[1], rew));
      expect(tb).toEqual(ta);
      const again: number[] = [a.reset({ seed }).observations.agent_0.state];
      for (const x of acts) again.push(a.step(x).observations.agent_0.state);
      expect(again).toEqual(ta);
    }
  });

  it('stepIndex writes the rewards R[((h*S + s)*J + j)*m + i] and draws from the kernel', () => {
    const game = smallGame();
    const env = createTabularEnv(game);
    const rew = new Float64Array(2);
    env.resetState(9, 0);
    const sp = env.stepIndex(1, rew); // a = (0, 1) at s = 0: rewards (0, 1/4), next 2
    expect(Array.from(rew)).toEqual([0, 0.25]);
    expect(sp).toBe(2);
    expect(env.h).toBe(1);
  });

  it('draws initial states from the initial distribution', () => {
    const env = createTabularEnv(smallGame());
    env.resetState(11);
    let zeros = 0;
    const N = 4000;
    for (let n = 0; n < N; n++) if (env.resetState() === 0) zeros++;
    expect(Math.abs(zeros / N - 0.5)).toBeLessThan(4 * Math.sqrt(0.25 / N));
  });

  it('spaces: Discrete(A_i) actions and Dict(state, step) observations', () => {
    const env = createTabularEnv(smallGame());
    expect(env.actionSpace('agent_1').n).toBe(2);
    expect(env.observationSpace('agent_0').toString()).toBe('Dict(state: Discrete(3), step: Discrete(3))');
  });

  it('renders the step, the state label, the kernel and the last actions', () => {
    const env = createTabularEnv(smallGame(), { agentNames: ['row', 'col'] });
    env.reset({ seed: 2, options: { initialState: 1 } });
    expect(env.render()).toBe('small step 0/2  state b  [nominal kernel]\n');
    env.step({ row: 1, col: 0 });
    expect(env.render()).toBe('small step 1/2  state a  [nominal kernel]  last actions (1, 0)\n');
    expect(env.possibleAgents).toEqual(['row', 'col']);
  });

  it('rejects options that do not fit the game', () => {
    const game = smallGame();
    expect(() => createTabularEnv(game, { agentNames: ['x'] })).toThrow(/expected 2 distinct names/);
    expect(() => createTabularEnv(game, { stateViews: [1, 2] })).toThrow(/one view per state/);
    const bad = { rowStart: new Int32Array(game.kernel.rowStart), next: game.kernel.next, prob: new Float64Array(game.kernel.prob).fill(0.3) };
    expect(() => createTabularEnv(game, { kernel: bad })).toThrow(/row sums to/);
  });
});

describe('TabularEnv.clone', () => {
  it('makes an independent copy: same model, kernel and options, its own generator, episode state and spaces', () => {
    const env = createTabularEnv(smallGame(), { agentNames: ['row', 'col'] });
    env.reset({ seed: 4 });
    env.step([1, 1]);
    const copy = env.clone();
    expect(copy).not.toBe(env);
    expect([copy.model, copy.kernel, copy.options]).toEqual([env.model, env.kernel, env.options]);
    expect(copy.model).toBe(env.model);
    expect(copy.unwrapped).toBe(copy);
    expect(copy.agents).toEqual([]); // as just made, not in env's episode
    expect(env.h).toBe(1);
    expect(copy.actionSpace('row')).not.toBe(env.actionSpace('row')); // spaces own generators: not shared
    const walk = (e: typeof env) => [e.resetState(6), e.stepIndex(3), e.stepIndex(0)];
    expect(walk(copy)).toEqual(walk(createTabularEnv(smallGame())));
    expect(env.h).toBe(1);
  });
});
