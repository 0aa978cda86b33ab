/**
 * `startDashboardServer`: the HTTP server of the live dashboard (`drmg compare --serve`, `drmg dashboard`).
 *
 * Routes (GET unless said):
 *   /                     the page (dashboard-page.ts)
 *   /assets/<name>        its script and style, Vega's browser build (from the vega package, no CDN) and its charts
 *   /events               server-sent events: the state first, then the live run's throttled events, one JSON each
 *   /state                the state as JSON
 *   /run/<path>           a file of the run folder (the raw results, plots, policies, report)
 *   POST /stop            stops the run, as Ctrl-C does; needs the token
 *
 * Security: it binds 127.0.0.1 unless a host is given; then every request needs the token (query `token=`,
 * header `x-drmg-token`, or the cookie set when the page was opened with it), else 403. On 127.0.0.1 the Host
 * header must name the loopback (no DNS rebinding). Only its own assets and the run's own files are served:
 * a path with a `..` or dot segment (also percent-encoded), a hidden file, or a file whose real path (symlinks
 * resolved) is outside the run folder answers 404. Nothing writes but POST /stop, which always needs the token
 * in a header or the query (a cookie alone is not enough: another site cannot stop a run). Files of the run are
 * served sandboxed (their scripts run in an opaque origin).
 */
import { timingSafeEqual, randomBytes } from 'node:crypto';
import { createReadStream, realpathSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import type { Subscription } from 'rxjs';
import { DrmgError } from '@drmg/core';
import { dashboardAsset, loadDashboardAssets, type DashboardAsset } from './dashboard-assets.ts';
import { dashboardPageHtml } from './dashboard-page.ts';
import type { LiveRun } from './live-run.ts';

/** Options of `startDashboardServer`. */
export interface DashboardServerOptions {
  /** The run whose state and events are served. */
  readonly live: LiveRun;
  /** The run folder whose files are served under /run/ (null: none yet). */
  readonly dir: () => string | null;
  /** The address to bind (default 127.0.0.1); any other requires the token on every request. */
  readonly host?: string;
  /** The port (default 0: a free one). */
  readonly port?: number;
  /** The token (default: 24 random bytes, hex). */
  readonly token?: string;
  /** Called by POST /stop with the token, while the run can stop. */
  readonly onStop?: () => void;
}

/** A running dashboard server. */
export interface DashboardServer {
  /** The page's address with its token: the one to open (and to print). */
  readonly url: string;
  /** The address without the token. */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** True when every request needs the token (a host other than 127.0.0.1). */
  readonly tokenRequired: boolean;
  /** Ends every connection (the pages' event streams too) and stops listening. */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.csv': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function cookieToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === 'drmg_token') return v.join('=');
  }
  return null;
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store', ...headers });
  res.end(body);
}

/**
 * The file of the run folder `dir` that `rel` (the URL path after /run/, still percent-encoded) names, or null
 * (see the file header: dot segments, hidden files, paths outside the folder after symlinks, non-files).
 */
