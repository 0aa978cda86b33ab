/**
 * `drmg` as a separate process for the tests that need one (signals, SIGKILL, other users, file size limits, a
 * private mount): `node --import tsx packages/cli/src/main.ts ...`, one node process as `pnpm drmg` starts it,
 * from any working directory. Its output is collected, and `waitFor` resolves when a line matching a pattern appears.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, '..');

/** The arguments of node that run drmg from its sources (tsx's loader in process: no wrapper). */
export function drmgNodeArgs(args: readonly string[]): string[] {
  return ['--import', pathToFileURL(join(repoRoot, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(repoRoot, 'packages', 'cli', 'src', 'main.ts'), ...args];
}

/** A running drmg process. */
export interface DrmgProcess {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or 128 + signal number when killed by a signal). */
  readonly exited: Promise<number>;
  /** Resolves once stderr (or stdout) has a match of `pattern`; rejects if the process exits first. */
  waitFor(pattern: RegExp, stream?: 'stderr' | 'stdout'): Promise<RegExpMatchArray>;
}

const signalNumbers: Record<string, number> = { SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Starts `command args` (default: node running drmg with `args`). */
export function startProcess(command: string, args: readonly string[], options: SpawnOptions = {}): DrmgProcess {
  const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  // A test that times out never reaches its cleanup: no process of it outlives the test process.
  const orphanGuard = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', orphanGuard);
  child.once('exit', () => process.removeListener('exit', orphanGuard));
  let out = '';
  let err = '';
  const watchers: { pattern: RegExp; stream: 'stderr' | 'stdout'; resolve: (m: RegExpMatchArray) => void; reject: (e: Error) => void }[] = [];
  const check = (): void => {
    for (let n = watchers.length - 1; n >= 0; n--) {
      const w = watchers[n];
      const m = (w.stream === 'stderr' ? err : out).match(w.pattern);
      if (m !== null) {
        watchers.splice(n, 1);
        w.resolve(m);
      }
    }
  };
  child.stdout?.on('data', (b) => {
    out += b;
    check();
  });
  child.stderr?.on('data', (b) => {
    err += b;
    check();
  });
  const exited = new Promise<number>((done) => {
    // 'close', not 'exit': every byte of the output has been read by then.
    child.on('close', (code, signal) => {
      for (const w of watchers.splice(0)) w.reject(new Error(`exited (${code ?? signal}) before ${w.pattern} appeared; stderr:\n${err.slice(-3000)}`));
      done(code ?? 128 + (signalNumbers[signal ?? ''] ?? 0));
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, stream = 'stderr') {
      return new Promise((resolve, reject) => {
        watchers.push({ pattern, stream, resolve, reject });
        check();
      });
    },
  };
}

/** Starts `drmg args` as its own node process. */
export function startDrmg(args: readonly string[], options: SpawnOptions = {}): DrmgProcess {
  return startProcess(process.execPath, drmgNodeArgs(args), options);
}

/** Runs `drmg args` to the end: exit code and output. */
export async function runDrmg(args: readonly string[], options: SpawnOptions = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = startDrmg(args, options);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}
