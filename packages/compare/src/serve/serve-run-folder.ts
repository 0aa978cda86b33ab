/**
 * `serveRunFolder`: the dashboard of a finished or interrupted run (`drmg dashboard RUN_DIR`): the same page as
 * `drmg compare --serve`, its state read from the folder: the planned cells (config.json: learners x seeds), the
 * curves and figures of every cell in the journal (cells.jsonl), the summaries of results.jsonl, summary.txt,
 * the report and every file. Nothing is computed and nothing can be stopped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { inputError } from '@drmg/core';
import { decodeCellOutput } from '../compare-cell.ts';
import type { CompareRunOutput } from '../compare-task.ts';
import { RUN_JOURNAL } from '../run-folder.ts';
import { startDashboardServer, type DashboardServer } from './dashboard-server.ts';
import { createLiveRun, liveCellFinal, liveCellPoints, type LiveCell, type LiveRun } from './live-run.ts';
import { runFolderFiles } from './run-folder-files.ts';
import { scenarioLine } from './serve-compare.ts';

/** Options of `serveRunFolder`. */
export interface ServeRunFolderOptions {
  readonly host?: string;
  readonly port?: number;
  readonly token?: string;
}

/** A served run folder. */
export interface ServedRunFolder {
  readonly server: DashboardServer;
  readonly live: LiveRun;
  readonly dir: string;
  close(): Promise<void>;
}

interface RunConfig {
  readonly learners: readonly { readonly label: string }[];
  readonly seeds: readonly number[];
  readonly episodes: number;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The dashboard's state of the run in `dir` (see the file header), in `live`.
 * @throws DrmgError ('input') when `dir` holds no run (no readable config.json) or a journal line is malformed (its line number).
 */
export function loadRunFolderState(dir: string, live: LiveRun): void {
  const configText = readText(join(dir, 'config.json'));
  if (configText === null) inputError(dir, `holds no compare run (no readable ${join(dir, 'config.json')}); expected a folder written by drmg compare`);
  let config: RunConfig;
  try {
    config = JSON.parse(configText) as RunConfig;
  } catch (e) {
    inputError(join(dir, 'config.json'), `is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!Array.isArray(config.learners) || !Array.isArray(config.seeds) || typeof config.episodes !== 'number') {
    inputError(join(dir, 'config.json'), 'expected a compare config with learners, seeds and episodes');
  }
  const outputs = new Map<string, CompareRunOutput>();
  const journal = readText(join(dir, RUN_JOURNAL)) ?? '';
  journal.split('\n').forEach((line, n) => {
    if (line.trim() === '') return;
    const { output } = decodeCellOutput(line, `${join(dir, RUN_JOURNAL)}:${n + 1}`);
    outputs.set(`${output.result.learner}\u0000${output.result.seed}`, output);
  });
  const cells: LiveCell[] = [];
  for (const l of config.learners) {
    for (const seed of config.seeds) {
      const output = outputs.get(`${l.label}\u0000${seed}`);
      const base = { index: cells.length, learner: l.label, seed, episodes: config.episodes, worker: null };
      cells.push(
        output === undefined
          ? { ...base, state: 'missing', done: 0, regret: null, gap: null, rate: null, eta: null, points: [], final: null }
          : (() => {
              const points = liveCellPoints(output);
              const last = points[points.length - 1];
              return { ...base, state: 'done', done: config.episodes, regret: last?.regret ?? null, gap: last?.gap ?? null, rate: output.timing.episodesPerSecond, eta: 0, points, final: liveCellFinal(output) };
            })(),
      );
    }
  }
  const summaries: Record<string, unknown>[] = [];
  for (const line of (readText(join(dir, 'results.jsonl')) ?? '').split('\n')) {
    if (line.trim() === '') continue;
    try {
      const doc = JSON.parse(line) as Record<string, unknown>;
      if (doc.type === 'summary') summaries.push(doc);
    } catch {
      // results.jsonl is written whole or not at all; a line that does not parse is left out
    }
  }
  const text = readText(join(dir, 'summary.txt'));
  const done = cells.filter((c) => c.state === 'done').length;
  live.update({
    title: `drmg compare: ${basename(dir)}`,
    scenario: scenarioLine(dir),
    cells,
    files: runFolderFiles(dir),
    results: text === null && summaries.length === 0 ? null : { summaries, text: text ?? '', timingLine: `${done} of ${cells.length} runs finished`, report: existsSync(join(dir, 'report.html')) ? 'report.html' : null },
  });
  live.setStatus('archived', done < cells.length ? `${done} of ${cells.length} runs finished; drmg compare --resume ${dir} runs the rest` : `all ${cells.length} runs finished`);
}

/**
 * Serves the dashboard of the run in `dir` (see the file header).
 * @throws DrmgError ('input') when `dir` holds no run, or the server cannot listen.
 */
export async function serveRunFolder(dir: string, options: ServeRunFolderOptions = {}): Promise<ServedRunFolder> {
  const abs = resolve(dir);
  const live = createLiveRun();
  loadRunFolderState(abs, live);
  const server = await startDashboardServer({ live, dir: () => abs, host: options.host, port: options.port, token: options.token });
  return {
    server,
    live,
    dir: abs,
    async close() {
      live.close();
      await server.close();
    },
  };
}
