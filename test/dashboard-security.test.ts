/**
 * The dashboard server's rules (dashboard-server.ts), against the real server on a free port, with raw HTTP
 * requests (node:http sends a path as written: `..` is not resolved by the client):
 *  - only its own assets and the run folder's files: `..`, `%2e%2e`, `%2f`, hidden files and a symlink inside the
 *    run folder pointing outside all answer 404; a file of the run answers 200 with its content;
 *  - on 127.0.0.1 a Host header of another name is refused (403: DNS rebinding);
 *  - with another host (0.0.0.0), every request without the token is refused (403), with it (query, header, or the
 *    cookie the page gets) answered;
 *  - nothing writes but POST /stop, which needs the token in a header or the query: GET /stop, POST elsewhere and
 *    a POST with only the cookie are refused, and /stop with the token stops a running compare (the run ends
 *    interrupted);
 *  - the command line: `--port` without `--serve` and `drmg dashboard` of a folder without a run exit 2 with the
 *    reason; `drmg compare --serve` in a child process prints the address, serves the finished run until Ctrl-C,
 *    and then exits 0.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo, runCli } from '@drmg/cli';
import { compare, serveCompare, serveRunFolder, type ServedRunFolder } from '@drmg/compare';
import { tempDir } from './compare-helpers.ts';

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

/** One raw HTTP request to 127.0.0.1:port. */
function raw(port: number, path: string, options: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', fail);
    req.end();
  });
}

const root = tempDir('drmg-dashboard-security-');
const out = join(root, 'run');
const secret = join(root, 'secret.txt');

beforeAll(async () => {
  await compare({ env: 'bridge-crossing-v0', learners: ['planner'], seeds: 1, episodes: 20, evalPoints: 2, radii: [0], randomKernels: 0 }, { out, workers: 1, render: false });
  writeFileSync(secret, 'outside the run folder\n');
  writeFileSync(join(root, 'package.json'), '{"outside": true}\n');
  symlinkSync(secret, join(out, 'escape.txt'));
  symlinkSync(root, join(out, 'up'));
  mkdirSync(join(out, 'sub'));
  symlinkSync(join(out, 'config.json'), join(out, 'sub', 'inside.json'));
});

