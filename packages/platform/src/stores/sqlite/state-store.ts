/**
 * Whole-state export and import on SQLite. A snapshot is a read transaction on a read-only second connection (WAL
 * keeps its view while the platform writes); an in-memory database is copied (`serialize`) instead. An import is one
 * transaction on the bulk connection (bulk-work.ts): the old state is deleted in slices, the records are inserted as
 * they arrive, foreign keys are checked at commit, and an app user that names a user or app appearing later in the
 * document waits in a temporary table until the end.
 */
import Database from 'better-sqlite3';
import { pageOf } from '../page.js';
import type { AccessTokenRecord, CloudIdRecord } from '../records.js';
import type { AppUserSnapshot, CounterRecord, UserSnapshot } from '../state-snapshot.js';
import { StateRecordRejected, type StateRecord, type StateRecordCounts, type StateSnapshotReader, type StateStore } from '../state-store.js';
import type { SqliteHandle } from './bulk-work.js';
import { openSqliteCompanion, type SqliteDatabase } from './database.js';
import {
  APP_USER_INSERT, APP_USER_SELECT, APP_INSERT, dateOf, toApp, toAppUser, toStepModel, toUser, type AppRow, type AppUserRow,
  type StepModelRow, type UserRow,
} from './durable-store.js';
import {
  CLOUD_ID_INSERT, CLOUD_ID_SELECT, CODE_INSERT, COUNTER_UPSERT, TOKEN_INSERT, TOKEN_SELECT, cloudIdParams, toCloudId, toCode, toToken,
  tokenRowOf, writeStateTail, type CloudIdInsert, type CloudIdRow, type CodeRow, type TokenRow,
} from './ephemeral-store.js';
import { keyTag } from './key-tag.js';
import { prepareUserRowsWriter } from './user-rows.js';

type AppUserEntry = Extract<StateRecord, { kind: 'appUser' }>;

/** Users deleted per statement when an import clears the old state (each takes its days along). */
const CLEAR_USERS_PER_STATEMENT = 200;

const afterInt = (after: string | undefined): number => (after === undefined ? 0 : /^\d{1,15}$/.test(after) ? Number(after) : Number.MAX_SAFE_INTEGER);
const afterText = (after: string | undefined): string => after ?? '';

function snapshotReader(conn: SqliteDatabase, done: () => void): StateSnapshotReader {
  const q = {
    users: conn.prepare<[number, number], UserRow>('SELECT * FROM users WHERE pk > ? ORDER BY pk LIMIT ?'),
    steps: conn.prepare<[number, number], { user_pk: number; day: number; steps: number }>(
      'SELECT user_pk, day, steps FROM steps WHERE user_pk >= ? AND user_pk <= ? ORDER BY user_pk, day',
    ),
    models: conn.prepare<[number, number], StepModelRow>('SELECT * FROM step_models WHERE user_pk >= ? AND user_pk <= ?'),
    appUsers: conn.prepare<[string, string, number, number], AppUserRow>(
      `${APP_USER_SELECT} WHERE a.appid > ? OR (a.appid = ? AND a.user_pk > ?) ORDER BY a.appid, a.user_pk LIMIT ?`,
    ),
    grants: conn.prepare<[string, number], { scope: string; granted: number }>(
      'SELECT scope, granted FROM grants WHERE appid = ? AND user_pk = ? ORDER BY scope',
    ),
    codes: conn.prepare<[string, number], CodeRow>('SELECT * FROM login_codes WHERE code > ? ORDER BY code LIMIT ?'),
    tokens: conn.prepare<[number, number], TokenRow>('SELECT * FROM access_tokens WHERE seq > ? ORDER BY seq LIMIT ?'),
    cloudIds: conn.prepare<[number, number], CloudIdRow>('SELECT * FROM cloud_ids WHERE seq > ? ORDER BY seq LIMIT ?'),
    counters: conn.prepare<[string, number], { key: string; value: number; expires_at: number }>(
      'SELECT * FROM counters WHERE key > ? ORDER BY key LIMIT ?',
    ),
  };
  return {
    async apps() {
      return conn.prepare<[], AppRow>('SELECT * FROM apps ORDER BY created_at, appid').all().map(toApp);
    },
    async users({ limit, after }) {
      const rows = q.users.all(afterInt(after), limit + 1);
      const kept = rows.slice(0, limit);
      const byPk = new Map<number, UserSnapshot>();
      // Object.assign, not a spread: V8 allocates spread copies so that they outlive young collections, and an export
      // then fills the old generation with dead pages until a full collection.
      for (const r of kept) byPk.set(r.pk, Object.assign(toUser(r), { steps: [] as UserSnapshot['steps'], stepModel: null }));
      if (kept.length > 0) {
        const [first, last] = [kept[0]!.pk, kept[kept.length - 1]!.pk];
        for (const s of q.steps.all(first, last)) byPk.get(s.user_pk)?.steps.push({ date: dateOf(s.day), steps: s.steps });
        for (const m of q.models.all(first, last)) {
          const user = byPk.get(m.user_pk);
          if (user) user.stepModel = toStepModel(m);
        }
      }
      return pageOf(rows, limit, (r) => byPk.get(r.pk)!, (r) => String(r.pk));
    },
    async appUsers({ limit, after }) {
      const [appid, pk] = after === undefined ? ['', 0] : [after.slice(0, after.lastIndexOf(' ')), afterInt(after.slice(after.lastIndexOf(' ') + 1))];
      const rows = q.appUsers.all(appid, appid, pk, limit + 1);
      return pageOf(
        rows,
        limit,
        (r) => {
          const grants: Record<string, boolean> = {};
          for (const g of q.grants.all(r.appid, r.user_pk)) grants[g.scope] = g.granted === 1;
          return Object.assign(toAppUser(r), { grants });
        },
        (r) => `${r.appid} ${r.user_pk}`,
      );
    },
    async loginCodes({ limit, after }) {
      return pageOf(q.codes.all(afterText(after), limit + 1), limit, toCode, (r) => r.code);
    },
    async accessTokens({ limit, after }) {
      return pageOf(q.tokens.all(afterInt(after), limit + 1), limit, toToken, (r) => String(r.seq));
    },
    async cloudIds({ limit, after }) {
      return pageOf(q.cloudIds.all(afterInt(after), limit + 1), limit, toCloudId, (r) => String(r.seq));
    },
    async counters({ limit, after }) {
      const rows = q.counters.all(afterText(after), limit + 1);
      return pageOf(rows, limit, (r): CounterRecord => ({ key: r.key, value: r.value, expiresAt: r.expires_at }), (r) => r.key);
    },
    async close() {
      done();
    },
  };
}

