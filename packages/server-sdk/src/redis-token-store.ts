/**
 * A token store in Redis (ioredis), for several processes or machines sharing one app's access tokens. The refresh
 * lock is `SET key owner NX PX ttl`, released and invalidated by compare-and-delete scripts, so a process never
 * removes a lock or a token that is no longer its own.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CachedToken, TokenLock, TokenStore } from './token-store.js';

/** Options of {@link RedisTokenStore}. */
export interface RedisTokenStoreOptions {
  /** A connected ioredis client; the store never closes it. */
  redis: Redis;
  /** Prefix of every key (default `openrun:token`). */
  keyPrefix?: string;
  /** Clock used to compute Redis expiries, Unix milliseconds (default `Date.now`). */
  now?: () => number;
}

const DELETE_IF_EQUAL = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const INVALIDATE_IF_TOKEN = `local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v)['accessToken'] == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

function isCachedToken(value: unknown): value is CachedToken {
  const t = value as Partial<CachedToken> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    typeof t.accessToken === 'string' &&
    typeof t.expiresAt === 'number' &&
    typeof t.refreshAt === 'number'
  );
}

/** A token store shared through Redis. */
export class RedisTokenStore implements TokenStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #now: () => number;

  constructor(options: RedisTokenStoreOptions) {
    this.#redis = options.redis;
    this.#prefix = options.keyPrefix ?? 'openrun:token';
    this.#now = options.now ?? Date.now;
  }

  #tokenKey(key: string): string {
    return `${this.#prefix}:${key}`;
  }

  #lockKey(key: string): string {
    return `${this.#prefix}:${key}:lock`;
  }

  /** The cached token, or undefined. */
  async get(key: string): Promise<CachedToken | undefined> {
    const text = await this.#redis.get(this.#tokenKey(key));
    if (text === null) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    return isCachedToken(value) && value.expiresAt > this.#now() ? value : undefined;
  }

  /** Caches a token; Redis drops it when it expires. */
  async set(key: string, token: CachedToken): Promise<void> {
    const ttl = Math.max(1, Math.ceil(token.expiresAt - this.#now()));
    const value: CachedToken = { accessToken: token.accessToken, expiresAt: token.expiresAt, refreshAt: token.refreshAt };
    await this.#redis.set(this.#tokenKey(key), JSON.stringify(value), 'PX', ttl);
  }

  /** Removes the token only if it is still `accessToken` (atomic compare-and-delete). */
  async invalidate(key: string, accessToken: string): Promise<boolean> {
    const removed = await this.#redis.eval(INVALIDATE_IF_TOKEN, 1, this.#tokenKey(key), accessToken);
    return removed === 1;
  }

  /** Takes the refresh lock with `SET NX PX`, or undefined when another holder has it. */
  async tryLock(key: string, ttlMs: number): Promise<TokenLock | undefined> {
    const owner = randomUUID();
    const lockKey = this.#lockKey(key);
    const ok = await this.#redis.set(lockKey, owner, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX');
    if (ok !== 'OK') return undefined;
    return {
      release: async () => {
        await this.#redis.eval(DELETE_IF_EQUAL, 1, lockKey, owner);
      },
    };
  }
}
