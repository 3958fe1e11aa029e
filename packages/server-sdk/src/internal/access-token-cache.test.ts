import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../memory-token-store.js';
import type { TokenStore } from '../token-store.js';
import { AccessTokenCache } from './access-token-cache.js';
import type { FetchedToken, TokenFetcher } from './access-token-cache.js';

interface Harness {
  cache: AccessTokenCache;
  calls: { forceRefresh: boolean; rejected: string | undefined }[];
  clock: { now: number };
}

function harness(options: { store?: TokenStore; clock?: { now: number }; fetch?: TokenFetcher } = {}): Harness {
  const clock = options.clock ?? { now: 1_000_000 };
  const calls: Harness['calls'] = [];
  let n = 0;
  const fetchToken: TokenFetcher = async (request) => {
    calls.push(request);
    await new Promise((resolve) => setTimeout(resolve, 5));
    return options.fetch ? options.fetch(request) : { accessToken: `T${++n}`, expiresInSeconds: 7200 };
  };
  const cache = new AccessTokenCache({
    key: 'weapp:wx:token',
    store: options.store ?? new MemoryTokenStore({ now: () => clock.now }),
    fetchToken,
    operation: 'getAccessToken',
    now: () => clock.now,
    refreshAheadMs: 300_000,
    lockTtlMs: 30_000,
    pollMs: 1,
  });
  return { cache, calls, clock };
}

describe('AccessTokenCache', () => {
  it('fetches once for 100 concurrent callers in one process', async () => {
    const { cache, calls } = harness();
    const tokens = await Promise.all(Array.from({ length: 100 }, () => cache.get()));
    expect(new Set(tokens)).toEqual(new Set(['T1']));
    expect(calls).toHaveLength(1);
  });

  it('reuses the cached token until the refresh-ahead point, then refreshes before expiry', async () => {
    const { cache, calls, clock } = harness();
    expect(await cache.get()).toBe('T1');
    clock.now += (7200 - 301) * 1000;
    expect(await cache.get()).toBe('T1');
    clock.now += 2_000;
    expect(await cache.get()).toBe('T2');
    expect(calls).toHaveLength(2);
  });

  it('refreshes a short-lived token at half its lifetime, never after it expires', async () => {
    const { cache, calls, clock } = harness({ fetch: async () => ({ accessToken: `S${Math.random()}`, expiresInSeconds: 100 }) });
    const first = await cache.get();
    clock.now += 49_000;
    expect(await cache.get()).toBe(first);
    clock.now += 2_000;
    expect(await cache.get()).not.toBe(first);
    expect(calls).toHaveLength(2);
  });

  it('shares one refresh between two processes on one store: the second waits and reuses', async () => {
    const clock = { now: 1_000_000 };
    const store = new MemoryTokenStore({ now: () => clock.now });
    const a = harness({ store, clock });
    const b = harness({ store, clock });
    const tokens = await Promise.all([a.cache.get(), b.cache.get(), a.cache.get(), b.cache.get()]);
    expect(new Set(tokens).size).toBe(1);
    expect(a.calls.length + b.calls.length).toBe(1);
  });

  it('replaces a rejected token once for all concurrent callers', async () => {
    const { cache, calls } = harness();
    const rejected = await cache.get();
    const fresh = await Promise.all(Array.from({ length: 10 }, () => cache.replaceRejected(rejected)));
    expect(new Set(fresh)).toEqual(new Set(['T2']));
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({ forceRefresh: false, rejected: 'T1' });
  });

  it('does not discard a newer token when an older one is reported as rejected', async () => {
    const { cache, calls } = harness();
    const old = await cache.get();
    const newer = await cache.get(true);
    expect(newer).not.toBe(old);
    expect(await cache.replaceRejected(old)).toBe(newer);
    expect(calls).toHaveLength(2);
  });

  it('forces a new token on request even while the cached one is valid', async () => {
    const { cache, calls } = harness();
    await cache.get();
    expect(await cache.get(true)).toBe('T2');
    expect(calls[1]?.forceRefresh).toBe(true);
  });

  it('lets every waiter see the failure when the refresh fails, and recovers on the next call', async () => {
    let fail = true;
    const { cache } = harness({
      fetch: async () => {
        if (fail) throw new Error('upstream down');
        return { accessToken: 'OK', expiresInSeconds: 7200 } satisfies FetchedToken;
      },
    });
    const results = await Promise.allSettled([cache.get(), cache.get()]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await cache.get()).toBe('OK');
  });
});
