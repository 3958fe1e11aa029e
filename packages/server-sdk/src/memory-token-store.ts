/**
 * The default token store: a Map inside one process. Use {@link RedisTokenStore} when several processes share an
 * app's tokens.
 */
import type { CachedToken, TokenLock, TokenStore } from './token-store.js';

/** Options of {@link MemoryTokenStore}. */
export interface MemoryTokenStoreOptions {
  /** Clock for lock expiry, Unix milliseconds (default `Date.now`). */
  now?: () => number;
}

/** An in-process token store. */
export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, CachedToken>();
  readonly #locks = new Map<string, { owner: symbol; until: number }>();
  readonly #now: () => number;

  constructor(options: MemoryTokenStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** The cached token, or undefined (expired tokens are dropped). */
  async get(key: string): Promise<CachedToken | undefined> {
    const token = this.#tokens.get(key);
    if (token !== undefined && token.expiresAt <= this.#now()) {
      this.#tokens.delete(key);
      return undefined;
    }
    return token === undefined ? undefined : { ...token };
  }

  /** Caches a token. */
  async set(key: string, token: CachedToken): Promise<void> {
    this.#tokens.set(key, { ...token });
  }

  /** Removes the token only if it is still `accessToken`. */
  async invalidate(key: string, accessToken: string): Promise<boolean> {
    if (this.#tokens.get(key)?.accessToken !== accessToken) return false;
    this.#tokens.delete(key);
    return true;
  }

  /** Takes the refresh lock, or undefined when it is held and not yet expired. */
  async tryLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    const now = this.#now();
    const held = this.#locks.get(key);
    if (held !== undefined && held.until > now) return undefined;
    const owner = Symbol(key);
    this.#locks.set(key, { owner, until: now + ttlMs });
    return {
      release: async () => {
        if (this.#locks.get(key)?.owner === owner) this.#locks.delete(key);
      },
    };
  }
}
