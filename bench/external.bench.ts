/**
 * Environments in another process (docs/external-envs.md): episodes and steps per second through the pipe for the
 * Python and the Node relay simulators of examples/external (S = 5, H = 6, 2 x 2), with the random learner (the pipe
 * alone) and with MORNAVI-TV (learning too), via trainExternal to completion, no exact evaluation. Median of 3 runs
 * of 2,000 episodes after a warm-up run; each run starts its own process (start-up time included in nothing: the
 * process is started before the clock).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startExternalEnv } from '../packages/envs/src/index.ts';
import { lastValueFrom, toArray, trainExternal } from '../packages/experiments/src/index.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function run(): Promise<void> {
  const K = 2000;
  for (const [label, cmd] of [
    ['python3 relay_sim.py', `python3 ${join(root, 'examples/external/relay_sim.py')}`],
    ['node relay-sim.mjs', `node ${join(root, 'examples/external/relay-sim.mjs')}`],
  ] as const) {
    for (const learner of ['random', 'mornavi-tv']) {
      const times: number[] = [];
      for (let rep = 0; rep < 4; rep++) {
        const env = await startExternalEnv(cmd);
        const t0 = performance.now();
        await lastValueFrom(trainExternal({ env, learner: { name: learner }, episodes: K, seed: rep, steps: false, policies: false }).pipe(toArray()));
        if (rep > 0) times.push(performance.now() - t0);
        await env.close();
      }
      times.sort((a, b) => a - b);
      const ms = times[1];
      console.log(`${label.padEnd(22)} ${learner.padEnd(11)} ${((1000 * K) / ms).toFixed(0).padStart(6)} episodes/s  ${((1000 * K * 6) / ms).toFixed(0).padStart(7)} steps/s`);
    }
  }
}
