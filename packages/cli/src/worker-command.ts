/**
 * `drmg worker`: processes the cells of `drmg compare --backend bullmq` runs from a BullMQ queue in Redis, on
 * this machine, until stopped (SIGINT or SIGTERM: the cells running go back to the queue at once, exit 130 / 143).
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MAX_WORKERS, inputError } from '@drmg/core';
import { DEFAULT_QUEUE, startCompareWorker } from '@drmg/compare';
import type { CliCommand } from './cli-command.ts';
import type { CliIo } from './cli-io.ts';
import { REDIS_URL_ENV, SAME_SIGNAL_MS, signalExitCode } from './compare-run-options.ts';
import { defineOptions, helpOption, optionValue, optionsHelp, parseCommandOptions } from './command-options.ts';

/** The options of drmg worker, declared once. */
const options = defineOptions({
  redis: {
    kind: 'value',
    arg: 'URL',
    doc: `redis://[user:password@]host[:port][/db], or rediss://... for TLS (default: the ${REDIS_URL_ENV} environment variable, which keeps a password out of the process list)`,
  },
  concurrency: {
    kind: 'value',
    arg: 'N',
    setting: { type: 'integer', default: 1, min: 1, max: MAX_WORKERS, doc: 'cells at a time, each on its own thread' },
    defaultDoc: 'one per core',
  },
  module: {
    kind: 'list',
    arg: 'FILE',
    doc: 'a module to import first, here and in every thread (repeatable): it registers custom environments (register) or learners (registerLearner). A job never names code: this worker runs the built-in environments and learners and those of its own modules; a job naming another one fails with a clear error',
  },
  queue: { kind: 'value', arg: 'NAME', doc: `the queue (default ${DEFAULT_QUEUE}; the coordinator's --queue)` },
  'allow-env-cmd': {
    kind: 'flag',
    doc: 'run jobs whose experiment is a simulator command (compare --env-cmd): this worker then starts the command line the job carries, as given by whoever enqueued it. Without it such jobs fail with a clear error',
  },
  'lock-duration': {
    kind: 'value',
    arg: 'MS',
    setting: {
      type: 'integer',
      default: 30_000,
      min: 1000,
      max: 3_600_000,
      doc: "how long a cell's lock lasts without renewal: when a worker dies, its cells are taken up by another worker after this long",
    },
  },
  ...helpOption,
});

function helpText(): string {
  return `Usage: drmg worker --redis URL [--concurrency N] [--module FILE ...] [--queue NAME]
                   [--allow-env-cmd] [--lock-duration MS]

Runs the cells of drmg compare --backend bullmq: takes them from a BullMQ queue in Redis, computes each
on a worker thread of this process, and puts the results back. Start as many as you like, on any machine
that reaches the Redis; every one of them must run the same drmg version as drmg compare.

Options:
${optionsHelp(options)}

A job carries data only (ids, parameters, a game document, a seed), never code or a path to read. A bad
job (unknown environment or learner, bad parameter, malformed game) fails at once, on that cell only;
any other error is retried by the queue (drmg compare --attempts). Ctrl-C (SIGINT) or SIGTERM: no new
cell is taken, the running ones go back to the queue for another worker, exit code 130 / 143.
Exit codes: 2 bad input (message on stderr), 1 internal failure, 130 / 143 stopped by a signal.
`;
}

/** The `worker` subcommand. */
export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'runs the cells of drmg compare --backend bullmq from a Redis queue, on this machine',
  get help(): string {
    return helpText();
  },
  async run(args: string[], io: CliIo) {
    const { values, positionals } = parseCommandOptions('worker', args, options);
    if (values.help) {
      io.out(helpText());
      return 0;
    }
    if (positionals.length > 0) inputError('drmg worker', `takes no arguments, got ${JSON.stringify(positionals[0])} (see drmg worker --help)`);
    const redis = (values.redis as string | undefined) ?? process.env[REDIS_URL_ENV];
    if (redis === undefined || redis === '') inputError('drmg worker', `needs a Redis: --redis redis://host:6379, or the ${REDIS_URL_ENV} environment variable`);
    const concurrency = optionValue('worker', options, values, 'concurrency') as number | undefined;
    const lockDurationMs = optionValue('worker', options, values, 'lock-duration') as number | undefined;
    const modules = ((values.module as string[] | undefined) ?? []).map((m) => pathToFileURL(resolve(m)).href);
    const worker = await startCompareWorker({
      redis,
      queue: values.queue as string | undefined,
      concurrency,
      modules,
      allowEnvCmd: values['allow-env-cmd'] === true,
      lockDurationMs,
      log: (line) => io.err(`${line}\n`),
    });
    let received: NodeJS.Signals | null = null;
    let firstAt = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (received !== null && performance.now() - firstAt < SAME_SIGNAL_MS) return; // one Ctrl-C, relayed twice
      if (received !== null) process.exit(signalExitCode(received)); // again: at once (the queue gives the cells to others after the lock expires)
      received = signal;
      firstAt = performance.now();
      void worker.stop();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await worker.closed;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    }
    io.err(`worker ${worker.id}: stopped after ${worker.done()} cell${worker.done() === 1 ? '' : 's'}\n`);
    return received !== null ? signalExitCode(received) : 0;
  },
};
