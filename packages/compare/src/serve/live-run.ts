/**
 * `createLiveRun`: the state of a compare run as the live dashboard shows it, fed by the same progress the
 * terminal gets (a `CompareProgressSink`: the executors' hooks, which carry the events of each cell's RxJS
 * training stream `train -> withRobustGap -> cumulativeRegret`, compare-task.ts), and the stream of events
 * the dashboard's server sends to its pages as server-sent events.
 *
 * Throttling: progress of a cell is coalesced over `intervalMs` (default 100 ms: at most ten messages a
 * second per cell, whatever the speed of the run); the points of the curves are never dropped, only
 * batched. Rare events (the start, a status, the end, the results) go out as a whole snapshot of the state.
 * A page that connects late gets the snapshot first (`snapshot()`), then the events.
 */
import { Subject, bufferTime, concatMap, filter, from, type Observable } from 'rxjs';
import type { CompareCurvePoint, CompareRunOutput, CompareRunProgress } from '../compare-task.ts';
import type { CompareProgressSink } from '../run-compare.ts';

/** A cell (one learner and seed) on the dashboard. */
export interface LiveCell {
  readonly index: number;
  readonly learner: string;
  readonly seed: number;
  /** Episodes planned (K). */
  readonly episodes: number;
  /** wait: not started; run: training; done: finished; stop: stopped or failed; missing: not in the run folder. */
  state: 'wait' | 'run' | 'done' | 'stop' | 'missing';
  /** Episodes done. */
  done: number;
  /** Latest cumulative exact robust regret, and latest exact gap. */
  regret: number | null;
  gap: number | null;
  /** Episodes per second and seconds to go (estimates while it runs; the measured rate once done). */
  rate: number | null;
  eta: number | null;
  /** Who computes it (a drmg worker on a queue), when known. */
  worker: string | null;
  /** The exact evaluations so far (the whole curve once done). */
  points: CompareCurvePoint[];
  /** Figures of the output policy, once done. */
  final: LiveCellFinal | null;
}

/** A finished cell's output policy figures. */
export interface LiveCellFinal {
  readonly outputGap: number | null;
  readonly nominalGap: number | null;
  /** Robust team value (sum over agents) on the scenario. */
  readonly robustValue: number | null;
  readonly certifiedGap: number | null;
  readonly boundGap: number | null;
  readonly trainSeconds: number;
}

/** The results of a run that ended, for the dashboard. */
export interface LiveResults {
  /** `learnerSummaryJson` of each learner. */
  readonly summaries: readonly Record<string, unknown>[];
  /** The terminal summary (summary.txt). */
  readonly text: string;
  readonly timingLine: string;
  /** The report's path in the run folder, or null when none was written. */
  readonly report: string | null;
}

/** Where the run stands. */
export type LiveStatus = 'starting' | 'running' | 'stopping' | 'finished' | 'interrupted' | 'failed' | 'archived';

/** Everything the dashboard shows. */
export interface LiveState {
  /** Increases with every change. */
  seq: number;
  status: LiveStatus;
  /** A line about the status (an error, how to resume). */
  message: string | null;
  /** The run folder's name, and a one-line description of the scenario. */
  title: string;
  scenario: string | null;
  /** `2 worker threads`, `2 drmg workers on the bullmq queue ...`. */
  where: string | null;
  cells: LiveCell[];
  /** Files of the run folder (relative paths), served under /run/. */
  files: string[];
  results: LiveResults | null;
  /** True while the stop button can stop the run. */
  canStop: boolean;
}

/** A message to the pages: a whole snapshot, a cell's progress (coalesced), or a cell's end. */
export type LiveEvent =
  | { readonly type: 'state'; readonly state: LiveState }
  | {
      readonly type: 'progress';
      readonly seq: number;
      readonly index: number;
      readonly state: LiveCell['state'];
      readonly done: number;
      readonly regret: number | null;
      readonly gap: number | null;
      readonly rate: number | null;
      readonly eta: number | null;
      readonly worker: string | null;
      readonly points: CompareCurvePoint[];
    }
  | { readonly type: 'cell'; readonly seq: number; readonly cell: LiveCell };

/** Options of `createLiveRun`. */
export interface LiveRunOptions {
  /** Milliseconds over which a cell's progress is coalesced (default 100). */
  readonly intervalMs?: number;
  /** Clock in milliseconds (default performance.now). */
  readonly now?: () => number;
  /** The dashboard's title (default `drmg compare`). */
  readonly title?: string;
}

/** A live run (see the file header). */
export interface LiveRun {
  /** The progress sink to give `compare` (beside the terminal's: `teeProgress`). */
  readonly sink: CompareProgressSink;
  /** The throttled events for the pages; completes on `close()`. */
  readonly events: Observable<LiveEvent>;
  /** The whole state now (a copy). */
  snapshot(): LiveState;
  /** Changes the status (and its message); `canStop` follows it. */
  setStatus(status: LiveStatus, message?: string | null): void;
  /** Sets the title, scenario, files or results. */
  update(patch: Partial<Pick<LiveState, 'title' | 'scenario' | 'where' | 'files' | 'results' | 'cells'>>): void;
  /** Completes the event stream (the pages' connections end). */
  close(): void;
}

