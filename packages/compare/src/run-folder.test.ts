/**
 * The run folder: claimed exclusively before any cell, refused with a located error when it cannot be used, its
 * journal appended line by line and read back (a line cut short by a crash is dropped and cut off).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeCellOutput } from './compare-cell.ts';
import { openRunFolder, RUN_JOURNAL, RUN_LOCK, type OpenRunFolderOptions } from './run-folder.ts';
import type { CompareRunOutput } from './compare-task.ts';

const temp = () => mkdtempSync(join(tmpdir(), 'drmg-run-folder-'));
const experiment = { env: 'bridge-crossing-v0', episodes: 10 };
const configJson = JSON.stringify({ format: 'drmg-compare-config/1', ...experiment, provenance: { startedAt: 'x' } }) + '\n';
const h1 = '1'.repeat(64);
const h2 = '2'.repeat(64);
const options = (extra: Partial<OpenRunFolderOptions>): OpenRunFolderOptions => ({ configJson, experiment, cells: new Set([h1, h2]), ...extra });
const output = (seed: number) => ({ result: { learner: 'a', seed }, policy: {}, timing: {} }) as unknown as CompareRunOutput;

describe('openRunFolder', () => {
  it('gives two runs claiming the same default name a folder each (exclusive creation)', () => {
    const root = temp();
    const name = (n: number) => join(root, 'runs', `2026-01-01T00-00-00Z-x${n > 1 ? `-${n}` : ''}`);
    const a = openRunFolder(options({ defaultDir: name }));
    const b = openRunFolder(options({ defaultDir: name }));
    expect(a.dir).toBe(name(1));
    expect(b.dir).toBe(name(2));
    expect(a.runId).not.toBe(b.runId);
    a.close();
    b.close();
  });

  it("refuses '', a lock held by a live process, and takes over the lock of a process that is gone", () => {
    expect(() => openRunFolder(options({ dir: '' }))).toThrow("out: expected a folder, got an empty path");
    const dir = temp();
    const a = openRunFolder(options({ dir }));
    expect(() => openRunFolder(options({ dir }))).toThrow(`is in use by another drmg compare (pid ${process.pid} on ${hostname()}`);
    a.close();
    // A run killed with SIGKILL leaves its lock: a pid that does not run any more.
    writeFileSync(join(dir, RUN_LOCK), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), startedAt: 'then' }));
    const b = openRunFolder(options({ dir }));
    expect(b.resumed).toBe(true);
    b.close();
    expect(readdirSync(dir).sort()).toEqual([RUN_JOURNAL, 'config.json']);
  });

  it('continues a run of the same experiment: its journal is read, a line cut short is dropped and cut off', () => {
    const dir = temp();
    const a = openRunFolder(options({ dir }));
    a.appendCell(h1, output(0));
    a.close();
    appendFileSync(join(dir, RUN_JOURNAL), encodeCellOutput(h2, output(1)).slice(0, 50)); // a crash in the middle of a write
    const b = openRunFolder(options({ dir, resume: true }));
    expect([...b.done.keys()]).toEqual([h1]);
    expect(readFileSync(join(dir, RUN_JOURNAL), 'utf8').endsWith('\n')).toBe(true);
    b.appendCell(h2, output(1));
    b.close();
    const c = openRunFolder(options({ dir }));
    expect([...c.done.keys()]).toEqual([h1, h2]);
    expect(c.runId).toBe(b.runId); // the same run: the same jobs on a queue
    c.close();
  });

  it('refuses another experiment, a journal of other cells, a folder of other files, and --resume of an empty folder', () => {
    const dir = temp();
    openRunFolder(options({ dir })).close();
    expect(() => openRunFolder(options({ dir, experiment: { ...experiment, episodes: 11 } }))).toThrow('holds a run of another experiment (it differs in episodes)');
    const other = openRunFolder(options({ dir }));
    other.appendCell('3'.repeat(64), output(0));
    other.close();
    expect(() => openRunFolder(options({ dir }))).toThrow('is not a cell of this experiment');
    const files = temp();
    writeFileSync(join(files, 'a.txt'), 'x');
    expect(() => openRunFolder(options({ dir: files }))).toThrow('is not empty and holds no drmg compare run (found a.txt)');
    expect(readdirSync(files)).toEqual(['a.txt']); // the lock was released
    const empty = join(temp(), 'new');
    mkdirSync(empty);
    expect(() => openRunFolder(options({ dir: empty, resume: true }))).toThrow('holds no run to resume');
  });
});
