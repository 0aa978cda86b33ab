/** `jsonLinesFile`: a sink that writes every event as one JSON line to a file and passes it on. */
import { closeSync, openSync, writeSync } from 'node:fs';
import { DrmgError } from '@drmg/core';
import { Observable, type MonoTypeOperatorFunction } from 'rxjs';
import { eventToJsonLine } from './event-json.ts';

/** Options of `jsonLinesFile`. */
export interface JsonLinesOptions {
  /** Buffered bytes (approximately, in UTF-16 code units) before a write; default 65536. */
  readonly bufferSize?: number;
}

/**
 * Passes every value through and appends it to `path` as one JSON line (eventToJsonLine: typed
 * arrays as arrays), truncating the file at subscription; lines are buffered and written
 * synchronously, the rest flushed and the file closed on completion, error or unsubscription.
 * @throws DrmgError ('input', at `path`) through the stream when the file cannot be opened or written.
 * @example train(opts).pipe(jsonLinesFile('run.jsonl')).subscribe()
 */
export function jsonLinesFile<T>(path: string, options: JsonLinesOptions = {}): MonoTypeOperatorFunction<T> {
  const bufferSize = options.bufferSize ?? 65536;
  return (source) =>
    new Observable<T>((subscriber) => {
      let fd: number;
      try {
        fd = openSync(path, 'w');
      } catch (e) {
        subscriber.error(new DrmgError('input', path, `cannot write the JSON-lines file: ${(e as Error).message}`));
        return;
      }
      let buffer = '';
      let open = true;
      const flush = (): void => {
        if (buffer.length > 0) {
          writeSync(fd, buffer);
          buffer = '';
        }
      };
      const close = (): void => {
        if (!open) return;
        open = false;
        try {
          flush();
        } finally {
          closeSync(fd);
        }
      };
      const fail = (e: unknown): void => {
        try {
          close();
        } catch {
          // the first error is the one to report
        }
        subscriber.error(e instanceof DrmgError ? e : new DrmgError('input', path, `cannot write the JSON-lines file: ${(e as Error).message}`));
      };
      const subscription = source.subscribe({
        next(value) {
          buffer += eventToJsonLine(value) + '\n';
          if (buffer.length >= bufferSize) {
            try {
              flush();
            } catch (e) {
              fail(e);
              return;
            }
          }
          subscriber.next(value);
        },
        error(err) {
          try {
            close();
          } catch {
            // report the upstream error
          }
          subscriber.error(err);
        },
        complete() {
          try {
            close();
          } catch (e) {
            fail(e);
            return;
          }
          subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        try {
          close();
        } catch {
          // nothing left to report to after unsubscription
        }
      };
    });
}
