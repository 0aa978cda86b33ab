/**
 * Redis connections of the bullmq executor and of `drmg worker`, from a URL: `redis://[[user]:password@]host[:port][/db]`,
 * or `rediss://...` for TLS (ioredis reads the scheme; a private certificate authority goes in NODE_EXTRA_CA_CERTS).
 * The password never appears in a message: every message shows the URL with it replaced by `***`.
 *
 * A connection is checked once when it is made (`checkRedis`: connect and PING within a few seconds, else a located
 * input error: wrong host, refused, wrong password); after that, ioredis reconnects on its own for as long as it
 * takes (`maxRetriesPerRequest: null`, as BullMQ requires), so that a Redis restart only pauses a run.
 */
import { inputError } from '@drmg/core';
import type { Redis, RedisOptions } from 'ioredis';

/** A checked Redis URL: the text to connect with, and the same with the password hidden. */
export interface RedisUrl {
  readonly url: string;
  readonly redacted: string;
  readonly tls: boolean;
}

/**
 * Checks a Redis URL (see the file header).
 * @throws DrmgError ('input') at `where` (e.g. `drmg worker --redis`) when it is not a redis:// or rediss:// URL with a host.
 */
export function parseRedisUrl(text: string, where: string): RedisUrl {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return inputError(where, `expected redis://[user:password@]host[:port][/db] or rediss://... (TLS), got ${JSON.stringify(text.replace(/:[^:@/]*@/, ':***@'))}`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') inputError(where, `expected a redis:// or rediss:// (TLS) URL, got the scheme ${JSON.stringify(u.protocol)}`);
  if (u.hostname === '') inputError(where, 'expected a host, e.g. redis://localhost:6379');
  if (u.pathname !== '' && u.pathname !== '/' && !/^\/\d+$/.test(u.pathname)) inputError(where, `expected a database number after the host (/0, /1, ...), got ${JSON.stringify(u.pathname)}`);
  const hidden = new URL(u.href);
  if (hidden.password !== '') hidden.password = '***';
  return { url: u.href, redacted: hidden.href, tls: u.protocol === 'rediss:' };
}

/** Options of every long-lived connection: reconnect forever, never fail a queued command (BullMQ's requirement). */
export function redisOptions(name: string): RedisOptions {
  return { maxRetriesPerRequest: null, enableReadyCheck: true, connectionName: name };
}

/** A new ioredis client for `url` (loaded on first use: a local run never loads ioredis). */
export async function createRedis(url: RedisUrl, name: string, options: RedisOptions = {}): Promise<Redis> {
  const mod = await import('ioredis');
  const RedisClass = (mod as unknown as { Redis?: typeof Redis }).Redis ?? (mod.default as unknown as typeof Redis);
  return new RedisClass(url.url, { ...redisOptions(name), ...options });
}

/**
 * Connects once to `url` and sends PING, within `timeoutMs`.
 * @throws DrmgError ('input') at `where` with the redacted URL and the cause (refused, unknown host, wrong password, timeout).
 */
export async function checkRedis(url: RedisUrl, where: string, timeoutMs = 5000): Promise<void> {
  const client = await createRedis(url, 'drmg-check', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, enableOfflineQueue: false });
  let lastError: Error | null = null;
  client.on('error', (e: Error) => {
    lastError = e;
  });
  try {
    await Promise.race([
      (async () => {
        await client.connect();
        await client.ping();
      })(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  } catch (e) {
    const cause = (lastError as Error | null)?.message ?? (e as Error).message;
    inputError(where, `cannot use Redis at ${url.redacted}: ${cause}`);
  } finally {
    client.disconnect();
  }
}
