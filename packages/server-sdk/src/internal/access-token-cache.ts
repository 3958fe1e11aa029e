/**
 * The access-token cache of one client: single-flight inside the process, a store lock across processes (one
 * refreshes, the others wait and reuse), refresh ahead of expiry, and compare-and-invalidate when the platform
 * rejects a token.
 * @see PROTOCOL.md §9.1, §9.2
 */
import { TimeoutError } from '../errors.js';
import type { Operation } from '../errors.js';
import type { CachedToken, TokenStore } from '../token-store.js';
import { sleep } from './sleep.js';

/** What the platform's token endpoint returned. */
export interface FetchedToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** How the cache asks the platform for a token. */
export type TokenFetcher = (request: { forceRefresh: boolean; rejected: string | undefined }) => Promise<FetchedToken>;

/** Settings of {@link AccessTokenCache}. */
export interface AccessTokenCacheSettings {
  key: string;
  store: TokenStore;
  fetchToken: TokenFetcher;
  operation: Operation;
  now: () => number;
  /** Start refreshing this long before expiry (never more than half the lifetime). */
  refreshAheadMs: number;
  /** Lifetime of the refresh lock; longer than one complete token request. */
  lockTtlMs: number;
  /** How often a waiting process looks for the token another one is fetching. */
  pollMs: number;
}

/** One client's view of its cached access token. */
export class AccessTokenCache {
  readonly #s: AccessTokenCacheSettings;
  #inflight: Promise<string> | undefined;

  constructor(settings: AccessTokenCacheSettings) {
    this.#s = settings;
  }

  /** A valid token: the cached one, or a fresh one fetched once for every concurrent caller. */
  get(forceRefresh = false): Promise<string> {
    if (!forceRefresh && this.#inflight) return this.#inflight;
    return this.#track(this.#start(forceRefresh, undefined));
  }

  /** After the platform rejected `rejected`: drop it if it is still cached, then get another (once for all). */
  async replaceRejected(rejected: string): Promise<string> {
    await this.#s.store.invalidate(this.#s.key, rejected);
    const pending = this.#inflight;
    if (pending) {
      const token = await pending.catch(() => undefined);
      if (token !== undefined && token !== rejected) return token;
    }
    if (this.#inflight && this.#inflight !== pending) return this.#inflight;
    return this.#track(this.#obtain(rejected, false));
  }

  #track(promise: Promise<string>): Promise<string> {
    const tracked = promise.finally(() => {
      if (this.#inflight === tracked) this.#inflight = undefined;
    });
    this.#inflight = tracked;
    return tracked;
  }

  async #start(forceRefresh: boolean, avoid: string | undefined): Promise<string> {
    if (!forceRefresh) return this.#obtain(avoid, false);
    const seen = await this.#s.store.get(this.#s.key);
    return this.#obtain(seen?.accessToken, true);
  }

  #isAcceptable(token: CachedToken | undefined, avoid: string | undefined): token is CachedToken {
    return token !== undefined && token.accessToken !== avoid && token.expiresAt > this.#s.now();
  }

  async #obtain(avoid: string | undefined, forceRefresh: boolean): Promise<string> {
    const { store, key } = this.#s;
    const deadline = this.#s.now() + 2 * this.#s.lockTtlMs;
    for (;;) {
      const cached = await store.get(key);
      const acceptable = this.#isAcceptable(cached, avoid) ? cached : undefined;
      if (acceptable && this.#s.now() < acceptable.refreshAt) return acceptable.accessToken;
      const lock = await store.tryLock(key, this.#s.lockTtlMs);
      if (lock) {
        try {
          const current = await store.get(key);
          if (this.#isAcceptable(current, avoid) && this.#s.now() < current.refreshAt) return current.accessToken;
          return await this.#fetchAndStore(forceRefresh, avoid);
        } finally {
          await lock.release();
        }
      }
      // Another process is refreshing: a token that is still valid will do meanwhile; otherwise wait for theirs.
      if (acceptable) return acceptable.accessToken;
      if (this.#s.now() >= deadline) {
        throw new TimeoutError(this.#s.operation, 'gave up waiting for another process to refresh the access token', {
          mayHaveReachedServer: false,
        });
      }
      await sleep(this.#s.pollMs);
    }
  }

  async #fetchAndStore(forceRefresh: boolean, avoid: string | undefined): Promise<string> {
    const fetched = await this.#s.fetchToken({ forceRefresh, rejected: avoid });
    const now = this.#s.now();
    const lifetimeMs = fetched.expiresInSeconds * 1000;
    const token: CachedToken = {
      accessToken: fetched.accessToken,
      expiresAt: now + lifetimeMs,
      refreshAt: now + Math.max(lifetimeMs - this.#s.refreshAheadMs, lifetimeMs / 2),
    };
    await this.#s.store.set(this.#s.key, token);
    return token.accessToken;
  }
}
