import { buildGame } from '@drmg/core';
import { describe, expect, it } from 'vitest';
import { checkFailureStateAssumption } from './check-failure-state-assumption.ts';

describe('checkFailureStateAssumption', () => {
  // States: 0 pays agent 0; 1 pays nobody and is absorbing; 2 pays nobody but leads back to 0.
  const game = buildGame({
    states: 3,
    horizon: 2,
    actions: [2, 1],
    initial: 0,
    reward: (_h, s, _a, i) => (s === 0 && i === 0 ? 1 : 0),
    transition: (_h, s, a) => (s === 1 ? [0, 1, 0] : s === 2 ? [1, 0, 0] : a[0] === 0 ? [1, 0, 0] : [0, 0.5, 0.5]),
    divergence: 'tv',
    radius: 0.1,
  });

  it('finds the maximal failure sets: {1} for agent 0, {0, 1, 2} for agent 1 (it never gets a reward)', () => {
    const rep = checkFailureStateAssumption(game);
    expect(rep.holds).toBe(true);
    expect(rep.agents.map((a) => a.maximal)).toEqual([[1], [0, 1, 2]]);
    expect(rep.agents[0].claimed).toBeNull();
  });

  it('reports where a claim fails: a reward or mass leaving the set, naming h, s, j', () => {
    const rep = checkFailureStateAssumption(game, [[0, 1], [2]]);
    expect(rep.holds).toBe(false);
    expect(rep.agents[0].violations[0]).toEqual({ agent: 0, h: 0, s: 0, j: 0, kind: 'reward', value: 1 });
    expect(rep.agents[1].violations[0]).toEqual({ agent: 1, h: 0, s: 2, j: 0, kind: 'leaves', value: 0 });
    expect(rep.messages).toContain('agent 0: reward 1 at h 0, s 0, j 0, expected 0 in a failure state');
    expect(rep.messages).toContain('agent 1: at h 0, s 2, j 0 only 0 of the mass stays in {2}, expected 1 (absorbing)');
  });

  it('says when no failure state exists', () => {
    const g = buildGame({ states: 2, horizon: 1, actions: [1], initial: 0, reward: () => 0.5, transition: () => [0.5, 0.5], divergence: 'tv', radius: 0 });
    const rep = checkFailureStateAssumption(g);
    expect(rep.holds).toBe(false);
    expect(rep.messages).toEqual(['agent 0: no state has zero reward and is absorbing; Assumption 1 cannot hold']);
  });
});
