/**
 * Helpers of the compare tests: run `drmg compare` in process (through runCli once the lead registers
 * the command, else through the command with runCli's error mapping), a small fast config, temp folders.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrmgError } from '@drmg/core';
import { commands, memoryIo, runCli } from '@drmg/cli';
import { compareCommand } from '../packages/cli/src/compare-command.ts';

/** A fresh temporary folder. */
export function tempDir(prefix = 'drmg-compare-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Runs `drmg compare ...argv` in process and returns its exit code and output. */
export async function runCompareCli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = memoryIo();
  let code: number;
  if (commands.some((c) => c.name === 'compare')) {
    code = await runCli(['compare', ...argv], io);
  } else {
    try {
      code = await compareCommand.run(argv, io);
    } catch (e) {
      if (!(e instanceof DrmgError && e.kind === 'input')) throw e;
      io.err(`drmg compare: ${e.message}\n`);
      code = 2;
    }
  }
  return { code, stdout: io.stdout, stderr: io.stderr };
}

/** A small experiment (seconds): bridge-crossing, three learners with their own defaults (as `smallFlags`), 2 seeds, 120 episodes, few Monte Carlo draws. */
export const smallConfig = {
  env: 'bridge-crossing-v0',
  learners: ['mornavi-tv', 'nash-vi', 'planner'],
  seeds: 2,
  episodes: 120,
  evalPoints: 30,
  radii: [0, 0.15, 0.3],
  randomKernels: 2,
  rolloutEpisodes: 30,
};

/** The same as command-line flags. */
export const smallFlags = [
  '--learners', 'mornavi-tv,nash-vi,planner',
  '--seeds', '2',
  '--episodes', '120',
  '--eval-points', '30',
  '--radii', '0,0.15,0.3',
  '--random-kernels', '2',
  '--rollout-episodes', '30',
];