export function runFolderFile(dir: string, rel: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rel);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded === '') return null;
  const parts = decoded.split(/[\\/]/);
  if (parts.some((p) => p === '' || p.startsWith('.'))) return null;
  let root: string;
  let real: string;
  try {
    root = realpathSync(dir);
    real = realpathSync(resolve(root, ...parts));
  } catch {
    return null;
  }
  if (!real.startsWith(root + sep)) return null;
  try {
    return statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

/**
 * Starts the dashboard server (see the file header) and resolves once it listens.
 * @throws DrmgError ('input') when the port is taken or the address cannot be bound, naming them.
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  await loadDashboardAssets();
  const host = options.host ?? '127.0.0.1';
  const tokenRequired = !LOOPBACK.has(host);
  const token = options.token ?? randomBytes(24).toString('hex');
  const live = options.live;
  const streams = new Set<{ res: ServerResponse; sub: Subscription; ping: NodeJS.Timeout }>();
  let port = options.port ?? 0;

  const queryToken = (query: URLSearchParams, req: IncomingMessage): string | null => query.get('token') ?? (req.headers['x-drmg-token'] as string | undefined) ?? null;
  const allowed = (req: IncomingMessage, query: URLSearchParams): boolean => {
    if (!tokenRequired) {
      // On the loopback, only the loopback's names: a page of another site cannot read this one by rebinding its DNS.
      const name = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      return LOOPBACK.has(name);
    }
    const given = queryToken(query, req) ?? cookieToken(req);
    return given !== null && sameText(given, token);
  };

  const events = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.write('retry: 2000\n\n');
    res.write(`data: ${JSON.stringify({ type: 'state', state: live.snapshot() })}\n\n`);
    const entry = {
      res,
      sub: live.events.subscribe({
        next: (e) => res.write(`data: ${JSON.stringify(e)}\n\n`),
        complete: () => res.end(),
      }),
      // A comment now and then keeps proxies from closing an idle stream.
      ping: setInterval(() => res.write(': ping\n\n'), 15_000).unref(),
    };
    streams.add(entry);
    const done = (): void => {
      entry.sub.unsubscribe();
      clearInterval(entry.ping);
      streams.delete(entry);
    };
    req.on('close', done);
  };

  const serveAsset = (res: ServerResponse, asset: DashboardAsset | null): void => {
    if (asset === null) return send(res, 404, 'not found\n');
    res.writeHead(200, { 'Content-Type': asset.type, 'Content-Length': asset.body.length, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    res.end(asset.body);
  };

  const serveRunFile = (res: ServerResponse, rel: string): void => {
    const dir = options.dir();
    const file = dir === null ? null : runFolderFile(dir, rel);
    if (file === null) return send(res, 404, 'not found\n');
    const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      // The run's files are documents of their own: their scripts (the report's) run in an opaque origin.
      'Content-Security-Policy': 'sandbox allow-scripts allow-popups',
    });
    createReadStream(file).pipe(res);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
    if (!allowed(req, query)) return send(res, 403, 'forbidden: open the address drmg printed, with its token\n');
    if (req.method === 'POST' && path === '/stop') {
      const given = queryToken(query, req);
      if (given === null || !sameText(given, token)) return send(res, 403, 'forbidden: stopping the run needs the token (header x-drmg-token)\n');
      req.resume();
      const state = live.snapshot();
      if (!state.canStop) return send(res, 409, JSON.stringify({ stopping: false, status: state.status }) + '\n', 'application/json');
      live.setStatus('stopping', 'stopping: the runs that finished are kept and a partial report is written');
      options.onStop?.();
      return send(res, 202, JSON.stringify({ stopping: true }) + '\n', 'application/json');
    }
    if (path === '/stop') return send(res, 405, 'method not allowed: POST /stop with the token stops the run\n', undefined, { Allow: 'POST' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed\n', undefined, { Allow: 'GET, HEAD' });
    if (path === '/' || path === '/index.html') {
      const headers: Record<string, string> = {
        'Content-Security-Policy': "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
      };
      const given = query.get('token');
      if (tokenRequired && given !== null) headers['Set-Cookie'] = `drmg_token=${given}; HttpOnly; SameSite=Strict; Path=/`;
      return send(res, 200, dashboardPageHtml(), 'text/html; charset=utf-8', headers);
    }
    if (path === '/favicon.ico') return send(res, 204, '');
    if (path === '/events') return events(req, res);
    if (path === '/state') return send(res, 200, JSON.stringify(live.snapshot()), 'application/json; charset=utf-8');
    if (path.startsWith('/assets/')) return serveAsset(res, dashboardAsset(path.slice('/assets/'.length)));
    if (path.startsWith('/run/')) return serveRunFile(res, path.slice('/run/'.length));
    return send(res, 404, 'not found\n');
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, `internal error: ${e instanceof Error ? e.message : String(e)}\n`);
      else res.end();
    }
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        e.code === 'EADDRINUSE'
          ? new DrmgError('input', `--port ${port}`, `the port is taken on ${host}; choose another (--port 0 picks a free one)`)
          : new DrmgError('input', `--host ${host}`, `cannot listen there (${e.code ?? e.message}); expected an address of this machine, e.g. 127.0.0.1 or 0.0.0.0`),
      ),
    );
    server.listen(port, host, () => done());
  });
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  const origin = `http://${shown}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    host,
    port,
    token,
    tokenRequired,
    async close() {
      for (const s of streams) {
        s.sub.unsubscribe();
        clearInterval(s.ping);
        s.res.end();
      }
      streams.clear();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}
