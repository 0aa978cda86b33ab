/**
 * The run folder of `drmg compare`, claimed before the first cell starts and written as cells finish.
 *
 * Claiming (`openRunFolder`), in this order, every failure a located error (exit code 2) before any work:
 *  1. the folder: the default `runs/<time>-<env>` is created exclusively (mkdir, never reused: two runs started in
 *     the same second get `...-2`); an explicit one is created, or must be a folder already. `''` is refused;
 *  2. the lock `.lock` (pid, host, time), created exclusively: two runs never write into one folder. A lock whose
 *     process is gone (same host, pid not running: a run killed with SIGKILL) is taken over;
 *  3. the contents: an empty folder starts a new run (config.json is written at once); a folder holding a run of
 *     the same experiment (config.json, provenance aside) continues it: the cells in its journal are done and are
 *     never recomputed; anything else (another experiment, files that are not a run) is refused.
 *
 * The journal `cells.jsonl` gets one line per finished cell (`encodeCellOutput`: hash, result, policy, timing),
 * appended and flushed to the disk (fdatasync) as the cell finishes, so that a signal, a crash or a full disk loses
 * at most the cells running at that moment. A write that fails is cut back to the last complete line: the journal
 * holds complete lines only. Every other file is written to a temporary name and renamed (`writeRunFile`).
 */
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DrmgError, inputError } from '@drmg/core';
import { canonicalJson, decodeCellOutput, encodeCellOutput, sha256 } from './compare-cell.ts';
import { COMPARE_CONFIG_FORMAT } from './compare-config.ts';
import { writeError, writeRunFile } from './compare-files.ts';
import type { CompareRunOutput } from './compare-task.ts';

/** File names inside a run folder that the folder itself manages. */
export const RUN_JOURNAL = 'cells.jsonl';
export const RUN_LOCK = '.lock';

/** What `openRunFolder` needs to know about the run. */
export interface OpenRunFolderOptions {
  /** The folder asked for (`--out`); undefined: a new folder `defaultDir(n)` (n = 1, 2, ...: the first that can be created). */
  readonly dir?: string;
  readonly defaultDir?: (attempt: number) => string;
  /** The config.json text of this run (written when the folder is new). */
  readonly configJson: string;
  /** The experiment that config.json must hold to be continued: the resolved config (compared without format and provenance). */
  readonly experiment: Readonly<Record<string, unknown>>;
  /** The hashes of the run's cells: a journal line with another hash belongs to another experiment. */
  readonly cells: ReadonlySet<string>;
  /** Require an existing run to continue (`--resume`): an empty or new folder is refused. */
  readonly resume?: boolean;
}

/** A claimed run folder (see the file header). */
export interface RunFolder {
  readonly dir: string;
  /** A stable id of this run (its folder and config.json): names its jobs on a queue, across resumes. */
  readonly runId: string;
  /** True when the folder held a run of this experiment that is now continued. */
  readonly resumed: boolean;
  /** The cells already done (from the journal), by hash. */
  readonly done: ReadonlyMap<string, CompareRunOutput>;
  /** Appends the cell's journal line and flushes it to the disk. @throws DrmgError ('input') with the path and cause. */
  appendCell(hash: string, output: CompareRunOutput): void;
  /** Writes a file of the folder atomically (temporary name, then rename). @throws DrmgError ('input') with the path and cause. */
  writeFile(name: string, content: string | Uint8Array): void;
  /** Removes a file of the folder if it is there (a stale plot of an earlier session). */
  removeFile(name: string): void;
  /** Closes the journal and releases the lock (idempotent). */
  close(): void;
}

function errnoOf(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoOf(e) === 'EPERM';
  }
}

