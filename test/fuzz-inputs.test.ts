/**
 * Fuzzing drmg's inputs (issue 13): fast-check mutates valid games, policies, compare configs and command lines
 * at random (types, shapes, numbers, nesting, encodings; see fuzz-inputs-driver.ts) and every case must end in
 * exit code 2 with a one-line message or in a valid result, never exit code 1, never NaN in the output, never a
 * hang. The cases run in a child process under a watchdog: a case that runs longer than the per-case limit
 * fails the test, and a case that never returns gets the process killed instead of hanging the suite.
 *
 * The seed is printed; rerun one with DRMG_FUZZ_SEED=<seed> (and DRMG_FUZZ_RUNS=<n>) in the environment.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.DRMG_FUZZ_RUNS ?? 3000);
/** A case may take this long; with no sign of life for WATCHDOG_MS the fuzz process is killed. */
const CASE_MS = 5000;
const WATCHDOG_MS = 30_000;

interface Summary {
  done: true;
  cases: number;
  runs: number;
  seconds: number;
  slowestCaseMs: number;
  seed: number;
  outcomes: Record<string, { valid: number; refused: number }>;
  failure?: string;
}

function fuzz(): Promise<{ summary: Summary | null; lastCase: string; stderr: string; killed: boolean }> {
  return new Promise((done, fail) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['test/fuzz-inputs-driver.ts'], {
      cwd: root,
      env: { ...process.env, DRMG_FUZZ_RUNS: String(RUNS), DRMG_FUZZ_CASE_MS: String(CASE_MS) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let summary: Summary | null = null;
    let lastCase = '';
    let stderr = '';
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, WATCHDOG_MS);
    };
    arm();
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      arm();
      const msg = JSON.parse(line) as { seed?: number; case?: number; done?: boolean };
      if (msg.done) summary = msg as Summary;
      else if (msg.case !== undefined) lastCase = line;
      else if (msg.seed !== undefined) console.log(`fuzz seed ${msg.seed} (rerun with DRMG_FUZZ_SEED=${msg.seed}), ${RUNS} cases`);
    });
    child.on('error', fail);
    child.on('close', () => {
      clearTimeout(timer);
      done({ summary, lastCase, stderr, killed });
    });
  });
}

describe('fuzzing games, policies, configs and flags', () => {
  it(`${RUNS} mutated inputs: exit 2 or a valid result, never exit 1, NaN or a hang`, async () => {
    const { summary, lastCase, stderr, killed } = await fuzz();
    expect(killed, `the fuzz process hung (no progress for ${WATCHDOG_MS} ms) at ${lastCase}`).toBe(false);
    expect(summary, `the fuzz process ended without a summary after ${lastCase}\n${stderr.slice(-2000)}`).not.toBeNull();
    const s = summary!;
    const by = Object.entries(s.outcomes ?? {}).map(([k, o]) => `${k} ${o.valid} valid / ${o.refused} refused`);
    console.log(`fuzz: ${s.cases} cases in ${s.seconds.toFixed(1)} s, slowest case ${s.slowestCaseMs} ms, seed ${s.seed}; ${by.join(', ')}`);
    expect(s.failure, s.failure).toBeUndefined();
    expect(s.runs).toBeGreaterThanOrEqual(Math.min(RUNS, 2000));
  });
});
