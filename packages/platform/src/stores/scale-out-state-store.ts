/**
 * Whole-state export and import on PostgreSQL + Redis. A snapshot is a REPEATABLE READ, read-only transaction on one
 * PostgreSQL client (the durable records, read page by page) and the Redis records read at one instant when it opens.
 * An import streams the durable records into one PostgreSQL transaction (the old ones truncated first) and gathers
 * the Redis part; before committing, that transaction records the Redis part as a numbered pending import, so the
 * backend can apply it to Redis afterwards and any instance finishes the job after a crash (scale-out-backend.ts).
 * Duplicate keys and references to nothing are found before anything is written and reported with the record's path.
 */
import type pg from 'pg';
import type { Page, PageRequest } from './page.js';
import { inTransaction } from './postgres/database.js';
import { clearDurableState, durableSnapshotPages, writeDurableSnapshot } from './postgres/durable-store.js';
import type { RedisEphemeralStore } from './redis/ephemeral-store.js';
import type { AppRecord } from './records.js';
import type { AppUserSnapshot, EphemeralImport, UserSnapshot } from './state-snapshot.js';
import { StateRecordRejected, type StateRecord, type StateRecordCounts, type StateStore } from './state-store.js';

/** Runs a store call through the outage guard of its server. */
export type GuardedRun = <T>(work: () => Promise<T>) => Promise<T>;

/** What the scale-out state store works with. */
export interface ScaleOutStateDeps {
  pool: pg.Pool;
  /** The unguarded Redis store (the caller guards). */
  redis: RedisEphemeralStore;
  pg: GuardedRun;
  redisRun: GuardedRun;
  /** Applies a committed pending import to Redis and forgets it. */
  applyPending(id: number, snapshot: EphemeralImport): Promise<void>;
}

type AppUserEntry = Extract<StateRecord, { kind: 'appUser' }>;

/** Pages of a list read at once. */
function listPage<T>(items: T[], { limit, after }: PageRequest): Page<T> {
  const from = after === undefined ? 0 : /^\d{1,15}$/.test(after) ? Number(after) : items.length;
  const page = items.slice(from, from + limit);
  return from + limit < items.length ? { items: page, next: String(from + limit) } : { items: page };
}