/** Creates `dir` (its parents too); returns true when this call created it, false when it was a folder already. */
function makeFolder(dir: string): boolean {
  try {
    mkdirSync(dirname(dir), { recursive: true });
  } catch (e) {
    throw writeError(dirname(dir), e, 'cannot create the folder of the run folder');
  }
  try {
    mkdirSync(dir);
    return true;
  } catch (e) {
    if (errnoOf(e) !== 'EEXIST') throw writeError(dir, e, 'cannot create the run folder');
  }
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (e) {
    throw writeError(dir, e, 'cannot read it');
  }
  if (!isDir) inputError(dir, 'exists and is not a folder; give --out a new or empty folder');
  return false;
}

interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

function takeLock(dir: string): string {
  const path = join(dir, RUN_LOCK);
  const mine: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, JSON.stringify(mine) + '\n', { flag: 'wx' });
      return path;
    } catch (e) {
      if (errnoOf(e) !== 'EEXIST') throw writeError(dir, e, 'cannot write in the run folder');
    }
    let other: Partial<LockInfo> = {};
    try {
      other = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    } catch {
      // a lock being written this very moment, or unreadable: treat as held
    }
    const alive = other.host !== hostname() || typeof other.pid !== 'number' || processAlive(other.pid);
    if (alive) {
      inputError(dir, `is in use by another drmg compare (pid ${other.pid ?? '?'} on ${other.host ?? '?'}, since ${other.startedAt ?? '?'}); two runs never share a folder: wait for it, or use another --out (if that run is gone, delete ${path})`);
    }
    // The run that held it is gone (killed): take it over. Renaming first means two takers cannot both win.
    try {
      renameSync(path, `${path}.stale-${process.pid}`);
      unlinkSync(`${path}.stale-${process.pid}`);
    } catch {
      // another run took it over first: the next attempt sees its lock
    }
  }
  return inputError(dir, 'could not take its lock (another drmg compare claimed it at the same moment); try again');
}

function readJournal(path: string, cells: ReadonlySet<string>): Map<string, CompareRunOutput> {
  const done = new Map<string, CompareRunOutput>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return done;
    throw writeError(path, e, 'cannot read the journal');
  }
  const end = text.lastIndexOf('\n') + 1;
  // A line without its newline is a write cut short (a crash): it was never counted as done.
  if (end < text.length) {
    try {
      const fd = openSync(path, 'r+');
      ftruncateSync(fd, Buffer.byteLength(text.slice(0, end)));
      closeSync(fd);
    } catch (e) {
      throw writeError(path, e, 'cannot cut its incomplete last line');
    }
  }
  const lines = text.slice(0, end).split('\n');
  lines.pop();
  lines.forEach((line, n) => {
    const cell = decodeCellOutput(line, `${path}:${n + 1}`);
    if (!cells.has(cell.hash)) {
      inputError(`${path}:${n + 1}`, `cell ${cell.hash.slice(0, 12)} (${cell.output.result.learner}, seed ${cell.output.result.seed}) is not a cell of this experiment: the game file, a module or drmg changed since the run started; start a new run folder`);
    }
    done.set(cell.hash, cell.output);
  });
  return done;
}

/** Which top-level settings of two experiments differ (for the refusal message). */
function differences(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => k !== 'format' && k !== 'provenance');
  return keys.filter((k) => canonicalJson(a[k]) !== canonicalJson(b[k]));
}

function ignoredEntry(name: string): boolean {
  return name === RUN_LOCK || name.startsWith(`${RUN_LOCK}.stale-`) || /\.tmp-\d+$/.test(name);
}

/**
 * Claims the run folder (see the file header): created or checked, locked, and either new (config.json written)
 * or a run of the same experiment to continue (its journal read).
 * @throws DrmgError ('input', exit code 2) for `''`, a path that is not a folder, a folder that cannot be written
 * (with the cause: EACCES, EROFS, ENOSPC ...), a folder in use by another run, holding another experiment or other files.
 */
