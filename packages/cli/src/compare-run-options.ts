/**
 * The options of `drmg compare` that say how and where a run goes, not what it computes: `--resume DIR`, the
 * executor (`--backend local|bullmq`, `--redis URL`, `--queue NAME`, `--attempts N`, `--oversubscribe`), and the
 * signals (SIGINT and SIGTERM stop the run, keep every finished cell and write a partial report, exit 130 / 143;
 * the same signal again, a second or more later, quits at once, the finished cells still being in the journal).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { inputError } from '@drmg/core';
import { bullmqExecutor, DEFAULT_QUEUE, type CompareExecutor } from '@drmg/compare';
import type { CliIo } from './cli-io.ts';
import { optionValue, type CliOptions } from './command-options.ts';

/** The environment variable that may hold the Redis URL (a password on the command line is visible to every user of the machine). */
export const REDIS_URL_ENV = 'DRMG_REDIS_URL';

/** These options, declared once (their help lines are `optionsHelp(compareRunOptions)`). */
export const compareRunOptions = {
  resume: {
    kind: 'value',
    arg: 'DIR',
    doc: 'continue the run in DIR (its config.json is the experiment): only the cells missing from DIR/cells.jsonl run; a finished cell is never recomputed. Takes no experiment flags; --out with a run of the same experiment does the same',
  },
  backend: {
    kind: 'value',
    arg: 'local|bullmq',
    setting: {
      type: 'enum',
      values: ['local', 'bullmq'],
      default: 'local',
      doc: 'local: worker threads of this process; bullmq: jobs on a BullMQ queue in Redis, run by drmg worker processes on any machine (docs/scale-out.md)',
    },
  },
  redis: {
    kind: 'value',
    arg: 'URL',
    doc: `the Redis of --backend bullmq: redis://[user:password@]host[:port][/db], or rediss://... for TLS (default: the ${REDIS_URL_ENV} environment variable, which keeps a password out of the process list)`,
  },
  queue: { kind: 'value', arg: 'NAME', doc: `the queue (default ${DEFAULT_QUEUE}; the workers' --queue)` },
  attempts: { kind: 'value', arg: 'N', setting: { type: 'integer', default: 3, min: 1, max: 100, doc: 'tries per cell on the queue before it is reported failed' } },
  oversubscribe: { kind: 'flag', doc: 'let --workers exceed the cores available (capped at the cores otherwise)' },
} as const satisfies CliOptions;

const experimentFlags = ['config', 'env', 'env-cmd', 'env-param', 'learners', 'param', 'seeds', 'seed', 'episodes', 'eval-points', 'radii', 'random-kernels', 'rollout-episodes', 'module', 'out'];

/**
 * The folder of `--resume DIR` (absolute), or undefined.
 * @throws DrmgError ('input') for an empty DIR, experiment flags beside it, or a DIR without config.json.
 */
export function resumeDirOption(values: Readonly<Record<string, unknown>>): string | undefined {
  const dir = values.resume;
  if (dir === undefined) return undefined;
  if (typeof dir !== 'string' || dir.trim() === '') inputError('drmg compare --resume', 'expected the folder of a run, got an empty path');
  const extra = experimentFlags.filter((f) => values[f] !== undefined);
  if (extra.length > 0) {
    inputError('drmg compare --resume', `takes the experiment from ${join(dir, 'config.json')}; leave out ${extra.map((f) => `--${f}`).join(', ')} (to change the experiment, start a new run)`);
  }
  const abs = resolve(dir);
  if (!existsSync(join(abs, 'config.json'))) inputError(`drmg compare --resume ${dir}`, `holds no run to resume (no ${join(abs, 'config.json')})`);
  return abs;
}

/**
 * The executor of `--backend` (undefined: the local default, built by compare from `workers`).
 * @throws DrmgError ('input') for an unknown backend, `--redis` / `--queue` / `--attempts` without bullmq, bullmq
 * without a Redis URL, `--workers` with bullmq, or a malformed URL or queue name.
 */
export function compareExecutorOption(values: Readonly<Record<string, unknown>>): CompareExecutor | undefined {
  const backend = (optionValue('compare', compareRunOptions, values, 'backend') as 'local' | 'bullmq' | undefined) ?? 'local';
  if (backend === 'local') {
    for (const f of ['redis', 'queue', 'attempts']) {
      if (values[f] !== undefined) inputError(`drmg compare --${f}`, 'applies to --backend bullmq only');
    }
    return undefined;
  }
  if (values.workers !== undefined || values.oversubscribe !== undefined) {
    inputError(`drmg compare --${values.workers !== undefined ? 'workers' : 'oversubscribe'}`, 'applies to --backend local only; with bullmq, the cells run on drmg worker processes (drmg worker --concurrency N)');
  }
  const redis = (values.redis as string | undefined) ?? process.env[REDIS_URL_ENV];
  if (redis === undefined || redis === '') inputError('drmg compare --backend bullmq', `needs a Redis: --redis redis://host:6379, or the ${REDIS_URL_ENV} environment variable`);
  const attempts = optionValue('compare', compareRunOptions, values, 'attempts') as number | undefined;
  return bullmqExecutor({ redis, queue: values.queue as string | undefined, attempts, source: 'drmg compare ' });
}

/** Signals closer together than this (ms) count as one (a process group's signal relayed by pnpm). */
export const SAME_SIGNAL_MS = 1000;

/** The exit code of a run stopped by `signal`: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? 143 : 130;
}

/** Listens for SIGINT and SIGTERM while a run goes (see the file header). */
export interface SignalStop {
  /** The first signal received, or null. */
  readonly received: () => NodeJS.Signals | null;
  /** Stops listening. */
  dispose(): void;
}

/** Aborts `controller` on the first SIGINT or SIGTERM; the second quits at once with the signal's exit code. */
export function stopOnSignals(io: CliIo, controller: AbortController): SignalStop {
  let received: NodeJS.Signals | null = null;
  let firstAt = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    // A terminal's Ctrl-C reaches the whole process group, and pnpm relays it as well: the same signal twice
    // within a moment is one Ctrl-C, not a second one.
    if (received !== null && performance.now() - firstAt < SAME_SIGNAL_MS) return;
    if (received !== null) {
      io.err(`\ncompare: ${signal} again: quitting now; every finished cell is in the run folder's cells.jsonl (drmg compare --resume continues)\n`);
      process.exit(signalExitCode(received));
    }
    received = signal;
    firstAt = performance.now();
    io.err(`\ncompare: stopping (${signal}; ${signal === 'SIGINT' ? 'Ctrl-C' : 'SIGTERM'} again quits at once); the runs that finished are kept and a partial report is written...\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    received: () => received,
    dispose() {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    },
  };
}
