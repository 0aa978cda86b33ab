/**
 * A real redis-server for the bullmq tests (no mocks): started on a free port with a temporary folder and the
 * append-only file on (`--appendonly yes`: a restart keeps the queue), stopped after. Without the binary the tests
 * are skipped with a printed reason, except in CI (CI set), where they fail: .ci/install-redis.sh installs it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The redis-server binary (REDIS_SERVER, else the one on PATH), or null. */
export function redisServerBinary(): string | null {
  const bin = process.env.REDIS_SERVER ?? 'redis-server';
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? bin : null;
}

/** True when the CI variable says this is CI (tests that need a binary must run there). */
export const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

/** A free TCP port on 127.0.0.1 (the OS picks it; closed again before use). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A running test redis-server. */
export interface TestRedis {
  readonly port: number;
  readonly dir: string;
  /** redis://:<password>@127.0.0.1:<port> (rediss:// with TLS) */
  readonly url: string;
  readonly password: string;
  /** Stops it (SIGTERM: Redis writes its append-only file and exits) and waits for the exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder (the data comes back from the append-only file). */
  start(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

/** Files of a TLS redis-server: its certificate and key, and the authority that signed it (clients trust it). */
export interface TestTls {
  readonly cert: string;
  readonly key: string;
  readonly ca: string;
}

/**
 * A certificate authority and a server certificate for 127.0.0.1 (openssl), or null without openssl.
 */
export function makeTestTls(dir: string): TestTls | null {
  if (spawnSync('openssl', ['version']).status !== 0) return null;
  const f = (n: string) => join(dir, n);
  const steps: string[][] = [
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=drmg test CA', '-keyout', f('ca.key'), '-out', f('ca.pem')],
    ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', f('server.key'), '-out', f('server.csr')],
  ];
  for (const a of steps) if (spawnSync('openssl', a, { encoding: 'utf8' }).status !== 0) return null;
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  const sign = spawnSync('openssl', ['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial', '-days', '2', '-extfile', f('san.ext'), '-out', f('server.pem')], { encoding: 'utf8' });
  return sign.status === 0 ? { cert: f('server.pem'), key: f('server.key'), ca: f('ca.pem') } : null;
}

async function waitForPing(bin: string, port: number, password: string, child: ChildProcess, log: () => string, tls: TestTls | null): Promise<void> {
  const cli = bin.replace(/redis-server$/, 'redis-cli');
  const t0 = Date.now();
  while (Date.now() - t0 < 15_000) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}: ${log()}`);
    const r = spawnSync(cli, [...(tls !== null ? ['--tls', '--cacert', tls.ca] : []), '-p', String(port), '--no-auth-warning', '-a', password, 'ping'], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() === 'PONG') return;
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`redis-server on port ${port} did not answer PING within 15 s: ${log()}`);
}

/** Starts a redis-server (see the file header) with a password, so that every URL of the tests carries one; with `tls`, TLS only (rediss://). */
export async function startTestRedis(bin: string, tls: TestTls | null = null): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'drmg-redis-'));
  const password = 'test-secret';
  let child: ChildProcess | null = null;
  let output = '';
  const start = async (): Promise<void> => {
    output = '';
    const listen = tls !== null ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca, '--tls-auth-clients', 'no'] : ['--port', String(port)];
    const c = spawn(bin, [...listen, '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--requirepass', password, '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const guard = (): void => void c.kill('SIGKILL'); // a timed-out test never reaches dispose()
    process.once('exit', guard);
    c.once('exit', () => process.removeListener('exit', guard));
    c.stdout?.on('data', (b) => (output += b));
    c.stderr?.on('data', (b) => (output += b));
    child = c;
    await waitForPing(bin, port, password, c, () => output.slice(-2000), tls);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    child = null;
    if (c === null || c.exitCode !== null) return;
    await new Promise<void>((done) => {
      c.once('exit', () => done());
      c.kill('SIGTERM');
    });
  };
  await start();
  return {
    port,
    dir,
    password,
    url: `${tls !== null ? 'rediss' : 'redis'}://:${password}@127.0.0.1:${port}`,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