function finite(x: number | null | undefined): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** The dashboard's view of a finished cell's output. */
export function liveCellFinal(output: CompareRunOutput): LiveCellFinal {
  const r = output.result;
  return {
    outputGap: finite(r.outputGap),
    nominalGap: finite(r.nominalGap),
    robustValue: finite(r.robustValue.reduce((a, b) => a + b, 0)),
    certifiedGap: finite(r.certifiedGap),
    boundGap: finite(r.boundGap),
    trainSeconds: output.timing.trainMs / 1000,
  };
}

/** The whole curve of a finished cell. */
export function liveCellPoints(output: CompareRunOutput): CompareCurvePoint[] {
  const r = output.result;
  // Runs of older journals carry no samples: their points have none either.
  return r.episodes.map((episode, q) => (r.samples === undefined ? { episode, regret: r.regret[q], gap: r.gap[q] } : { episode, regret: r.regret[q], gap: r.gap[q], samples: r.samples[q] }));
}

/** A live run (see the file header). */
export function createLiveRun(options: LiveRunOptions = {}): LiveRun {
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? 100;
  const state: LiveState = { seq: 0, status: 'starting', message: null, title: options.title ?? 'drmg compare', scenario: null, where: null, cells: [], files: [], results: null, canStop: true };
  // When each cell was first seen running, and its episodes then (the rate is measured from there).
  const firstSeen = new Map<number, { t: number; done: number }>();
  const raw = new Subject<LiveEvent>();

  const snapshot = (): LiveState => structuredClone(state);
  const emitState = (): void => {
    state.seq++;
    raw.next({ type: 'state', state: snapshot() });
  };

  const coalesce = (batch: LiveEvent[]): LiveEvent[] => {
    // One progress message per cell and batch (its points joined); snapshots and cell ends in order.
    const out: LiveEvent[] = [];
    const byCell = new Map<number, number>();
    for (const e of batch) {
      if (e.type === 'progress') {
        const at = byCell.get(e.index);
        if (at !== undefined) {
          const prev = out[at] as Extract<LiveEvent, { type: 'progress' }>;
          out[at] = { ...e, points: [...prev.points, ...e.points] };
          continue;
        }
        byCell.set(e.index, out.length);
        out.push(e);
      } else {
        if (e.type === 'cell') byCell.delete(e.cell.index);
        else byCell.clear();
        out.push(e);
      }
    }
    return out;
  };

  const events = raw.pipe(
    bufferTime(intervalMs),
    filter((batch) => batch.length > 0),
    concatMap((batch) => from(coalesce(batch))),
  );

  const sink: CompareProgressSink = {
    start(runs, _workers, info = {}) {
      state.cells = runs.map((r) => ({ index: r.index, learner: r.learner, seed: r.seed, episodes: r.episodes, state: 'wait', done: 0, regret: null, gap: null, rate: null, eta: null, worker: null, points: [], final: null }));
      for (const k of info.done ?? []) {
        const c = state.cells[k];
        if (c !== undefined) {
          c.state = 'done';
          c.done = c.episodes;
        }
      }
      state.where = info.where ?? null;
      state.status = 'running';
      state.canStop = true;
      emitState();
    },
    update(index: number, p: CompareRunProgress) {
      const c = state.cells[index];
      if (c === undefined || c.state === 'done') return;
      const t = now();
      c.state = 'run';
      c.done = p.episodes;
      c.regret = finite(p.regret);
      if (p.worker !== undefined) c.worker = p.worker;
      const points = p.points ?? [];
      for (const q of points) if (c.points.length === 0 || q.episode > c.points[c.points.length - 1].episode) c.points.push(q);
      if (c.points.length > 0) {
        const last = c.points[c.points.length - 1];
        c.regret = last.regret;
        c.gap = last.gap;
      }
      const first = firstSeen.get(index);
      if (first === undefined) firstSeen.set(index, { t, done: p.episodes });
      else if (t > first.t && p.episodes > first.done) {
        c.rate = ((p.episodes - first.done) * 1000) / (t - first.t);
        c.eta = (c.episodes - p.episodes) / c.rate;
      }
      state.seq++;
      raw.next({ type: 'progress', seq: state.seq, index, state: c.state, done: c.done, regret: c.regret, gap: c.gap, rate: c.rate, eta: c.eta, worker: c.worker, points: [...points] });
    },
    finish(index: number, output: CompareRunOutput | null) {
      const c = state.cells[index];
      if (c === undefined) return;
      if (output === null) {
        if (c.state !== 'done') c.state = c.state === 'run' ? 'stop' : c.state;
        if (c.state === 'wait') return;
      } else {
        c.state = 'done';
        c.done = c.episodes;
        c.points = liveCellPoints(output);
        const last = c.points[c.points.length - 1];
        c.regret = last?.regret ?? null;
        c.gap = last?.gap ?? null;
        c.rate = output.timing.episodesPerSecond;
        c.eta = 0;
        c.final = liveCellFinal(output);
      }
      state.seq++;
      raw.next({ type: 'cell', seq: state.seq, cell: structuredClone(c) });
    },
    end(interrupted) {
      state.status = interrupted ? 'interrupted' : 'finished';
      state.canStop = false;
      emitState();
    },
  };

  return {
    sink,
    events,
    snapshot,
    setStatus(status, message = null) {
      state.status = status;
      state.message = message;
      state.canStop = status === 'starting' || status === 'running';
      emitState();
    },
    update(patch) {
      Object.assign(state, structuredClone(patch));
      emitState();
    },
    close() {
      raw.complete();
    },
  };
}
