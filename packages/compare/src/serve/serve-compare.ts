/**
 * `serveCompare`: `compare` with its live dashboard (`drmg compare --serve`). The dashboard's server starts first
 * (its address is handed to `onListening`), then the run: its progress goes to the caller's sink (the terminal's)
 * and to the dashboard (`teeProgress`), the stop button aborts the same signal as Ctrl-C (the finished cells are
 * kept and a partial report is written), and once the run ends the dashboard shows the results, the report and the
 * run's files. The server stays up until `close()`: the caller decides (the command line waits for Ctrl-C).
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compare, type CompareOptions, type CompareReport } from '../compare.ts';
import type { CompareConfig, CompareConfigInput } from '../compare-config.ts';
import { learnerSummaryJson } from '../compare-files.ts';
import { startDashboardServer, type DashboardServer } from './dashboard-server.ts';
import { createLiveRun, type LiveRun } from './live-run.ts';
import { runFolderFiles } from './run-folder-files.ts';
import { teeProgress } from './tee-progress.ts';

/** Options of `serveCompare`: those of `compare`, and the server's. */
export interface ServeCompareOptions extends CompareOptions {
  /** The address to bind (default 127.0.0.1; another one requires the token on every request). */
  readonly host?: string;
  /** The port (default 0: a free one). */
  readonly port?: number;
  /** The token (default: a random one). */
  readonly token?: string;
  /** Milliseconds over which the dashboard coalesces a cell's progress (default 100). */
  readonly intervalMs?: number;
  /** Called once the server listens, before the run starts (print the address here). */
  readonly onListening?: (server: DashboardServer) => void;
}

/** A compare run with its dashboard. */
export interface ServedCompare {
  readonly server: DashboardServer;
  readonly live: LiveRun;
  /** The run's report once it ends (rejects as `compare` does; the dashboard then says why). */
  readonly report: Promise<CompareReport>;
  /** Stops the run as the stop button does. */
  stop(): void;
  /** True once the run was asked to stop by the stop button (not by the caller's signal). */
  stoppedFromPage(): boolean;
  /** Stops the server (after the run: the dashboard stays up until then). */
  close(): Promise<void>;
}

/** One line about the experiment in `dir`/config.json, for the dashboard's header. */
export function scenarioLine(dir: string): string | null {
  try {
    const c = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Partial<CompareConfig>;
    const params = Object.entries(c.envParams ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
    const env = c.envCmd ? `simulator ${JSON.stringify(c.envCmd)}` : basename(String(c.env));
    const learners = (c.learners ?? []).map((l) => l.label).join(', ');
    return `${env}${params ? ` (${params})` : ''}: ${learners}; K = ${c.episodes} episodes x ${c.seeds?.length} seeds`;
  } catch {
    return null;
  }
}

/**
 * Starts the dashboard, then the run (see the file header); resolves once the server listens.
 * @throws DrmgError ('input') when the server cannot listen (a port taken, an address not of this machine).
 * @example const run = await serveCompare({ episodes: 500 }, { onListening: (s) => console.log(s.url) }); await run.report; await run.close();
 */
export async function serveCompare(input: CompareConfigInput | CompareConfig = {}, options: ServeCompareOptions = {}): Promise<ServedCompare> {
  const live = createLiveRun({ intervalMs: options.intervalMs });
  const controller = new AbortController();
  let fromPage = false;
  const outer = options.signal;
  if (outer !== undefined) {
    if (outer.aborted) controller.abort();
    else outer.addEventListener('abort', () => controller.abort(), { once: true });
  }
  let dir: string | null = null;
  const server = await startDashboardServer({
    live,
    dir: () => dir,
    host: options.host,
    port: options.port,
    token: options.token,
    onStop: () => {
      fromPage = true;
      controller.abort();
    },
  });
  options.onListening?.(server);
  const report = compare(input, {
    ...options,
    signal: controller.signal,
    progress: teeProgress(options.progress, live.sink),
    onFolder: (d) => {
      dir = d;
      live.update({ title: `drmg compare: ${basename(d)}`, scenario: scenarioLine(d), files: runFolderFiles(d) });
      options.onFolder?.(d);
    },
  }).then(
    (r) => {
      live.update({
        files: runFolderFiles(r.dir),
        where: r.outcome.where,
        results: {
          summaries: r.summaries.map((s) => learnerSummaryJson(s, r.config.radii)),
          text: r.text,
          timingLine: r.timingLine,
          report: r.files.includes('report.html') ? 'report.html' : null,
        },
      });
      if (r.interrupted) live.setStatus('interrupted', `${r.outcome.runs.filter((x) => x !== null).length} of ${r.outcome.planned.length} runs finished and are kept; drmg compare --resume ${r.dir} runs the rest`);
      else live.setStatus('finished');
      return r;
    },
    (e: unknown) => {
      live.setStatus('failed', e instanceof Error ? e.message : String(e));
      throw e;
    },
  );
  // The caller awaits `report`; this keeps an unawaited failure from being reported twice.
  report.catch(() => {});
  return {
    server,
    live,
    report,
    stop: () => {
      fromPage = true;
      controller.abort();
    },
    stoppedFromPage: () => fromPage,
    async close() {
      live.close();
      await server.close();
    },
  };
}