/** Maps a constraint failure of a record to the field of the document it is about. */
function rejection(record: StateRecord, error: unknown): StateRecordRejected | undefined {
  const message = (error as { message?: string }).message ?? '';
  if (!/constraint failed/i.test(message)) return undefined;
  const r = record.record as unknown as Record<string, unknown>;
  const twice = (field: string): StateRecordRejected => new StateRecordRejected(`${record.path}.${field}`, `"${String(r[field])}" appears twice`);
  switch (record.kind) {
    case 'app':
      return twice('appid');
    case 'user':
      return twice(/device_token/.test(message) ? 'deviceToken' : 'id');
    case 'appUser':
      return twice(/openid/.test(message) ? 'openid' : 'userId');
    case 'loginCode':
      return twice('code');
    case 'accessToken':
      return twice('token');
    case 'cloudId':
      return twice('cloudId');
    case 'counter':
      return twice('key');
  }
}

/** Creates the SQLite state store on the handle shared with the durable and ephemeral stores. */
export function createSqliteStateStore(handle: SqliteHandle): StateStore {
  const { db } = handle;
  return {
    async openSnapshot() {
      const companion = openSqliteCompanion(db, { readonly: true });
      if (!companion) {
        const copy = new Database(db.serialize());
        return snapshotReader(copy, () => copy.close());
      }
      companion.exec('BEGIN');
      companion.prepare('SELECT count(*) FROM apps').get(); // the read transaction (and its view) starts here
      return snapshotReader(companion, () => {
        companion.exec('COMMIT');
        companion.close();
      });
    },

    async replaceState(batches, tail) {
      return handle.bulk(async (conn, pause) => {
        const counts: StateRecordCounts = { app: 0, user: 0, appUser: 0, loginCode: 0, accessToken: 0, cloudId: 0, counter: 0 };
        conn.pragma('defer_foreign_keys = ON');
        for (const table of ['grants', 'app_users', 'step_models', 'apps', 'login_codes', 'access_tokens', 'cloud_ids', 'counters']) {
          conn.prepare(`DELETE FROM ${table}`).run();
        }
        const clearUsers = conn.prepare(`DELETE FROM users WHERE pk IN (SELECT pk FROM users ORDER BY pk LIMIT ${CLEAR_USERS_PER_STATEMENT})`);
        while (clearUsers.run().changes > 0) await pause();

        conn.exec('CREATE TEMP TABLE IF NOT EXISTS waiting_app_users (path TEXT NOT NULL, record TEXT NOT NULL)');
        conn.exec('DELETE FROM temp.waiting_app_users');
        const s = {
          app: conn.prepare(APP_INSERT),
          user: prepareUserRowsWriter(conn),
          userPk: conn.prepare<[string], { pk: number }>('SELECT pk FROM users WHERE id = ?'),
          hasApp: conn.prepare<[string], { one: number }>('SELECT 1 AS one FROM apps WHERE appid = ?'),
          appUser: conn.prepare(APP_USER_INSERT),
          grant: conn.prepare('INSERT INTO grants VALUES (?, ?, ?, ?)'),
          wait: conn.prepare('INSERT INTO temp.waiting_app_users VALUES (?, ?)'),
          code: conn.prepare(CODE_INSERT),
          token: conn.prepare(TOKEN_INSERT),
          cloudId: conn.prepare<CloudIdInsert>(CLOUD_ID_INSERT),
          hasToken: conn.prepare<[number, string], TokenRow>(TOKEN_SELECT),
          hasCloudId: conn.prepare<[number, string], CloudIdRow>(CLOUD_ID_SELECT),
          counter: conn.prepare(COUNTER_UPSERT),
          hasCounter: conn.prepare<[string], { one: number }>('SELECT 1 AS one FROM counters WHERE key = ?'),
        };
        const writeAppUser = (path: string, au: AppUserEntry, final: boolean): void => {
          const a = au.record;
          const userPk = s.userPk.get(a.userId)?.pk;
          const known = userPk !== undefined && s.hasApp.get(a.appid) !== undefined;
          if (!known && !final) {
            s.wait.run(path, JSON.stringify(a));
            return;
          }
          if (userPk === undefined) throw new StateRecordRejected(`${path}.userId`, `no user has id "${a.userId}"`);
          if (!known) throw new StateRecordRejected(`${path}.appid`, `no app has appid "${a.appid}"`);
          s.appUser.run({ ...a, userPk });
          for (const [scope, granted] of Object.entries(a.grants)) s.grant.run(a.appid, userPk, scope, granted ? 1 : 0);
        };
        const write = (r: StateRecord): void => {
          switch (r.kind) {
            case 'app':
              s.app.run({ ...r.record, cloud: r.record.cloud ? 1 : 0 });
              break;
            case 'user':
              s.user(r.record, r.record.steps, r.record.stepModel);
              break;
            case 'appUser':
              writeAppUser(r.path, r, false);
              break;
            case 'loginCode':
              s.code.run(r.record.code, r.record.appid, r.record.userId, r.record.expiresAt, r.record.used ? 1 : 0);
              break;
            case 'accessToken': {
              const row = tokenRowOf(r.record satisfies AccessTokenRecord);
              // No unique index on the texts (key-tag.ts): a second token with the same text is looked for here.
              if (s.hasToken.get(row.tag, row.token)) throw new StateRecordRejected(`${r.path}.token`, `"${row.token}" appears twice`);
              s.token.run(row);
              break;
            }
            case 'cloudId': {
              const record = r.record satisfies CloudIdRecord;
              const tag = keyTag(record.cloudId);
              if (s.hasCloudId.get(tag, record.cloudId)) throw new StateRecordRejected(`${r.path}.cloudId`, `"${record.cloudId}" appears twice`);
              s.cloudId.run(...cloudIdParams(record, tag));
              break;
            }
            case 'counter':
              // INSERT OR REPLACE would hide a second counter with the same key.
              if (s.hasCounter.get(r.record.key)) throw new StateRecordRejected(`${r.path}.key`, `"${r.record.key}" appears twice`);
              s.counter.run(r.record.key, r.record.value, r.record.expiresAt);
              break;
          }
          counts[r.kind]++;
        };
        for await (const batch of batches) {
          for (const r of batch) {
            try {
              write(r);
            } catch (error) {
              throw rejection(r, error) ?? error;
            }
            await pause();
          }
        }
        const waiting = conn.prepare<[], { path: string; record: string }>('SELECT path, record FROM temp.waiting_app_users ORDER BY rowid');
        for (const w of waiting.all()) {
          const r: AppUserEntry = { kind: 'appUser', path: w.path, record: JSON.parse(w.record) as AppUserSnapshot };
          try {
            writeAppUser(w.path, r, true);
          } catch (error) {
            throw rejection(r, error) ?? error;
          }
        }
        conn.exec('DELETE FROM temp.waiting_app_users');
        if (tail) writeStateTail(conn, tail());
        return counts;
      });
    },
  };
}
