/**
 * Errors raised by drmg for bad input (exit code 2 in the CLI) or internal failures (exit code 1).
 *
 * Every message says what was wrong, where (a JSON-like path such as `transition[2][0][5]`),
 * and what was expected: `transition[2][0][5]: row sums to 0.93, expected 1`.
 */

/** Whether an error was caused by the caller's input or by drmg itself. */
export type DrmgErrorKind = 'input' | 'internal';

/**
 * An error with a location path and a kind; `message` is `path: what was wrong, expected ...`.
 *
 * @example
 * throw new DrmgError('input', 'transition[2][0]', 'row sums to 0.93, expected 1');
 */
export class DrmgError extends Error {
  /** `input` for bad caller input, `internal` for a drmg failure. */
  readonly kind: DrmgErrorKind;
  /** Where the problem is, e.g. `transition[2][0][5]` or `policy.json`. */
  readonly path: string;
  /** What was wrong and what was expected, without the path. */
  readonly detail: string;

  constructor(kind: DrmgErrorKind, path: string, detail: string) {
    super(path ? `${path}: ${detail}` : detail);
    this.name = 'DrmgError';
    this.kind = kind;
    this.path = path;
    this.detail = detail;
  }
}

/** Throws an input `DrmgError` at `path` with `detail`; a shorthand for validators. */
export function inputError(path: string, detail: string): never {
  throw new DrmgError('input', path, detail);
}
