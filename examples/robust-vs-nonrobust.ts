/**
 * Robust vs non-robust, with the library calls that `drmg compare` makes, one step at a time:
 *
 *  1. the scenario: `make('bridge-crossing-v0')` — two robots, a fast slippery bridge or a slow safe path;
 *     reality may be more slippery than the simulator by up to rho = 0.2 (TV, on the bridge);
 *  2. training: `train(...)` streams the episodes, `withRobustGap` scores every n-th episode policy exactly on
 *     the robust problem, `cumulativeRegret` sums the gaps (Def. 2);
 *  3. deployment: the output policy's return when reality is perturbed by radius r, exactly (each agent's
 *     worst-case kernel: the robust value in `withRadiusProfile(game, r)`) and by Monte Carlo rollouts in the
 *     adversarial-kernel environment (`adversarialKernel(env, { type: 'worst-case', ... })`), which must agree.
 *
 * MORNAVI-TV learns to send both robots around (robust value 3 each, whatever r); Nash-VI learns the nominal
 * equilibrium (one robot over the bridge: 3.6 nominally, 4 (0.9 - r) under the worst case), which is better at
 * r = 0 and worse beyond r = 0.15. `compare` does the same over seeds, on worker threads, with plots.
 *
 * To learn that within K = 3,000 episodes, this example gives both learners the scaled heuristic bonus with the
 * constants tuned on this scenario (docs/compare/README.md): their bounds are then not certificates. `compare`
 * itself runs every learner with its own defaults (MORNAVI: the certified `bonus=valid`, which explores for
 * longer on this scenario); `{}` here does the same.
 *
 * Run: npx tsx examples/robust-vs-nonrobust.ts   (DRMG_EXAMPLE_EPISODES to change K, default 3000)
 */
import { pathToFileURL } from 'node:url';
import type { Policy } from '@drmg/core';
import { adversarialKernel, make, rolloutReturns } from '@drmg/envs';
import { createEvaluator, initialGap } from '@drmg/evaluators';
import { cumulativeRegret, filter, lastValueFrom, isEvaluated, train, withRobustGap } from '@drmg/experiments';
import { initialValues, withRadiusProfile } from '@drmg/compare';
import { createLearner, learnerContext } from '@drmg/learners';

/** What one learner got: its regret at K, its output policy and how that policy fares under perturbation. */
export interface LearnerOutcome {
  readonly learner: string;
  readonly regret: number;
  readonly outputGap: number;
  /** Team return (sum over agents) under the worst-case kernel of each radius (exact). */
  readonly worstCase: number[];
  /** Agent 0's return at the largest radius: exact, and Monte Carlo mean and standard error under agent 0's worst-case kernel. */
  readonly agent0: { readonly exact: number; readonly monteCarlo: number; readonly stdErr: number };
}

/** Options of `main`. */
export interface RobustVsNonRobustOptions {
  readonly episodes?: number;
  readonly seed?: number;
  readonly radii?: readonly number[];
  readonly quiet?: boolean;
}

/** Trains, scores and deploys MORNAVI-TV, Nash-VI and the planner on bridge-crossing-v0 (see the file header). */
export async function main(options: RobustVsNonRobustOptions = {}): Promise<LearnerOutcome[]> {
  const K = options.episodes ?? 3000;
  const seed = options.seed ?? 1;
  const radii = options.radii ?? [0, 0.1, 0.2, 0.3];
  const game = make('bridge-crossing-v0').model; // 1. the scenario (TV, rho = 0.2 on the bridge)
  const learners: [string, Record<string, number | string>][] = [
    ['mornavi-tv', { bonus: 'scaled', bonusScale: 0.000001 }],
    ['nash-vi', { bonus: 'scaled', bonusScale: 0.000003 }],
    ['planner', {}],
  ];
  const outcomes: LearnerOutcome[] = [];
  for (const [name, params] of learners) {
    // 2. training: K episodes, the exact robust gap every K/100 episodes, the cumulative regret
    const learner = createLearner(name, learnerContext(game, K, name === 'planner'), params);
    const last = await lastValueFrom(
      train({ env: make('bridge-crossing-v0'), learner, episodes: K, seed, steps: false }).pipe(
        withRobustGap(game, { every: Math.ceil(K / 100), episodes: K }),
        cumulativeRegret(),
        filter(isEvaluated),
      ),
    );
    const policy: Policy = learner.outputPolicy();
    const outputGap = initialGap(game, createEvaluator(game).evaluate(policy));
    // 3. deployment: exact worst case per radius (each agent's own worst-case kernel), team = sum over agents
    const worstCase = radii.map((r) => {
      const g = withRadiusProfile(game, r);
      return initialValues(g, createEvaluator(g).evaluate(policy, { bestResponse: false, swap: false }).value).reduce((a, b) => a + b, 0);
    });
    // ... and the same by simulation: agent 0's worst-case kernel at the largest radius, installed in the environment
    const rMax = radii[radii.length - 1];
    const reality = adversarialKernel(make('bridge-crossing-v0', { rho: rMax }), { type: 'worst-case', agent: 0, policy });
    const mc = rolloutReturns(reality, policy, { episodes: 4000, seed });
    const exact0 = initialValues(reality.model, createEvaluator(reality.model).evaluate(policy, { bestResponse: false, swap: false }).value)[0];
    outcomes.push({ learner: name, regret: last.regret ?? NaN, outputGap, worstCase, agent0: { exact: exact0, monteCarlo: mc.meanReturn[0], stdErr: mc.stdErr[0] } });
  }
  if (!options.quiet) {
    // the planner's regret and gap are rounding (about -1e-12): no "-0.0"
    const fixed = (x: number, d: number) => (Math.abs(x) < 0.5 * 10 ** -d ? 0 : x).toFixed(d);
    console.log(`bridge-crossing-v0, K = ${K} episodes, seed ${seed}: team return of the output policy under the worst-case kernel of radius r`);
    console.log(`learner       regret at K  output gap  ${radii.map((r) => `r=${r}`.padStart(7)).join('')}   agent 0 at r=${radii[radii.length - 1]}: exact / Monte Carlo`);
    for (const o of outcomes) {
      console.log(
        `${o.learner.padEnd(12)}  ${fixed(o.regret, 1).padStart(11)}  ${fixed(o.outputGap, 3).padStart(10)}  ${o.worstCase.map((v) => v.toFixed(3).padStart(7)).join('')}` +
          `   ${o.agent0.exact.toFixed(3)} / ${o.agent0.monteCarlo.toFixed(3)} ± ${o.agent0.stdErr.toFixed(3)}`,
      );
    }
  }
  return outcomes;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main({ episodes: process.env.DRMG_EXAMPLE_EPISODES ? Number(process.env.DRMG_EXAMPLE_EPISODES) : undefined });
}
