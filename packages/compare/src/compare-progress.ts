/**
 * Progress of a compare experiment: on a terminal, one line per learner with a small bar per seed (and
 * how many of its runs finished), redrawn in place; elsewhere (CI logs), a plain line every few seconds and one line per finished run.
 */
import type { CompareRunOutput, CompareRunProgress } from './compare-task.ts';
import type { CompareProgressSink, CompareRunInfo } from './run-compare.ts';

/** Where progress is written (process.stderr, or anything with `write`; `isTTY` selects the drawing). */
export interface CompareProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of `compareProgress`. */
export interface CompareProgressOptions {
  /** Minimum milliseconds between redraws (default 150 on a terminal) or plain lines (default 5000). */
  readonly intervalMs?: number;
  /** Clock in milliseconds (default performance.now). */
  readonly now?: () => number;
}

function shortNumber(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(1) : x.toFixed(3);
}

/**
 * A progress sink for `runCompare` writing to `stream` (see the file header).
 * @example await runCompare(config, { progress: compareProgress(process.stderr) })
 */
export function compareProgress(stream: CompareProgressStream, options: CompareProgressOptions = {}): CompareProgressSink {
  const tty = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? (tty ? 150 : 5000);
  const now = options.now ?? (() => performance.now());
  let runs: readonly CompareRunInfo[] = [];
  let done: number[] = [];
  let state: ('wait' | 'run' | 'done' | 'stop')[] = [];
  let learners: string[] = [];
  let t0 = 0;
  let last = -Infinity;
  let drawnLines = 0;
  let finished = 0;

  const bar = (k: number, width: number): string => {
    const frac = runs[k].episodes > 0 ? done[k] / runs[k].episodes : 0;
    const filled = Math.min(width, Math.round(frac * width));
    const fill = state[k] === 'stop' ? 'x' : '#';
    return `[${fill.repeat(filled)}${'.'.repeat(width - filled)}]`;
  };

  const drawTty = (): void => {
    const columns = stream.columns || 120; // 0 or undefined: unknown width
    const w = Math.max(...learners.map((l) => l.length));
    const lines = learners.map((l) => {
      const ks = runs.filter((r) => r.learner === l).map((r) => r.index);
      // Bars shrink to fit the terminal: label, one bar per seed, and the count of finished runs.
      const width = Math.max(3, Math.min(10, Math.floor((columns - w - 14) / Math.max(1, ks.length)) - 3));
      const bars = ks.map((k) => bar(k, width)).join(' ');
      const finishedHere = ks.filter((k) => state[k] === 'done').length;
      const text = `${l.padEnd(w)}  ${bars}  ${finishedHere}/${ks.length}`;
      return text.length >= columns ? text.slice(0, columns - 1) : text;
    });
    lines.push(`${finished}/${runs.length} runs done, ${((now() - t0) / 1000).toFixed(1)} s`);
    let out = drawnLines > 0 ? `\x1b[${drawnLines}A` : '';
    for (const line of lines) out += `\r${line}\x1b[K\n`;
    drawnLines = lines.length;
    stream.write(out);
  };

  const plainLine = (): void => {
    const running = runs.filter((r) => state[r.index] === 'run').map((r) => `${r.learner}#${r.seed} ${Math.floor((100 * done[r.index]) / Math.max(1, r.episodes))}%`);
    stream.write(`compare: ${((now() - t0) / 1000).toFixed(1)} s, ${finished}/${runs.length} runs done${running.length > 0 ? `; running ${running.join(', ')}` : ''}\n`);
  };

  const maybeDraw = (force: boolean): void => {
    const t = now();
    if (!force && t - last < intervalMs) return;
    last = t;
    if (tty) drawTty();
    else plainLine();
  };

  return {
    start(list, workers, info = {}) {
      runs = list;
      done = list.map(() => 0);
      state = list.map(() => 'wait');
      for (const k of info.done ?? []) {
        state[k] = 'done';
        done[k] = list[k].episodes;
      }
      finished = info.done?.length ?? 0;
      learners = [...new Set(list.map((r) => r.learner))];
      t0 = now();
      last = t0;
      const seeds = new Set(list.map((r) => r.seed)).size;
      const where = info.where ?? (workers === 1 ? 'the main thread' : `${workers} worker threads`);
      const reused = finished > 0 ? `, ${finished} done already (resumed), ${list.length - finished} to run` : '';
      stream.write(`compare: ${list.length} runs (${learners.length} learners x ${seeds} seeds)${reused} on ${where}\n`);
      if (tty) drawTty();
    },
    update(index: number, p: CompareRunProgress) {
      if (state[index] === 'wait') state[index] = 'run';
      done[index] = p.episodes;
      maybeDraw(false);
    },
    finish(index: number, output: CompareRunOutput | null) {
      if (output === null) {
        if (state[index] === 'run') state[index] = 'stop';
      } else {
        state[index] = 'done';
        finished++;
        done[index] = runs[index].episodes;
        const r = output.result;
        if (!tty) {
          stream.write(
            `compare: done ${r.learner} seed ${r.seed}: regret ${shortNumber(r.regret[r.regret.length - 1] ?? NaN)}, output gap ${(Math.abs(r.outputGap) < 5e-4 ? 0 : r.outputGap).toFixed(3)} ` +
              `(${(output.timing.trainMs / 1000).toFixed(1)} s, ${output.timing.episodesPerSecond.toFixed(0)} episodes/s)\n`,
          );
        }
      }
      if (tty) maybeDraw(true);
    },
    end(interrupted) {
      if (tty) drawTty();
      stream.write(interrupted ? `compare: stopped; ${finished}/${runs.length} runs finished and are kept\n` : '');
    },
  };
}
