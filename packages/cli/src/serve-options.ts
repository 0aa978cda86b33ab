/**
 * The live dashboard's options (`drmg compare --serve [--port N] [--host ADDRESS]`, `drmg dashboard RUN_DIR`),
 * and what the command line does around the server: print its address (with the token), and once the run
 * ended keep the page up until Ctrl-C (SIGINT) or SIGTERM.
 */
import { inputError } from '@drmg/core';
import { serveCompare, type CompareConfig, type CompareConfigInput, type CompareOptions, type CompareReport, type DashboardServer, type ServedCompare } from '@drmg/compare';
import type { CliIo } from './cli-io.ts';
import { SAME_SIGNAL_MS } from './compare-run-options.ts';
import { optionValue, type CliOptions } from './command-options.ts';

/** The dashboard's options, declared once (`drmg dashboard` takes port and host). */
export const serveOptions = {
  serve: {
    kind: 'flag',
    doc: 'serve a live dashboard of the run (printed address): regret and exact gap curves per learner and seed as they arrive, progress, episodes/s and ETA, the results, a stop button (as Ctrl-C: finished runs kept). After the run the page stays up with the results and the report until Ctrl-C (docs/dashboard.md)',
  },
  port: { kind: 'value', arg: 'N', setting: { type: 'integer', default: 0, min: 0, max: 65535, doc: "the dashboard's port (0: a free one)" } },
  host: {
    kind: 'value',
    arg: 'ADDRESS',
    doc: 'listen on ADDRESS instead of 127.0.0.1 (e.g. 0.0.0.0); every request then needs the token printed with the address',
  },
} as const satisfies CliOptions;

/** What `--serve`, `--port` and `--host` asked for. */
export interface ServeChoice {
  readonly port: number;
  readonly host: string | undefined;
}

/**
 * The dashboard asked for, or undefined without `--serve` (`always`: a command that always serves, `drmg dashboard`).
 * @throws DrmgError ('input') for a port not in [0, 65535], an empty host, or --port / --host without --serve.
 */
export function serveOption(command: string, values: Readonly<Record<string, unknown>>, always = false): ServeChoice | undefined {
  if (!always && values.serve !== true) {
    for (const f of ['port', 'host']) if (values[f] !== undefined) inputError(`drmg ${command} --${f}`, 'applies to --serve only (the live dashboard)');
    return undefined;
  }
  const port = (optionValue(command, serveOptions, values, 'port') as number | undefined) ?? serveOptions.port.setting.default;
  const host = values.host as string | undefined;
  if (host !== undefined && host.trim() === '') inputError(`drmg ${command} --host`, 'expected an address to listen on, e.g. 0.0.0.0, got an empty one');
  return { port, host: host?.trim() };
}

/** Prints where the dashboard is (stderr: stdout stays the command's output). */
export function printDashboardAddress(io: CliIo, server: DashboardServer): void {
  const note = server.tokenRequired ? ' (every request needs the token in this address)' : ' (the token in this address is what the stop button needs)';
  io.err(`dashboard: ${server.url}${note}\n`);
}

/**
 * Waits for SIGINT or SIGTERM, then closes `server`; says so first. `afterSignal`: the run was just stopped by a
 * signal, whose copy relayed by pnpm (within SAME_SIGNAL_MS) must not close the page at once.
 */
export async function holdDashboard(io: CliIo, server: DashboardServer, what: string, afterSignal = false): Promise<void> {
  io.err(`dashboard: ${what}; the page stays at ${server.url} until Ctrl-C\n`);
  const since = performance.now();
  await new Promise<void>((done) => {
    const stop = (): void => {
      if (afterSignal && performance.now() - since < SAME_SIGNAL_MS) return;
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  io.err('dashboard: closed\n');
}

/** `compare` with the dashboard (`compareServed.compare`), and the wait once the run ended (`hold`). */
export interface DashboardRun {
  /** Runs `compare` under the dashboard (serveCompare); a run that fails closes the server. */
  compare(input: CompareConfigInput | CompareConfig, options: CompareOptions): Promise<CompareReport>;
  /** Once the results are printed: keeps the page up until Ctrl-C, then closes the server. */
  hold(report: CompareReport, afterSignal: boolean): Promise<void>;
}

/**
 * The dashboard of `drmg compare --serve`, or undefined without --serve.
 * @throws DrmgError ('input') for bad --port / --host (see `serveOption`).
 */
export function dashboardRun(values: Readonly<Record<string, unknown>>, io: CliIo): DashboardRun | undefined {
  const choice = serveOption('compare', values);
  if (choice === undefined) return undefined;
  let served: ServedCompare | undefined;
  return {
    async compare(input, options) {
      served = await serveCompare(input, { ...options, port: choice.port, host: choice.host, onListening: (s) => printDashboardAddress(io, s) });
      try {
        return await served.report;
      } catch (e) {
        await served.close();
        throw e;
      }
    },
    async hold(report, afterSignal) {
      if (served === undefined) return;
      const what = report.interrupted ? 'the run was stopped (its finished runs are kept)' : 'the run has finished';
      await holdDashboard(io, served.server, what, afterSignal);
      served.live.close();
    },
  };
}
