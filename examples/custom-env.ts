/**
 * windy-shortcut-v0: a new environment in one file — defined, registered, made, checked and evaluated.
 *
 * ## Description
 * Two delivery drones fly for H steps. Each step each drone takes the long way (reward 0.5) or
 * the shortcut over the ridge (reward 1), where a gust may bring the pair down (probability
 * `gust` per drone on the shortcut). Down is absorbing with zero reward.
 *
 * ## Actions
 * Discrete(2) per drone: 0 long way, 1 shortcut.
 *
 * ## Observations
 * `{ state, step }`: state 0 flying, 1 down.
 *
 * ## Starting state
 * Flying.
 *
 * ## Rewards
 * Flying: 0.5 for the long way, 1 for the shortcut; down: 0.
 *
 * ## Episode end
 * Truncation after H steps (down is absorbing, the episode goes on).
 *
 * ## Arguments
 * `horizon`, `gust` (the simulator's gust probability), `rho` (KL radius: how much gustier reality may be).
 *
 * ## References
 * docs/adding-an-environment.md.
 *
 * ## Version history
 * v0: initial version.
 *
 * Run: npx tsx examples/custom-env.ts
 */
import { pathToFileURL } from 'node:url';
import { buildGame, deterministicPolicy } from '@drmg/core';
import { checkEnv, createTabularEnv, defineEnv, gameWithKernel, make, register } from '@drmg/envs';
import { evaluatePolicy } from '@drmg/evaluators';

/** The spec: a versioned id, typed parameters (default, range, doc) and a factory. */
export const windyShortcutV0 = defineEnv({
  id: 'windy-shortcut-v0',
  summary: 'two drones: a safe long way or a gusty shortcut; going down is absorbing',
  params: {
    horizon: { type: 'integer', default: 4, min: 1, max: 10, doc: 'horizon H' },
    gust: { type: 'number', default: 0.1, min: 0, max: 0.5, doc: "the simulator's gust probability per drone on the shortcut" },
    rho: { type: 'number', default: 0.3, min: 0, max: 5, doc: 'KL radius: how much gustier reality may be' },
  },
  create: (p, ctx) =>
    createTabularEnv(
      buildGame({
        name: 'windy-shortcut',
        states: 2,
        horizon: p.horizon,
        actions: [2, 2],
        initial: 0,
        reward: (_h, s, a, i) => (s === 1 ? 0 : a[i] === 1 ? 1 : 0.5),
        transition: (_h, s, a) => {
          const down = s === 1 ? 1 : p.gust * (a[0] + a[1]);
          return [1 - down, down];
        },
        divergence: 'kl',
        radius: p.rho,
        failureStates: [[1], [1]],
        labels: { states: ['flying', 'down'], actions: [['long', 'shortcut'], ['long', 'shortcut']] },
      }),
      { id: ctx.id, renderMode: ctx.renderMode },
    ),
});

/** Registers, makes, checks and evaluates the environment; returns what it printed. */
export function main(): { ok: boolean; robust: number[]; nominal: number[] } {
  register(windyShortcutV0, { replace: true });
  const env = make('windy-shortcut-v0', { gust: 0.1, rho: 0.3 });
  const report = checkEnv(env);
  console.log(`checkEnv: ${report.ok ? 'ok' : report.problems.join('; ')} (${report.checks} checks)`);
  // Both drones always take the shortcut (joint action 3 = (1, 1)): robust vs nominal (rho = 0) value.
  const shortcut = deterministicPolicy(env.model, () => 3);
  const robust = Array.from(evaluatePolicy(env.model, shortcut).value.filter((_, k) => k % 2 === 0));
  const nominal = Array.from(evaluatePolicy(gameWithKernel(env.model, env.model.kernel, { radius: 0 }), shortcut).value.filter((_, k) => k % 2 === 0));
  console.log(`both take the shortcut: robust values ${robust.map((v) => v.toFixed(4)).join(', ')}; nominal ${nominal.map((v) => v.toFixed(4)).join(', ')}`);
  return { ok: report.ok, robust, nominal };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