/** Creates the state store of the scale-out backend. */
export function createScaleOutStateStore(deps: ScaleOutStateDeps): StateStore {
  const { pool } = deps;
  return {
    async openSnapshot() {
      const client = await deps.pg(() => pool.connect());
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
        await client.query('SELECT 1 FROM apps LIMIT 1'); // the snapshot is taken here
      } catch (error) {
        client.release();
        throw error;
      }
      const durable = durableSnapshotPages(client);
      const ephemeral = await deps.redisRun(() => deps.redis.readAll()).catch(async (error: unknown) => {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        throw error;
      });
      return {
        apps: () => deps.pg(() => durable.apps()),
        users: (request) => deps.pg(() => durable.users(request)),
        appUsers: (request) => deps.pg(() => durable.appUsers(request)),
        loginCodes: async (request) => listPage(ephemeral.loginCodes, request),
        accessTokens: async (request) => listPage(ephemeral.accessTokens, request),
        cloudIds: async (request) => listPage(ephemeral.cloudIds, request),
        counters: async (request) => listPage(ephemeral.counters, request),
        async close() {
          await client.query('COMMIT').catch(() => undefined);
          client.release();
        },
      };
    },

    async replaceState(batches, tail) {
      // Without a tail the faults and the clock stay as they are: they are carried into the new Redis part.
      const kept = tail ? undefined : await deps.redisRun(async () => ({ faults: await deps.redis.listFaults(), clock: await deps.redis.getClock() }));
      const counts: StateRecordCounts = { app: 0, user: 0, appUser: 0, loginCode: 0, accessToken: 0, cloudId: 0, counter: 0 };
      const seen = {
        app: new Set<string>(), user: new Set<string>(), deviceToken: new Set<string>(), appUser: new Set<string>(),
        openid: new Set<string>(), loginCode: new Set<string>(), accessToken: new Set<string>(), cloudId: new Set<string>(),
        counter: new Set<string>(),
      };
      const once = (set: Set<string>, key: string, path: string, shown: string): void => {
        if (set.has(key)) throw new StateRecordRejected(path, `"${shown}" appears twice`);
        set.add(key);
      };
      const ephemeral: Omit<EphemeralImport, 'faults' | 'clock'> = { loginCodes: [], accessTokens: [], cloudIds: [], counters: [] };
      const waiting: AppUserEntry[] = [];
      const appUserReady = (r: AppUserEntry): boolean => seen.app.has(r.record.appid) && seen.user.has(r.record.userId);
      const checkAppUser = (r: AppUserEntry): void => {
        const a = r.record;
        if (!seen.user.has(a.userId)) throw new StateRecordRejected(`${r.path}.userId`, `no user has id "${a.userId}"`);
        if (!seen.app.has(a.appid)) throw new StateRecordRejected(`${r.path}.appid`, `no app has appid "${a.appid}"`);
        once(seen.appUser, `${a.appid}\u0000${a.userId}`, `${r.path}.userId`, a.userId);
        once(seen.openid, `${a.appid}\u0000${a.openid}`, `${r.path}.openid`, a.openid);
      };

      const id = await deps.pg(() =>
        inTransaction(pool, async (db) => {
          await clearDurableState(db);
          for await (const batch of batches) {
            const apps: AppRecord[] = [];
            const users: UserSnapshot[] = [];
            const appUsers: AppUserSnapshot[] = [];
            for (const r of batch) {
              switch (r.kind) {
                case 'app':
                  once(seen.app, r.record.appid, `${r.path}.appid`, r.record.appid);
                  apps.push(r.record);
                  break;
                case 'user':
                  once(seen.user, r.record.id, `${r.path}.id`, r.record.id);
                  once(seen.deviceToken, r.record.deviceToken, `${r.path}.deviceToken`, r.record.deviceToken);
                  users.push(r.record);
                  break;
                case 'appUser':
                  // An app user whose app or user comes later in the document waits until the end.
                  if (!appUserReady(r)) {
                    waiting.push(r);
                    continue;
                  }
                  checkAppUser(r);
                  appUsers.push(r.record);
                  break;
                case 'loginCode':
                  once(seen.loginCode, r.record.code, `${r.path}.code`, r.record.code);
                  ephemeral.loginCodes.push(r.record);
                  break;
                case 'accessToken':
                  once(seen.accessToken, r.record.token, `${r.path}.token`, r.record.token);
                  ephemeral.accessTokens.push(r.record);
                  break;
                case 'cloudId':
                  once(seen.cloudId, r.record.cloudId, `${r.path}.cloudId`, r.record.cloudId);
                  ephemeral.cloudIds.push(r.record);
                  break;
                case 'counter':
                  once(seen.counter, r.record.key, `${r.path}.key`, r.record.key);
                  ephemeral.counters.push(r.record);
                  break;
              }
              counts[r.kind]++;
            }
            // Apps and users before the app users that name them.
            await writeDurableSnapshot(db, { apps, users, appUsers: [] });
            await writeDurableSnapshot(db, { apps: [], users: [], appUsers });
          }
          for (const r of waiting) {
            checkAppUser(r);
            counts.appUser++;
          }
          await writeDurableSnapshot(db, { apps: [], users: [], appUsers: waiting.map((r) => r.record) });
          const rest = tail ? tail() : kept!;
          const snapshot: EphemeralImport = { ...ephemeral, faults: rest.faults, clock: rest.clock };
          const seq = Number((await db.query<{ id: string }>("SELECT nextval('import_seq') AS id")).rows[0]!.id);
          await db.query('DELETE FROM pending_ephemeral_import');
          await db.query('INSERT INTO pending_ephemeral_import VALUES ($1, $2)', [seq, JSON.stringify(snapshot)]);
          return { seq, snapshot };
        }),
      );
      // Committed: from here on the new state wins, whoever applies its Redis part.
      await deps.applyPending(id.seq, id.snapshot);
      return counts;
    },
  };
}