describe('the dashboard server on 127.0.0.1', () => {
  let served: ServedRunFolder;
  beforeAll(async () => {
    served = await serveRunFolder(out);
  });
  afterAll(async () => {
    await served?.close();
  });

  it('serves the run folder\'s own files and its assets', async () => {
    const port = served.server.port;
    const config = await raw(port, '/run/config.json');
    expect(config.status).toBe(200);
    expect(JSON.parse(config.body).learners[0].name).toBe('planner');
    expect(config.headers['content-security-policy']).toBe('sandbox allow-scripts allow-popups');
    expect((await raw(port, '/run/policies/planner-seed0.policy.json')).status).toBe(200);
    // a symlink that stays inside the folder is its file
    expect((await raw(port, '/run/sub/inside.json')).body).toBe(config.body);
    const page = await raw(port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/assets/vega.min.js">');
    expect(page.body).not.toMatch(/https?:\/\//);
    const vega = await raw(port, '/assets/vega.min.js');
    expect(vega.status).toBe(200);
    expect(vega.body.length).toBeGreaterThan(100_000);
    expect((await raw(port, '/state')).status).toBe(200);
  });

  it('answers 404 to any path out of the run folder', async () => {
    const port = served.server.port;
    for (const path of [
      '/run/../package.json',
      '/run/../secret.txt',
      '/run/%2e%2e/secret.txt',
      '/run/%2E%2E/package.json',
      '/run/..%2fsecret.txt',
      '/run/%2e%2e%2fsecret.txt',
      '/run/sub/../../secret.txt',
      '/run/..\\secret.txt',
      '/run/%2e%2e%5csecret.txt',
      '/run/escape.txt',
      '/run/up/secret.txt',
      '/run/up/package.json',
      '/run/.lock',
      '/run/%00config.json',
      '/run/%zz',
      '/run/',
      '/run/sub',
      '/assets/../package.json',
      '/assets/%2e%2e/package.json',
      '/../package.json',
      '/etc/passwd',
    ]) {
      const a = await raw(port, path);
      expect(a.status, path).toBe(404);
      expect(a.body, path).not.toContain('outside');
    }
  });

  it('refuses a Host header that is not the loopback (DNS rebinding)', async () => {
    const a = await raw(served.server.port, '/state', { headers: { Host: `attacker.example:${served.server.port}` } });
    expect(a.status).toBe(403);
    expect((await raw(served.server.port, '/state', { headers: { Host: `localhost:${served.server.port}` } })).status).toBe(200);
  });

  it('writes nothing: only POST /stop, with the token', async () => {
    const port = served.server.port;
    expect((await raw(port, '/stop')).status).toBe(405);
    expect((await raw(port, '/run/config.json', { method: 'PUT' })).status).toBe(405);
    expect((await raw(port, '/run/config.json', { method: 'DELETE' })).status).toBe(405);
    expect((await raw(port, '/state', { method: 'POST' })).status).toBe(405);
    expect((await raw(port, '/stop', { method: 'POST' })).status).toBe(403);
    expect((await raw(port, '/stop', { method: 'POST', headers: { 'x-drmg-token': 'wrong' } })).status).toBe(403);
    // a finished run: nothing to stop
    const a = await raw(port, '/stop', { method: 'POST', headers: { 'x-drmg-token': served.server.token } });
    expect(a.status).toBe(409);
    expect(JSON.parse(a.body)).toEqual({ stopping: false, status: 'archived' });
  });
});

describe('the dashboard server on another host (0.0.0.0): the token', () => {
  let served: ServedRunFolder;
  beforeAll(async () => {
    served = await serveRunFolder(out, { host: '0.0.0.0' });
  });
  afterAll(async () => {
    await served?.close();
  });

  it('refuses every request without the token (403) and answers those with it', async () => {
    const { port, token } = served.server;
    expect(served.server.tokenRequired).toBe(true);
    expect(served.server.url).toBe(`http://127.0.0.1:${port}/?token=${token}`);
    for (const path of ['/', '/state', '/events', '/assets/vega.min.js', '/run/config.json', '/run/../secret.txt']) {
      expect((await raw(port, path)).status, path).toBe(403);
      expect((await raw(port, `${path}${path.includes('?') ? '&' : '?'}token=wrong`)).status, path).toBe(403);
    }
    expect((await raw(port, `/run/config.json?token=${token}`)).status).toBe(200);
    expect((await raw(port, '/state', { headers: { 'x-drmg-token': token } })).status).toBe(200);
    expect((await raw(port, `/run/../secret.txt?token=${token}`)).status).toBe(404);
    // Opening the page with the token sets a cookie: the page's own requests (scripts, events) carry it.
    const page = await raw(port, `/?token=${token}`);
    expect(page.status).toBe(200);
    const cookie = String(page.headers['set-cookie']).split(';')[0];
    expect(cookie).toBe(`drmg_token=${token}`);
    expect(String(page.headers['set-cookie'])).toContain('HttpOnly');
    expect((await raw(port, '/assets/dashboard.js', { headers: { Cookie: cookie } })).status).toBe(200);
    // ... but the cookie alone cannot stop a run (another site's form would send it): the header is needed.
    expect((await raw(port, '/stop', { method: 'POST', headers: { Cookie: cookie } })).status).toBe(403);
  });
});

describe('POST /stop with the token stops a running compare', () => {
  it('ends the run interrupted, as Ctrl-C does', async () => {
    const dir = join(tempDir('drmg-dashboard-stop-'), 'run');
    // Long enough that it is still running when the request arrives (it is stopped long before its end).
    const run = await serveCompare({ env: 'bridge-crossing-v0', learners: ['mornavi-tv'], seeds: 1, episodes: 200_000, evalPoints: 10, radii: [0], randomKernels: 0 }, { out: dir, workers: 1 });
    try {
      expect((await raw(run.server.port, '/stop', { method: 'POST', headers: { 'x-drmg-token': 'wrong' } })).status).toBe(403);
      const a = await raw(run.server.port, '/stop', { method: 'POST', headers: { 'x-drmg-token': run.server.token } });
      expect(a.status).toBe(202);
      const report = await run.report;
      expect(report.interrupted).toBe(true);
      expect(report.outcome.runs).toEqual([null]);
      expect(run.live.snapshot().status).toBe('interrupted');
    } finally {
      await run.report.catch(() => null);
      await run.close();
    }
  });
});

describe('the command line', () => {
  it('refuses --port and --host without --serve, and a dashboard of a folder without a run (exit 2)', async () => {
    let io = memoryIo();
    expect(await runCli(['compare', '--port', '8080'], io)).toBe(2);
    expect(io.stderr).toContain('drmg compare --port: applies to --serve only');
    io = memoryIo();
    expect(await runCli(['compare', '--serve', '--port', '70000'], io)).toBe(2);
    expect(io.stderr).toContain('drmg compare --port: expected an integer in [0, 65535]');
    io = memoryIo();
    expect(await runCli(['dashboard', root], io)).toBe(2);
    expect(io.stderr).toContain(`holds no compare run (no ${join(root, 'config.json')})`);
    io = memoryIo();
    expect(await runCli(['dashboard'], io)).toBe(2);
    expect(io.stderr).toContain('expected one run folder');
  });

  it('drmg compare --serve prints the address, keeps the page up after the run, and exits 0 on Ctrl-C', async () => {
    const dir = join(tempDir('drmg-dashboard-cli-'), 'run');
    const main = join(import.meta.dirname, '..', 'packages', 'cli', 'src', 'main.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'compare', '--learners', 'planner', '--seeds', '1', '--episodes', '20', '--eval-points', '2', '--radii', '0', '--random-kernels', '0', '--workers', '1', '--no-report', '--out', dir, '--serve'], {
      cwd: join(import.meta.dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Once the run has ended, the command says the page stays up.
    await new Promise<void>((done, fail) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('until Ctrl-C')) done();
      });
      child.on('exit', (code) => fail(new Error(`exited early (${code}): ${stderr}`)));
    });
    const url = /dashboard: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=[0-9a-f]+)/.exec(stderr);
    expect(url, stderr).not.toBeNull();
    const state = JSON.parse((await raw(Number(url![2]), '/state')).body);
    expect(state.status).toBe('finished');
    expect(state.cells.map((c: { learner: string; state: string }) => [c.learner, c.state])).toEqual([['planner', 'done']]);
    expect(state.files).toContain('cells.jsonl');
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stderr).toContain('dashboard: closed');
    expect(stdout).toContain(`results: ${dir}`);
  });
});
