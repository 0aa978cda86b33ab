/** `progressBar`: a sink that draws training progress on a terminal (or prints plain lines) and passes events on. */
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import type { TrainEvent } from './train-event.ts';
import { ProgressTracker, type TrainProgress } from './train-progress.ts';

/** Where the bar is written: process.stderr, or anything with `write` (and `isTTY` / `columns` for a terminal). */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/** Options of `progressBar`. */
export interface ProgressBarOptions {
  /** Expected number of episode-end events; without it only counts are shown. */
  readonly total?: number;
  /** Minimum milliseconds between redraws (default 100 on a terminal, 2000 for plain lines). */
  readonly intervalMs?: number;
  /** Printed before the bar, e.g. the learner's name. */
  readonly label?: string;
  /** Clock in milliseconds (default performance.now). */
  readonly now?: () => number;
}

const short = (x: number): string => (Math.abs(x) >= 1000 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3));

/**
 * The figures of a progress line: `1200/5000 episodes (24%)  830 ep/s  regret 12.3  gap 0.0123`, then the learner's
 * bound: `certified 0.05` for a certified bound only, `bound (not certified) 0.05` for any other.
 */
export function formatProgress(p: TrainProgress): string {
  const parts = [p.total !== undefined ? `${p.episodes}/${p.total} episodes (${Math.floor((100 * p.episodes) / Math.max(1, p.total))}%)` : `${p.episodes} episodes`];
  parts.push(`${p.episodesPerSecond.toFixed(0)} ep/s`);
  if (p.regret !== undefined) parts.push(`regret ${short(p.regret)}`);
  if (p.gap !== undefined) parts.push(`gap ${short(p.gap)}`);
  if (p.certifiedGap !== undefined) parts.push(`certified ${short(p.certifiedGap)}`);
  if (p.boundGap !== undefined) parts.push(`bound (not certified) ${short(p.boundGap)}`);
  return parts.join('  ');
}

function bar(p: TrainProgress, width: number): string {
  if (p.total === undefined || p.total <= 0) return '';
  const filled = Math.min(width, Math.round((width * p.episodes) / p.total));
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] `;
}

/**
 * Passes every event through unchanged and draws progress on `stream`: on a TTY a bar redrawn in
 * place (carriage return, at most every `intervalMs`, ended by a newline on completion or error);
 * otherwise a plain line every `intervalMs` and a last one at completion.
 * @example train(opts).pipe(withRobustGap(game), cumulativeRegret(), progressBar(process.stderr, { total: K }))
 */
export function progressBar(stream: ProgressStream = process.stderr, options: ProgressBarOptions = {}): MonoTypeOperatorFunction<TrainEvent> {
  const tty = stream.isTTY === true;
  const intervalMs = options.intervalMs ?? (tty ? 100 : 2000);
  const now = options.now ?? (() => performance.now());
  const label = options.label !== undefined ? `${options.label} ` : '';
  const draw = (p: TrainProgress): void => {
    if (tty) {
      const text = `${label}${bar(p, 24)}${formatProgress(p)}`;
      const columns = stream.columns ?? 120;
      stream.write(`\r${text.length >= columns ? text.slice(0, columns - 1) : text}\x1b[K${p.done ? '\n' : ''}`);
    } else {
      stream.write(`${label}${formatProgress(p)}${p.done ? ' (done)' : ''}\n`);
    }
  };
  return (source) =>
    new Observable<TrainEvent>((subscriber) => {
      const tracker = new ProgressTracker(options.total, now);
      let last = now();
      let drawn = false;
      const subscription = source.subscribe({
        next(e) {
          subscriber.next(e);
          if (!tracker.update(e)) return;
          const t = now();
          if (t - last >= intervalMs) {
            last = t;
            drawn = true;
            draw(tracker.snapshot(false));
          }
        },
        error(err) {
          if (tty && drawn) stream.write('\n');
          subscriber.error(err);
        },
        complete() {
          draw(tracker.snapshot(true));
          subscriber.complete();
        },
      });
      return subscription;
    });
}
