import { describe, expect, it } from 'vitest';
import { MemoryTokenStore } from './memory-token-store.js';

describe('MemoryTokenStore', () => {
  it('returns what was set until it expires', async () => {
    let now = 1_000;
    const store = new MemoryTokenStore({ now: () => now });
    await store.set('k', { accessToken: 'A', expiresAt: 2_000, refreshAt: 1_500 });
    expect(await store.get('k')).toEqual({ accessToken: 'A', expiresAt: 2_000, refreshAt: 1_500 });
    now = 2_000;
    expect(await store.get('k')).toBeUndefined();
  });

  it('invalidates a token only while it is still the cached one', async () => {
    const store = new MemoryTokenStore({ now: () => 0 });
    await store.set('k', { accessToken: 'B', expiresAt: 10, refreshAt: 5 });
    expect(await store.invalidate('k', 'A')).toBe(false);
    expect((await store.get('k'))?.accessToken).toBe('B');
    expect(await store.invalidate('k', 'B')).toBe(true);
    expect(await store.get('k')).toBeUndefined();
  });

  it('lets one holder take the lock until it releases it or the lock expires', async () => {
    let now = 0;
    const store = new MemoryTokenStore({ now: () => now });
    const first = await store.tryLock('k', 100);
    expect(first).toBeDefined();
    expect(await store.tryLock('k', 100)).toBeUndefined();
    await first!.release();
    const second = await store.tryLock('k', 100);
    expect(second).toBeDefined();
    now = 100;
    const third = await store.tryLock('k', 100);
    expect(third).toBeDefined();
    await second!.release(); // a stale holder cannot release the new holder's lock
    expect(await store.tryLock('k', 100)).toBeUndefined();
  });
});