export function openRunFolder(options: OpenRunFolderOptions): RunFolder {
  let dir: string;
  let created: boolean;
  if (options.dir !== undefined) {
    if (options.dir.trim() === '') inputError('out', 'expected a folder, got an empty path (it would write the run into the working directory); give a folder name');
    dir = resolve(options.dir);
    created = makeFolder(dir);
  } else {
    if (options.defaultDir === undefined) throw new DrmgError('internal', 'openRunFolder', 'neither dir nor defaultDir given');
    dir = '';
    created = false;
    for (let attempt = 1; !created; attempt++) {
      dir = resolve(options.defaultDir(attempt));
      try {
        mkdirSync(dirname(dir), { recursive: true });
        mkdirSync(dir);
        created = true;
      } catch (e) {
        if (errnoOf(e) !== 'EEXIST' || attempt >= 1000) throw writeError(dir, e, 'cannot create the run folder');
      }
    }
  }
  const lock = takeLock(dir);
  let journal = -1;
  const release = (): void => {
    if (journal >= 0) {
      try {
        closeSync(journal);
      } catch {
        // closed already
      }
      journal = -1;
    }
    try {
      unlinkSync(lock);
    } catch {
      // gone already
    }
  };
  try {
    const entries = readdirSync(dir).filter((n) => !ignoredEntry(n));
    const configPath = join(dir, 'config.json');
    let resumed = false;
    let configText: string;
    if (entries.length === 0) {
      if (options.resume === true) inputError(dir, `holds no run to resume (no config.json)${created ? '; it did not exist' : ''}`);
      writeRunFile(dir, 'config.json', options.configJson);
      configText = options.configJson;
    } else {
      let stored: Record<string, unknown> | null = null;
      if (entries.includes('config.json')) {
        try {
          const doc = JSON.parse(readFileSync(configPath, 'utf8')) as unknown;
          if (doc !== null && typeof doc === 'object' && (doc as Record<string, unknown>).format === COMPARE_CONFIG_FORMAT) stored = doc as Record<string, unknown>;
        } catch {
          stored = null;
        }
      }
      if (stored === null) {
        const shown = entries.slice(0, 4).join(', ') + (entries.length > 4 ? `, ... (${entries.length} entries)` : '');
        inputError(dir, `is not empty and holds no drmg compare run (found ${shown}); give --out a new or empty folder`);
      }
      const diff = differences(stored, options.experiment);
      if (diff.length > 0) {
        inputError(dir, `holds a run of another experiment (it differs in ${diff.join(', ')}); resume it with drmg compare --resume ${dir}, or give --out a new folder`);
      }
      resumed = true;
      configText = readFileSync(configPath, 'utf8');
    }
    const journalPath = join(dir, RUN_JOURNAL);
    const done = readJournal(journalPath, options.cells);
    try {
      journal = openSync(journalPath, 'a');
    } catch (e) {
      throw writeError(journalPath, e, 'cannot open the journal');
    }
    let real = dir;
    try {
      real = realpathSync(dir);
    } catch {
      // keep the resolved path
    }
    const runId = sha256(`${real}\n${configText}`).slice(0, 16);
    return {
      dir,
      runId,
      resumed,
      done,
      appendCell(hash, output) {
        const line = Buffer.from(encodeCellOutput(hash, output) + '\n');
        if (journal < 0) throw new DrmgError('internal', journalPath, 'the journal is closed');
        let size = 0;
        try {
          size = fstatSync(journal).size;
          for (let at = 0; at < line.length; ) at += writeSync(journal, line, at, line.length - at);
          fdatasyncSync(journal);
        } catch (e) {
          // Cut a partial line back off: the journal keeps complete lines only.
          try {
            ftruncateSync(journal, size);
          } catch {
            // nothing more can be done; the reader ignores a last line without its newline
          }
          throw writeError(journalPath, e, `cannot append the result of ${output.result.learner} seed ${output.result.seed}`);
        }
      },
      writeFile(name, content) {
        writeRunFile(dir, name, content);
      },
      removeFile(name) {
        try {
          unlinkSync(join(dir, name));
        } catch (e) {
          if (errnoOf(e) !== 'ENOENT') throw writeError(join(dir, name), e, 'cannot remove the stale file');
        }
      },
      close: release,
    };
  } catch (e) {
    release();
    throw e;
  }
}
