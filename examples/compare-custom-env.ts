/**
 * The custom environment of `custom-env.ts` (windy-shortcut-v0: two drones, a safe long way or a gusty
 * shortcut, KL uncertainty) compared like a built-in one: this file registers it when imported (so worker
 * threads know it too, through `modules`) and runs `compare` on it.
 *
 * windy-shortcut-v0 is a KL game, so MORNAVI-KL runs on the scenario's own sets; MORNAVI-TV needs TV sets
 * and the environment has no `divergence` parameter to make a TV twin, so compare skips it and says why.
 * The same from the command line:
 *   drmg compare --module examples/compare-custom-env.ts --env windy-shortcut-v0 --learners mornavi-kl,mornavi-tv,nash-vi,planner
 *
 * Run: npx tsx examples/compare-custom-env.ts   (DRMG_EXAMPLE_EPISODES, DRMG_EXAMPLE_SEEDS, DRMG_EXAMPLE_WORKERS to change the size)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { register } from '@drmg/envs';
import { compare, compareProgress, type CompareReport } from '@drmg/compare';
import { windyShortcutV0 } from './custom-env.ts';

// Registered on import, on the main thread and in every worker that imports this module.
register(windyShortcutV0, { replace: true });

/** Options of `main` (the smoke test makes them small). */
export interface CompareCustomEnvOptions {
  readonly episodes?: number;
  readonly seeds?: number;
  readonly workers?: number;
  readonly out?: string;
  readonly quiet?: boolean;
}

/** Compares the robust and non-robust learners on windy-shortcut-v0 and prints the summary. */
export async function main(options: CompareCustomEnvOptions = {}): Promise<CompareReport> {
  const report = await compare(
    {
      env: 'windy-shortcut-v0',
      envParams: { gust: 0.1, rho: 0.3 },
      learners: ['mornavi-kl', 'mornavi-tv', 'nash-vi', 'planner'],
      episodes: options.episodes ?? 2000,
      seeds: options.seeds ?? 3,
      radii: [0, 0.1, 0.3, 0.6, 1],
      randomKernels: 4,
      rolloutEpisodes: 100,
      modules: [import.meta.url],
    },
    {
      out: options.out ?? mkdtempSync(join(tmpdir(), 'drmg-custom-env-')),
      workers: options.workers,
      progress: options.quiet ? undefined : compareProgress(process.stderr),
    },
  );
  if (!options.quiet) console.log(`${report.text}\nreport: ${join(report.dir, 'report.html')}\n${report.timingLine}`);
  return report;
}

// No top-level await: compare imports this module (its `modules`), which must have finished loading.
if (isMainThread && process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main({
    episodes: process.env.DRMG_EXAMPLE_EPISODES ? Number(process.env.DRMG_EXAMPLE_EPISODES) : undefined,
    seeds: process.env.DRMG_EXAMPLE_SEEDS ? Number(process.env.DRMG_EXAMPLE_SEEDS) : undefined,
    workers: process.env.DRMG_EXAMPLE_WORKERS ? Number(process.env.DRMG_EXAMPLE_WORKERS) : undefined,
  }).catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
