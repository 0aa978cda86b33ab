/**
 * Deployment of a learned policy into a "reality" that differs from the simulator: its return under
 * the nominal kernel, under each agent's worst-case kernel of growing radius r (exact), and under
 * random kernels inside the radius-r sets (Monte Carlo through the adversarial-kernel environment).
 * Like the worst case, the random kernels are per agent: agent i's return is measured under a random
 * kernel inside agent i's own set (a kernel inside every agent's set would be unperturbed wherever
 * one agent's radius is 0, e.g. wherever only one robot stands on the bridge).
 *
 * The radius-r game keeps the scenario's uncertainty *profile* and rescales it: agent i's radius at
 * (h, s) is r where the scenario's radius there is positive and 0 elsewhere (or r everywhere when the
 * scenario has no positive radius at all). So r is "how much more slippery reality may be" where the
 * environment says it may differ (e.g. on the bridge of bridge-crossing-v0, which is exactly
 * make('bridge-crossing-v0', { rho: r })), and r = 0 is the nominal model.
 */
import { createTabularGame, gameParts, inputError, type Policy, type TabularGame } from '@drmg/core';
import { adversarialKernel, createTabularEnv, rolloutReturns } from '@drmg/envs';
import { createEvaluator } from '@drmg/evaluators';

/**
 * The scenario with its radius profile rescaled to r: rho'_i(h, s) = r if rho_i(h, s) > 0 else 0 (r
 * everywhere when every rho_i(h, s) is 0); same nominal kernel, rewards, divergence and failure states.
 * @throws DrmgError when r is not a number >= 0.
 * @example withRadiusProfile(make('bridge-crossing-v0').model, 0.3) // = make('bridge-crossing-v0', { rho: 0.3 }).model
 */
export function withRadiusProfile(game: TabularGame, r: number): TabularGame {
  const n = game.radius.length;
  let any = false;
  for (let k = 0; k < n; k++) if (game.radius[k] > 0) any = true;
  const radius = new Float64Array(n);
  for (let k = 0; k < n; k++) radius[k] = !any || game.radius[k] > 0 ? r : 0;
  const out = createTabularGame({ ...gameParts(game), radius, ...(game.labels ? { labels: game.labels } : {}) });
  // The failure-state claim depends only on the nominal kernel and rewards, which are unchanged.
  return game.failureStates === undefined ? out : { ...out, failureStates: game.failureStates };
}

/** V^{pi}_i from the initial distribution: sum_s mu(s) value[i*S + s], for every agent. */
export function initialValues(game: TabularGame, value: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < game.m; i++) {
    let v = 0;
    for (let s = 0; s < game.S; s++) if (game.initial[s] !== 0) v += game.initial[s] * value[i * game.S + s];
    out.push(v);
  }
  return out;
}

/** Options of `deployPolicy`. */
export interface DeploymentOptions {
  /** Radii r (the scenario's profile rescaled, see `withRadiusProfile`). */
  readonly radii: readonly number[];
  /** Random kernels per radius (0: no Monte Carlo; otherwise >= 2, for a standard error across kernels). */
  readonly randomKernels: number;
  /** Episodes rolled out per random kernel (>= 2). */
  readonly rolloutEpisodes: number;
  /** Seed of the random kernels and rollouts (each gets `${seed}/r${index}/k${kernel}/a${agent}`). */
  readonly seed: string;
}

/** What a policy returns when deployed (values from the initial distribution; [r][i] = radius r, agent i). */
export interface Deployment {
  /** Exact value under the nominal kernel P* (radius 0), per agent. */
  readonly nominal: number[];
  /** worstCase[r][i] = V^{pi, r}_i: agent i's exact robust value in the radius-r game (its own worst-case kernel, eq. 13). */
  readonly worstCase: number[][];
  /** randomMean[r][i]: agent i's mean Monte Carlo return over random kernels inside its own radius-r set (0 kernels: empty rows). */
  readonly randomMean: number[][];
  /** randomStdErr[r][i]: its standard error, sd of the per-kernel means / sqrt(kernels) (kernel and episode noise together). */
  readonly randomStdErr: number[][];
  /** The team's (sum over agents) Monte Carlo return and its standard error per radius, summed per kernel draw first (NaN without Monte Carlo). */
  readonly randomTeamMean: number[];
  readonly randomTeamStdErr: number[];
}

/**
 * Deploys `policy` (see the file header): exact values under P* and under every agent's worst-case kernel
 * of each radius r (robust Bellman recursion, eqs. 12-13, in `withRadiusProfile(game, r)`), and Monte Carlo
 * returns under `randomKernels` random kernels per agent inside that agent's radius-r set (`adversarialKernel`
 * with a `random` adversary for agent i; `rolloutReturns` episodes each).
 * Deterministic for a given seed.
 * @throws DrmgError when the policy does not fit the game or randomKernels is 1.
 */
export function deployPolicy(game: TabularGame, policy: Policy, options: DeploymentOptions): Deployment {
  const nominalGame = withRadiusProfile(game, 0);
  const valueOnly = { bestResponse: false, swap: false };
  const nominal = initialValues(game, createEvaluator(nominalGame).evaluate(policy, valueOnly).value);
  const worstCase: number[][] = [];
  const randomMean: number[][] = [];
  const randomStdErr: number[][] = [];
  const randomTeamMean: number[] = [];
  const randomTeamStdErr: number[] = [];
  const M = options.randomKernels;
  if (!Number.isInteger(M) || M < 0 || M === 1) inputError('deployPolicy(options.randomKernels)', `expected 0 or an integer >= 2 (a standard error across kernels needs two), got ${M}`);
  options.radii.forEach((r, q) => {
    const g = withRadiusProfile(game, r);
    worstCase.push(initialValues(g, createEvaluator(g).evaluate(policy, valueOnly).value));
    if (M === 0) {
      randomMean.push([]);
      randomStdErr.push([]);
      randomTeamMean.push(NaN);
      randomTeamStdErr.push(NaN);
      return;
    }
    const env = createTabularEnv(g);
    const m1 = game.m + 1;
    // ret[k*m1 + i]: kernel k's mean return of agent i, and of the team at i = m.
    const ret = new Float64Array(M * m1);
    for (let k = 0; k < M; k++) {
      let team = 0;
      for (let i = 0; i < game.m; i++) {
        // Agent i's reality: a random kernel inside its own radius-r set (as its worst case is inside its own set).
        const seed = `${options.seed}/r${q}/k${k}/a${i}`;
        const real = adversarialKernel(env, { type: 'random', seed, agent: i });
        const res = rolloutReturns(real, policy, { episodes: options.rolloutEpisodes, seed });
        ret[k * m1 + i] = res.meanReturn[i];
        team += res.meanReturn[i];
      }
      ret[k * m1 + game.m] = team;
    }
    const stats = Array.from({ length: m1 }, (_, i) => {
      let mean = 0;
      for (let k = 0; k < M; k++) mean += ret[k * m1 + i];
      mean /= M;
      let ss = 0;
      for (let k = 0; k < M; k++) ss += (ret[k * m1 + i] - mean) ** 2;
      return [mean, Math.sqrt(ss / (M - 1) / M)];
    });
    randomMean.push(stats.slice(0, game.m).map((x) => x[0]));
    randomStdErr.push(stats.slice(0, game.m).map((x) => x[1]));
    randomTeamMean.push(stats[game.m][0]);
    randomTeamStdErr.push(stats[game.m][1]);
  });
  return { nominal, worstCase, randomMean, randomStdErr, randomTeamMean, randomTeamStdErr };
}
