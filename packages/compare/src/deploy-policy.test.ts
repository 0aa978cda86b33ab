/**
 * Deployment of a policy on bridge-crossing-v0, against a closed form: robot 0 takes the bridge and robot 1
 * the path (joint action 5 = (bridge, path) in every state: from the bank it steps onto the bridge / the path,
 * then 1 and 2 both mean "move on").
 *  - Robot 0 is on the bridge alone at step 1 and reaches the goal with probability 0.9 (slip 0.1), or, under
 *    its worst-case TV kernel of radius r (radius r where robot 0 is on the bridge), 0.9 - r: the adversary
 *    moves r of mass from the goal to the water, whose value is 0. It then collects 1 at steps 2..5: V0 = 4 (0.9 - r).
 *  - Robot 1 walks bank -> path1 -> path2 -> goal and collects 1 at steps 3, 4, 5: V1 = 3; it never stands on
 *    the bridge, where its radius would be positive, so V1 = 3 at every r.
 *  Team: 6.6 - 4r.
 */
import { deterministicPolicy } from '@drmg/core';
import { make } from '@drmg/envs';
import { describe, expect, it } from 'vitest';
import { deployPolicy, withRadiusProfile } from './deploy-policy.ts';

describe('deployPolicy on bridge-crossing-v0', () => {
  const game = make('bridge-crossing-v0').model;
  const policy = deterministicPolicy(game, () => 5);
  const radii = [0, 0.1, 0.2, 0.3];
  const d = deployPolicy(game, policy, { radii, randomKernels: 6, rolloutEpisodes: 400, seed: 'test' });

  it('gives the closed-form nominal and worst-case values (file header)', () => {
    expect(d.nominal[0]).toBeCloseTo(3.6, 12);
    expect(d.nominal[1]).toBeCloseTo(3, 12);
    radii.forEach((r, q) => {
      expect(d.worstCase[q][0]).toBeCloseTo(4 * (0.9 - r), 12);
      expect(d.worstCase[q][1]).toBeCloseTo(3, 12);
    });
  });

  it('estimates the nominal value by Monte Carlo at r = 0, and random kernels never go below the worst case', () => {
    expect(Math.abs(d.randomTeamMean[0] - 6.6)).toBeLessThanOrEqual(4 * d.randomTeamStdErr[0] + 1e-12);
    radii.forEach((_, q) => {
      for (let i = 0; i < 2; i++) expect(d.randomMean[q][i]).toBeGreaterThanOrEqual(d.worstCase[q][i] - 4 * d.randomStdErr[q][i] - 1e-12);
      expect(d.randomTeamMean[q]).toBeCloseTo(d.randomMean[q][0] + d.randomMean[q][1], 12);
    });
  });

  it('is deterministic for a seed', () => {
    expect(deployPolicy(game, policy, { radii, randomKernels: 6, rolloutEpisodes: 400, seed: 'test' })).toEqual(d);
  });

  it('rejects one random kernel (no standard error across kernels)', () => {
    expect(() => deployPolicy(game, policy, { radii, randomKernels: 1, rolloutEpisodes: 10, seed: 0 as unknown as string })).toThrow(/expected 0 or an integer >= 2/);
  });
});

describe('withRadiusProfile', () => {
  it('rescales the profile: r where the scenario has a radius (make with rho = r), r everywhere when it has none', () => {
    const base = make('bridge-crossing-v0').model;
    expect(Array.from(withRadiusProfile(base, 0.05).radius)).toEqual(Array.from(make('bridge-crossing-v0', { rho: 0.05 }).model.radius));
    const flat = make('bridge-crossing-v0', { rho: 0 }).model;
    expect(Array.from(withRadiusProfile(flat, 0.3).radius).every((x) => x === 0.3)).toBe(true);
    expect(withRadiusProfile(base, 0.2).failureStates).toEqual(base.failureStates);
  });
});
