/**
 * Outages of a networked store (PostgreSQL, Redis): the error a request fails fast with, and a guard that turns a
 * driver's connection failures into it and logs each outage once — when it starts, and when the store is back.
 */

/** The store could not be reached; nothing was changed. Replies: -1 (developer API), 503 OR_ERR_STORE_UNAVAILABLE. */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly store: string,
    override readonly cause: unknown,
  ) {
    super(`[openrun] the ${store} store is unavailable: ${describeCause(cause)}`);
  }
}

/** A short, password-free account of a driver error. */
export function describeCause(cause: unknown): string {
  if (cause instanceof AggregateError && cause.errors.length > 0) return describeCause(cause.errors[0]);
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' && !cause.message.includes(code) ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}

/** Hears the start and the end of an outage. */
export interface OutageListener {
  down(store: string, cause: unknown): void;
  up(store: string): void;
}

/** Wraps objects' methods for one store so that its outage is logged once, however many objects and calls see it. */
export type OutageGuard = <T extends object>(target: T) => T;

/** Creates the guard of `store`: errors `isOutage` recognises become StoreUnavailableError, logged once per outage. */
export function createOutageGuard(store: string, isOutage: (error: unknown) => boolean, listener: OutageListener): OutageGuard {
  let down = false;
  return <T extends object>(target: T): T => {
    const guarded = {} as Record<string, unknown>;
    for (const key of Object.keys(target) as (keyof T & string)[]) {
      const method = target[key];
      if (typeof method !== 'function') {
        guarded[key] = method;
        continue;
      }
      guarded[key] = async (...args: unknown[]) => {
        try {
          const result = await (method as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (down) {
            down = false;
            listener.up(store);
          }
          return result;
        } catch (error) {
          if (!isOutage(error)) throw error;
          if (!down) {
            down = true;
            listener.down(store, error);
          }
          throw new StoreUnavailableError(store, error);
        }
      };
    }
    return guarded as T;
  };
}

/** Node's network error codes that mean "the server is not there (now)". */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** True for a connection-level failure (not a constraint or a syntax error). */
export function isNetworkError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isNetworkError);
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NETWORK_CODES.has(code);
}
