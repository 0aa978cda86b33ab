/**
 * A two-agent test game with a closed-form robust gap, shared by the decentralised learners' tests: each robot
 * chooses at h = 0 between a safe path (reward 0.5 at h = 2) and a slippery bridge (reward 1 at h = 2 unless it falls,
 * nominal fall probability 0.05). The robots do not interact (product kernel, own rewards), so agent i's robust
 * value of a product policy is its own one-robot robust MDP value, and the gap is closed-form:
 *   TV (rho = 0.9 on the bridge only): bridge 0.95 - 0.9 = 0.05 < path 0.5, so gap = 0.45 max_i pi_i(bridge);
 *   nominal (rho = 0): bridge 0.95 > path 0.5, so gap = 0.45 max_i pi_i(path);
 *   KL (rho = 2 on the bridge only): bridge = sigma_KL((0.95, 0.05), (1, 0), 2) ~ 0.18 < 0.5, so
 *   gap = (0.5 - bridge) max_i pi_i(bridge).
 * Positions: 0 start, 1 path, 2 bridge, 3 goal, 4 ok (after the path), 5 fell; state s = 6 pos_0 + pos_1, H = 3.
 */
import { buildGame, sigmaKl } from '@drmg/core';
import type { TabularGame } from '@drmg/core';

const P = 6;

function move(pos: number, a: number): [number, number][] {
  if (pos === 0) return [[a === 0 ? 1 : 2, 1]];
  if (pos === 1) return [[4, 1]];
  if (pos === 2) return [[3, 0.95], [5, 0.05]];
  return [[pos, 1]];
}

/** The twin-bridges game with radius `rho` on each robot's bridge state (0: the nominal game). */
export function twinBridges(rho: number, divergence: 'tv' | 'kl' = 'tv'): TabularGame {
  const pos = (s: number, i: number) => (i === 0 ? Math.floor(s / P) : s % P);
  return buildGame({
    name: 'twin-bridges',
    states: P * P,
    horizon: 3,
    actions: [2, 2],
    initial: 0,
    divergence,
    reward: (h, s, _a, i) => (h === 2 ? (pos(s, i) === 3 ? 1 : pos(s, i) === 4 ? 0.5 : 0) : 0),
    transition: (_h, s, a) => {
      const row: Record<number, number> = {};
      for (const [p0, q0] of move(pos(s, 0), a[0])) for (const [p1, q1] of move(pos(s, 1), a[1])) row[p0 * P + p1] = (row[p0 * P + p1] ?? 0) + q0 * q1;
      return row;
    },
    radius: (i, _h, s) => (pos(s, i) === 2 ? rho : 0),
  });
}

/** The robust value of the bridge route under KL radius rho: sigma_KL of (goal 0.95, fell 0.05) on values (1, 0). */
export function klBridgeValue(rho: number): number {
  return sigmaKl([0.95, 0.05], [1, 0], rho);
}

/** pi_i(bridge | h = 0, start) of each agent of a product policy's marginals. */
export function bridgeProbabilities(marginals: readonly Float64Array[]): number[] {
  return marginals.map((m) => m[1]);
}
