/**
 * The token store contract: where access tokens are cached, shared by every process that uses the same store, with
 * a lock so that only one of them refreshes at a time.
 * @see PROTOCOL.md §9
 */

/** An access token as cached: absolute instants in Unix milliseconds. */
export interface CachedToken {
  /** The access token. */
  accessToken: string;
  /** When the platform stops accepting it. */
  expiresAt: number;
  /** When to start refreshing it (before `expiresAt`; old and new tokens overlap for 5 minutes). */
  refreshAt: number;
}

/** A held refresh lock. */
export interface TokenLock {
  /** Releases the lock if this holder still owns it. */
  release(): Promise<void>;
}

/** Where access tokens are cached. Keys are opaque strings chosen by the client (appid and token mode). */
export interface TokenStore {
  /** The cached token, or undefined. */
  get(key: string): Promise<CachedToken | undefined>;
  /** Caches a token, replacing any other. */
  set(key: string, token: CachedToken): Promise<void>;
  /** Removes the cached token only if it is still `accessToken`; true when it did. */
  invalidate(key: string, accessToken: string): Promise<boolean>;
  /** Takes the refresh lock for `key` for at most `ttlMs`, or undefined when someone else holds it. */
  tryLock(key: string, ttlMs: number): Promise<TokenLock | undefined>;
}
