/** The "ridge" game shared by examples/learning-evidence.ts and examples/bonus-sweep.ts. */
import { buildGame } from '@drmg/core';
import type { TabularGame } from '@drmg/core';

/**
 * "Ridge": a TV game with a failure state (Assumption 1). States: 0 start, 1 ridge, 2 valley, 3 camp, 4 failure
 * (absorbing, reward 0 for both agents). H = 3, two agents with 2 actions; s_0 = start (0.8) or valley (0.2).
 * From any live state, both playing 0 heads for the valley (0.8; camp 0.15, failure 0.05), both playing 1 for the
 * ridge (0.8; camp 0.15, failure 0.05), a mismatch ends at camp (0.6), valley (0.3) or failure (0.1).
 * Rewards: start 0.2, ridge 1, valley 0.6, camp 0.3, plus 0.1 for agent 0 when it plays 1 and for agent 1 when it
 * plays 0 (a mild conflict), capped at 1. TV radius 0.6 for transitions out of the ridge, 0.05 elsewhere: the
 * ridge pays best nominally, but an adversary can push most of the ridge's mass into failure.
 */
export function ridgeGame(): TabularGame {
  const RIDGE = 1, VALLEY = 2, CAMP = 3, FAIL = 4;
  return buildGame({
    name: 'ridge-tv', states: 5, horizon: 3, actions: [2, 2], initial: [0.8, 0, 0.2, 0, 0], divergence: 'tv',
    radius: (_i, _h, s) => (s === RIDGE ? 0.6 : 0.05),
    failureStates: [[FAIL], [FAIL]],
    reward: (_h, s, a, i) => {
      if (s === FAIL) return 0;
      const base = [0.2, 1, 0.6, 0.3][s];
      return Math.min(1, base + ((i === 0 ? a[0] === 1 : a[1] === 0) ? 0.1 : 0));
    },
    transition: (_h, s, a): Record<number, number> => {
      if (s === FAIL) return { [FAIL]: 1 };
      if (a[0] === 0 && a[1] === 0) return { [VALLEY]: 0.8, [CAMP]: 0.15, [FAIL]: 0.05 };
      if (a[0] === 1 && a[1] === 1) return { [RIDGE]: 0.8, [CAMP]: 0.15, [FAIL]: 0.05 };
      return { [CAMP]: 0.6, [VALLEY]: 0.3, [FAIL]: 0.1 };
    },
  });
}

/** The same game with every radius 0 (the non-robust problem). */
