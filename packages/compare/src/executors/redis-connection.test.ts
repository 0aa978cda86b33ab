/** Redis URLs: redis:// and rediss:// (TLS), with a password that no message ever shows. */
import { describe, expect, it } from 'vitest';
import { parseRedisUrl } from './redis-connection.ts';

describe('parseRedisUrl', () => {
  it('reads redis:// and rediss:// URLs, and hides the password', () => {
    expect(parseRedisUrl('redis://localhost:6379', '--redis')).toEqual({ url: 'redis://localhost:6379', redacted: 'redis://localhost:6379', tls: false });
    const r = parseRedisUrl('rediss://user:s3cret@redis.example.org:6380/2', '--redis');
    expect(r.tls).toBe(true);
    expect(r.redacted).toBe('rediss://user:***@redis.example.org:6380/2');
    expect(r.url).toContain('s3cret');
  });

  it('refuses other schemes, a missing host and a path that is not a database number, without showing the password', () => {
    expect(() => parseRedisUrl('http://localhost', '--redis')).toThrow('--redis: expected a redis:// or rediss:// (TLS) URL');
    expect(() => parseRedisUrl('redis://:pw@localhost/queue', '--redis')).toThrow('expected a database number');
    let message = '';
    try {
      parseRedisUrl('localhost:pw@', '--redis');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('--redis: expected');
    expect(message).not.toContain(':pw@');
  });
});
