/**
 * A per-instance cache of the durable store's single-record reads (app, user, app user, grants, history, model,
 * control token). On the scale-out backend each of them is a PostgreSQL round trip; on the embedded store each is an
 * SQLite statement that costs more than the rest of a small route (ownedDurableVersion). On scale-out it is validated
 * by the durable version the instance holds with the clock (kept in step over pub/sub, or read with the clock at the
 * start of a request: redis/ephemeral-store.ts, redis/instance-sync.ts): every
 * change through this store moves that version once PostgreSQL has committed, so a request that starts after a change
 * returned, on any instance, reads past the cache. A cached record also ages out after MAX_AGE_MS, which bounds what
 * an instance killed between its commit and the version move can leave stale elsewhere (docs/shared-state.md).
 */
import type { DurableStore } from './durable-store.js';

/** Where the cache learns which durable version holds, and tells that the durable records changed. */
export interface DurableVersion {
  /** The version read with the clock of the current request, or undefined when none vouches now. */
  current(): string | undefined;
  /** Forgets the version read last (a change is under way here). */
  forget(): void;
  /** Moves the shared version after a change. */
  bump(): Promise<void>;
}

/**
 * The version of a durable store that one process owns (the embedded store: the data folder's lock file), kept in
 * that process: it moves on every change through the cache, when `outside()` moves (the file changed other than through
 * this process's store: another program, or the bulk connection), and once a whole-state import run through `during`
 * (which writes the tables on its own connection, with the cache off meanwhile) ends.
 */
export function ownedDurableVersion(outside: () => string): DurableVersion & { during<T>(work: () => Promise<T>): Promise<T> } {
  let n = 0;
  let text = '0';
  let seen = outside();
  let busy = 0;
  const bump = (): void => {
    n++;
    text = String(n);
  };
  return {
    current() {
      if (busy > 0) return undefined;
      const now = outside();
      if (now !== seen) {
        seen = now;
        bump();
      }
      return text;
    },
    forget: () => undefined,
    bump: async () => bump(),
    async during(work) {
      busy++;
      try {
        return await work();
      } finally {
        busy--;
        bump();
      }
    },
  };
}

/** Longest time a cached record is used, whatever the version says. */
export const MAX_AGE_MS = 1000;
const LIMIT = 20_000;

type Reads = 'getApp' | 'getUser' | 'getUserByDeviceToken' | 'getAppUser' | 'getAppUserByOpenid' | 'getGrants' | 'getSteps' | 'getStepModel' | 'getControlToken';
type Passes = 'listApps' | 'listUsers' | 'countUsers' | 'listAppUsers';

/** A record as the cache hands it out: frozen, one level down too (a history's days), so no caller can change it for the next. */
function frozen<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  for (const v of Object.values(value)) if (v !== null && typeof v === 'object') Object.freeze(v);
  return Object.freeze(value);
}

/** Wraps `store` with the cache; `version` is the durable version kept with the shared clock. */
export function cacheDurableReads(store: DurableStore, version: DurableVersion): DurableStore {
  const cache = new Map<string, { version: string; at: number; value: unknown }>();
  let writing = 0;
  let epoch = 0;

  const read = <K extends Reads>(name: K): DurableStore[K] => {
    const load = store[name].bind(store) as (...args: string[]) => Promise<unknown>;
    return (async (...args: string[]) => {
      const v = writing === 0 ? version.current() : undefined;
      if (v === undefined) return load(...args);
      const key = `${name}\u0000${args.join('\u0000')}`;
      const now = Date.now();
      const hit = cache.get(key);
      if (hit && hit.version === v && now - hit.at < MAX_AGE_MS) return hit.value;
      const seen = epoch;
      const value = frozen(await load(...args));
      // Kept only when nothing changed meanwhile, here (epoch) or elsewhere (the version).
      if (seen === epoch && writing === 0 && version.current() === v) {
        if (cache.size >= LIMIT) cache.clear();
        cache.set(key, { version: v, at: now, value });
      }
      return value;
    }) as DurableStore[K];
  };

  const write = <A extends unknown[], R>(work: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    writing++;
    epoch++;
    version.forget();
    cache.clear();
    try {
      return await work.apply(store, args);
    } finally {
      epoch++;
      writing--;
      cache.clear();
      // The change is in PostgreSQL whatever happens here; an outage of Redis is reported by its guard, and the
      // records other instances hold age out.
      await version.bump().catch(() => undefined);
    }
  };

  const pass = <K extends Passes>(name: K): DurableStore[K] => store[name].bind(store) as DurableStore[K];

  return {
    getApp: read('getApp'),
    getUser: read('getUser'),
    getUserByDeviceToken: read('getUserByDeviceToken'),
    getAppUser: read('getAppUser'),
    getAppUserByOpenid: read('getAppUserByOpenid'),
    getGrants: read('getGrants'),
    getSteps: read('getSteps'),
    getStepModel: read('getStepModel'),
    getControlToken: read('getControlToken'),
    listApps: pass('listApps'),
    listUsers: pass('listUsers'),
    countUsers: pass('countUsers'),
    listAppUsers: pass('listAppUsers'),
    createApp: write(store.createApp),
    updateApp: write(store.updateApp),
    createUser: write(store.createUser),
    updateUser: write(store.updateUser),
    deleteUser: write(store.deleteUser),
    createUsersWithSteps: write(store.createUsersWithSteps),
    deleteUsers: write(store.deleteUsers),
    putSteps: write(store.putSteps),
    saveGeneratedHistory: write(store.saveGeneratedHistory),
    recordLogin: write(store.recordLogin),
    rotateSessionKey: write(store.rotateSessionKey),
    expireSessionKey: write(store.expireSessionKey),
    setGrants: write(store.setGrants),
    claimControlToken: write(store.claimControlToken),
    reset: write(store.reset),
  };
}
