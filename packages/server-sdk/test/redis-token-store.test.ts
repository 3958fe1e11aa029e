import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore } from '../src/index.js';
import { REDIS_URL, uniquePrefix } from './helpers/redis.js';

describe.skipIf(REDIS_URL === undefined)('RedisTokenStore on a real Redis', () => {
  let redis: Redis;
  const keyPrefix = uniquePrefix();

  beforeAll(() => {
    redis = new Redis(REDIS_URL!, { lazyConnect: false, maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  it('returns what was set and lets Redis expire it at expiresAt', async () => {
    const store = new RedisTokenStore({ redis, keyPrefix });
    const expiresAt = Date.now() + 60_000;
    await store.set('a', { accessToken: 'A', expiresAt, refreshAt: expiresAt - 1_000 });
    expect(await store.get('a')).toEqual({ accessToken: 'A', expiresAt, refreshAt: expiresAt - 1_000 });
    const ttl = await redis.pttl(`${keyPrefix}:a`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('treats a token past its expiresAt as absent even before Redis drops it', async () => {
    let now = 1_000;
    const store = new RedisTokenStore({ redis, keyPrefix, now: () => now });
    await store.set('b', { accessToken: 'B', expiresAt: 100_000, refreshAt: 50_000 });
    now = 100_000;
    expect(await store.get('b')).toBeUndefined();
  });

  it('invalidates only while the failing token is still the cached one', async () => {
    const store = new RedisTokenStore({ redis, keyPrefix });
    const expiresAt = Date.now() + 60_000;
    await store.set('c', { accessToken: 'NEW', expiresAt, refreshAt: expiresAt });
    expect(await store.invalidate('c', 'OLD')).toBe(false);
    expect((await store.get('c'))?.accessToken).toBe('NEW');
    expect(await store.invalidate('c', 'NEW')).toBe(true);
    expect(await store.get('c')).toBeUndefined();
  });

  it('gives the lock to one of many concurrent takers', async () => {
    const stores = Array.from({ length: 20 }, () => new RedisTokenStore({ redis, keyPrefix }));
    const locks = await Promise.all(stores.map((s) => s.tryLock('d', 10_000)));
    expect(locks.filter((l) => l !== undefined)).toHaveLength(1);
    await locks.find((l) => l !== undefined)!.release();
    expect(await stores[0]!.tryLock('d', 10_000)).toBeDefined();
  });

  it('never releases a lock that expired and was taken by someone else', async () => {
    const store = new RedisTokenStore({ redis, keyPrefix });
    const first = await store.tryLock('e', 50);
    expect(first).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 80));
    const second = await store.tryLock('e', 10_000);
    expect(second).toBeDefined();
    await first!.release();
    expect(await store.tryLock('e', 10_000)).toBeUndefined();
  });
});
