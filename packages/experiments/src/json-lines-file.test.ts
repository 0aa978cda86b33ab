/** Marble tests (rxjs TestScheduler) of `jsonLinesFile`: values pass unchanged on their frames; the file holds exactly what passed, when the stream ends however it ends. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestScheduler } from 'rxjs/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { eventToJsonLine } from './event-json.ts';
import { jsonLinesFile } from './json-lines-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'drmg-marble-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const v = { a: { type: 'episode-start', k: 0, s1: 1 }, b: { type: 'policy', k: 0, prob: new Float64Array([0.25, 0.75]) }, c: { type: 'episode-end', k: 0, returns: [1, 0] } };
const fileOf = (...values: unknown[]) => values.map((x) => eventToJsonLine(x) + '\n').join('');

describe('jsonLinesFile (marbles)', () => {
  it('passes values through on their frames and writes them all, typed arrays as arrays, at completion', () => {
    const path = join(dir, 'complete.jsonl');
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a--b-c|', v).pipe(jsonLinesFile(path, { bufferSize: 1 }))).toBe('a--b-c|', v);
    });
    expect(readFileSync(path, 'utf8')).toBe(fileOf(v.a, v.b, v.c));
    expect(readFileSync(path, 'utf8')).toContain('"prob":[0.25,0.75]');
  });

  it('unsubscribing flushes and closes the file with what passed so far (a large buffer held it all until then)', () => {
    const path = join(dir, 'unsubscribed.jsonl');
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-b---c|', v).pipe(jsonLinesFile(path)), '^----!').toBe('a-b---', v);
    });
    expect(readFileSync(path, 'utf8')).toBe(fileOf(v.a, v.b));
  });

  it('an upstream error closes the file and passes on, on its frame', () => {
    const path = join(dir, 'errored.jsonl');
    scheduler().run(({ cold, expectObservable }) => {
      expectObservable(cold('a-#', v, 'boom').pipe(jsonLinesFile(path))).toBe('a-#', v, 'boom');
    });
    expect(readFileSync(path, 'utf8')).toBe(fileOf(v.a));
  });

  it('a file that cannot be opened errors at subscription, naming the path', () => {
    const path = join(dir, 'missing-dir', 'x.jsonl');
    scheduler().run(({ cold, expectObservable }) => {
      const error = expect.objectContaining({ name: 'DrmgError', path, message: expect.stringMatching(/cannot write the JSON-lines file/) });
      expectObservable(cold('a|', v).pipe(jsonLinesFile(path))).toBe('#', undefined, error);
    });
  });
});
