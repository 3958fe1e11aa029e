/**
 * The durable store on PostgreSQL (`pg`): shared by every instance of a scale-out platform. Multi-row changes are one
 * transaction; bulk rows go in as arrays (`unnest`) in chunks, so a million-row import is a few hundred statements.
 */
import type { ChinaDate } from '@openrun/core';
import type pg from 'pg';
import type { AppPatch, DurableStore, GrantMap, LoginChange, UserPatch, UserWithSteps } from '../durable-store.js';
import type { AppRecord, AppUserRecord, StepDay, UserRecord } from '../records.js';
import { foldAsciiCase, pageOf, type Page, type PageRequest } from '../page.js';
import type { AppUserSnapshot, DurableSnapshot, StepModelRecord, UserSnapshot } from '../state-snapshot.js';
import { inTransaction } from './database.js';

interface AppRow {
  appid: string; secret: string; platform: string; name: string; cloud: boolean; cloud_env: string | null;
  base_lib_version: string; open_platform_id: string | null; created_at: number;
}
interface UserRow {
  id: string; nickname: string; device_token: string; werun_enabled: boolean; has_step_counter: boolean;
  prompt_answer: string; created_at: number;
}
interface AppUserRow {
  appid: string; user_id: string; openid: string; unionid: string | null; session_key: string | null;
  session_rotated_at: number | null;
}
interface StepModelRow {
  user_id: string; seed: number; baseline: number; weekend_factor: number; rest_day_chance: number; through: string;
}

const toStepModel = (r: StepModelRow): StepModelRecord => ({
  seed: r.seed, baseline: r.baseline, weekendFactor: r.weekend_factor, restDayChance: r.rest_day_chance, through: r.through,
});
const toApp = (r: AppRow): AppRecord => ({
  appid: r.appid, secret: r.secret, platform: r.platform as AppRecord['platform'], name: r.name, cloud: r.cloud,
  cloudEnv: r.cloud_env, baseLibVersion: r.base_lib_version, openPlatformId: r.open_platform_id, createdAt: r.created_at,
});
const toUser = (r: UserRow): UserRecord => ({
  id: r.id, nickname: r.nickname, deviceToken: r.device_token, werunEnabled: r.werun_enabled,
  hasStepCounter: r.has_step_counter, promptAnswer: r.prompt_answer as UserRecord['promptAnswer'], createdAt: r.created_at,
});
const toAppUser = (r: AppUserRow): AppUserRecord => ({
  appid: r.appid, userId: r.user_id, openid: r.openid, unionid: r.unionid, sessionKey: r.session_key,
  sessionRotatedAt: r.session_rotated_at,
});

/** Rows per bulk statement. */
const CHUNK = 5000;

type Queryable = Pick<pg.PoolClient, 'query'>;

const USER_COLUMNS = 'id, nickname, device_token, werun_enabled, has_step_counter, prompt_answer, created_at';
/** The nickname as a search compares it: ASCII capitals made small (foldAsciiCase), as SQLite's NOCASE does. */
const FOLDED_NICKNAME = "translate(nickname, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')";
const APP_USER_COLUMNS = 'appid, user_id, openid, unionid, session_key, session_rotated_at';

async function insertUsers(db: Queryable, users: UserRecord[]): Promise<void> {
  for (let i = 0; i < users.length; i += CHUNK) {
    const part = users.slice(i, i + CHUNK);
    await db.query(
      `INSERT INTO users (${USER_COLUMNS})
       SELECT a, b, c, d, e, f, g FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::boolean[], $6::text[], $7::bigint[])
       WITH ORDINALITY AS t(a, b, c, d, e, f, g, n) ORDER BY n`,
      [
        part.map((u) => u.id), part.map((u) => u.nickname), part.map((u) => u.deviceToken), part.map((u) => u.werunEnabled),
        part.map((u) => u.hasStepCounter), part.map((u) => u.promptAnswer), part.map((u) => u.createdAt),
      ],
    );
  }
}

async function upsertSteps(db: Queryable, rows: { userId: string; date: string; steps: number }[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    await db.query(
      `INSERT INTO steps (user_id, date, steps) SELECT * FROM unnest($1::text[], $2::text[], $3::integer[])
       ON CONFLICT (user_id, date) DO UPDATE SET steps = EXCLUDED.steps`,
      [part.map((r) => r.userId), part.map((r) => r.date), part.map((r) => r.steps)],
    );
  }
}

async function writeModel(db: Queryable, userId: string, model: StepModelRecord | null): Promise<void> {
  if (!model) {
    await db.query('DELETE FROM step_models WHERE user_id = $1', [userId]);
    return;
  }
  await db.query(
    `INSERT INTO step_models VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (user_id) DO UPDATE SET seed = EXCLUDED.seed,
     baseline = EXCLUDED.baseline, weekend_factor = EXCLUDED.weekend_factor, rest_day_chance = EXCLUDED.rest_day_chance,
     through = EXCLUDED.through`,
    [userId, model.seed, model.baseline, model.weekendFactor, model.restDayChance, model.through],
  );
}

async function insertModels(db: Queryable, models: { userId: string; model: StepModelRecord }[]): Promise<void> {
  for (let i = 0; i < models.length; i += CHUNK) {
    const part = models.slice(i, i + CHUNK);
    await db.query(
      `INSERT INTO step_models SELECT * FROM unnest($1::text[], $2::bigint[], $3::integer[], $4::float8[], $5::float8[], $6::text[])`,
      [
        part.map((m) => m.userId), part.map((m) => m.model.seed), part.map((m) => m.model.baseline),
        part.map((m) => m.model.weekendFactor), part.map((m) => m.model.restDayChance), part.map((m) => m.model.through),
      ],
    );
  }
}

async function readGrants(db: Queryable, appid: string, userId: string): Promise<GrantMap> {
  const rows = (await db.query<{ scope: string; granted: boolean }>(
    'SELECT scope, granted FROM grants WHERE appid = $1 AND user_id = $2 ORDER BY scope COLLATE "C"', [appid, userId],
  )).rows;
  const map: GrantMap = {};
  for (const g of rows) map[g.scope] = g.granted;
  return map;
}

/** The `seq` a page position names (a previous page's last row); a forged one lies after every row. */
function afterSeq(after: string | undefined): number {
  if (after === undefined) return 0;
  return /^\d{1,15}$/.test(after) ? Number(after) : Number.MAX_SAFE_INTEGER;
}

/** The grants of some of an app's users, by user id. */
async function grantsOf(db: Queryable, appid: string, userIds: string[]): Promise<Map<string, GrantMap>> {
  const rows = (await db.query<{ user_id: string; scope: string; granted: boolean }>(
    'SELECT user_id, scope, granted FROM grants WHERE appid = $1 AND user_id = ANY($2::text[]) ORDER BY scope COLLATE "C"', [appid, userIds],
  )).rows;
  const out = new Map<string, GrantMap>();
  for (const g of rows) {
    const map = out.get(g.user_id) ?? {};
    map[g.scope] = g.granted;
    out.set(g.user_id, map);
  }
  return out;
}

async function insertUsersWithSteps(db: Queryable, users: UserWithSteps[]): Promise<void> {
  await insertUsers(db, users.map((u) => u.user));
  await upsertSteps(db, users.flatMap((u) => u.days.map((d) => ({ userId: u.user.id, date: d.date, steps: d.steps }))));
  await insertModels(db, users.flatMap((u) => (u.stepModel ? [{ userId: u.user.id, model: u.stepModel }] : [])));
}

/** Empties the durable tables (the settings stay). */
export async function clearDurableState(db: Queryable): Promise<void> {
  await db.query('TRUNCATE grants, app_users, step_models, steps, users, apps');
}

/** Writes a whole durable snapshot into empty tables. */
export async function writeDurableSnapshot(db: Queryable, snapshot: DurableSnapshot): Promise<void> {
  for (const a of snapshot.apps) {
    await db.query('INSERT INTO apps VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      a.appid, a.secret, a.platform, a.name, a.cloud, a.cloudEnv, a.baseLibVersion, a.openPlatformId, a.createdAt,
    ]);
  }
  await insertUsers(db, snapshot.users);
  await upsertSteps(db, snapshot.users.flatMap((u) => u.steps.map((d) => ({ userId: u.id, date: d.date, steps: d.steps }))));
  await insertModels(db, snapshot.users.flatMap((u) => (u.stepModel ? [{ userId: u.id, model: u.stepModel }] : [])));
  const aus = snapshot.appUsers;
  for (let i = 0; i < aus.length; i += CHUNK) {
    const part = aus.slice(i, i + CHUNK);
    await db.query(
      `INSERT INTO app_users (${APP_USER_COLUMNS})
       SELECT a, b, c, d, e, f FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
       WITH ORDINALITY AS t(a, b, c, d, e, f, n) ORDER BY n`,
      [
        part.map((a) => a.appid), part.map((a) => a.userId), part.map((a) => a.openid), part.map((a) => a.unionid),
        part.map((a) => a.sessionKey), part.map((a) => a.sessionRotatedAt),
      ],
    );
  }
  const grants = aus.flatMap((au) => Object.entries(au.grants).map(([scope, granted]) => ({ au, scope, granted })));
  for (let i = 0; i < grants.length; i += CHUNK) {
    const part = grants.slice(i, i + CHUNK);
    await db.query('INSERT INTO grants SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[])', [
      part.map((g) => g.au.appid), part.map((g) => g.au.userId), part.map((g) => g.scope), part.map((g) => g.granted),
    ]);
  }
}

/** Reads the durable part of a snapshot on `db` (a client inside a REPEATABLE READ transaction), page by page. */
export interface DurableSnapshotPages {
  apps(): Promise<AppRecord[]>;
  /** Users with their histories and models, in creation order. */
  users(request: PageRequest): Promise<Page<UserSnapshot>>;
  /** App users with their grants, in order of first login. */
  appUsers(request: PageRequest): Promise<Page<AppUserSnapshot>>;
}

/** The durable snapshot pages read on one client. */
export function durableSnapshotPages(db: Queryable): DurableSnapshotPages {
  return {
    async apps() {
      return (await db.query<AppRow>('SELECT * FROM apps ORDER BY created_at, appid COLLATE "C"')).rows.map(toApp);
    },
    async users({ limit, after }) {
      const rows = (await db.query<UserRow & { seq: number }>(
        `SELECT seq, ${USER_COLUMNS} FROM users WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq(after), limit + 1],
      )).rows;
      const ids = rows.slice(0, limit).map((r) => r.id);
      const steps = (await db.query<{ user_id: string; date: string; steps: number }>(
        'SELECT user_id, date, steps FROM steps WHERE user_id = ANY($1::text[]) ORDER BY user_id, date COLLATE "C"', [ids],
      )).rows;
      const models = new Map((await db.query<StepModelRow>('SELECT * FROM step_models WHERE user_id = ANY($1::text[])', [ids])).rows
        .map((m) => [m.user_id, toStepModel(m)]));
      const byUser = new Map<string, StepDay[]>();
      for (const d of steps) {
        const list = byUser.get(d.user_id) ?? [];
        list.push({ date: d.date, steps: d.steps });
        byUser.set(d.user_id, list);
      }
      return pageOf(rows, limit, (r) => ({ ...toUser(r), steps: byUser.get(r.id) ?? [], stepModel: models.get(r.id) ?? null }), (r) => String(r.seq));
    },
    async appUsers({ limit, after }) {
      const rows = (await db.query<AppUserRow & { seq: number }>(
        `SELECT seq, ${APP_USER_COLUMNS} FROM app_users WHERE seq > $1 ORDER BY seq LIMIT $2`, [afterSeq(after), limit + 1],
      )).rows;
      const kept = rows.slice(0, limit);
      const grants = (await db.query<{ appid: string; user_id: string; scope: string; granted: boolean }>(
        `SELECT g.appid, g.user_id, g.scope, g.granted FROM grants g
         JOIN unnest($1::text[], $2::text[]) AS k(appid, user_id) ON g.appid = k.appid AND g.user_id = k.user_id
         ORDER BY g.scope COLLATE "C"`,
        [kept.map((r) => r.appid), kept.map((r) => r.user_id)],
      )).rows;
      const byAppUser = new Map<string, GrantMap>();
      for (const g of grants) {
        const key = `${g.appid}\u0000${g.user_id}`;
        const map = byAppUser.get(key) ?? {};
        map[g.scope] = g.granted;
        byAppUser.set(key, map);
      }
      return pageOf(rows, limit, (r) => ({ ...toAppUser(r), grants: byAppUser.get(`${r.appid}\u0000${r.user_id}`) ?? {} }), (r) => String(r.seq));
    },
  };
}

/**
 * True when a key holds a NUL character: PostgreSQL text cannot hold one (it refuses the query), and no stored key
 * holds one (the edges refuse it, domain/nul-character.ts), so such a key names nothing — as on SQLite.
 */
const namesNothing = (...keys: string[]): boolean => keys.some((k) => k.includes('\u0000'));

/** Creates the PostgreSQL durable store on a migrated pool. */
export function createPostgresDurableStore(pool: pg.Pool): DurableStore {
  const one = async <R extends pg.QueryResultRow>(sql: string, args: unknown[]): Promise<R | undefined> =>
    (await pool.query<R>(sql, args)).rows[0];

  const setSession = async (appid: string, userId: string, key: string | null, at: number | null | 'keep'): Promise<AppUserRecord | undefined> => {
    if (namesNothing(appid, userId)) return undefined;
    const row = await one<AppUserRow>(
      `UPDATE app_users SET session_key = $3, session_rotated_at = ${at === 'keep' ? 'session_rotated_at' : '$4'}
       WHERE appid = $1 AND user_id = $2 RETURNING ${APP_USER_COLUMNS}`,
      at === 'keep' ? [appid, userId, key] : [appid, userId, key, at],
    );
    return row && toAppUser(row);
  };

  return {
    async createApp(a) {
      await pool.query('INSERT INTO apps VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
        a.appid, a.secret, a.platform, a.name, a.cloud, a.cloudEnv, a.baseLibVersion, a.openPlatformId, a.createdAt,
      ]);
    },
    async getApp(appid) {
      if (namesNothing(appid)) return undefined;
      const r = await one<AppRow>('SELECT * FROM apps WHERE appid = $1', [appid]);
      return r && toApp(r);
    },
    async listApps() {
      return (await pool.query<AppRow>('SELECT * FROM apps ORDER BY created_at, appid COLLATE "C"')).rows.map(toApp);
    },
    async updateApp(appid, patch: AppPatch) {
      if (namesNothing(appid)) return undefined;
      return inTransaction(pool, async (db) => {
        const row = (await db.query<AppRow>('SELECT * FROM apps WHERE appid = $1 FOR UPDATE', [appid])).rows[0];
        if (!row) return undefined;
        const next: AppRecord = { ...toApp(row), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
        await db.query(
          'UPDATE apps SET name = $2, cloud = $3, cloud_env = $4, base_lib_version = $5, open_platform_id = $6 WHERE appid = $1',
          [appid, next.name, next.cloud, next.cloudEnv, next.baseLibVersion, next.openPlatformId],
        );
        return next;
      });
    },
    async createUser(user) {
      await insertUsers(pool, [user]);
    },
    async getUser(id) {
      if (namesNothing(id)) return undefined;
      const r = await one<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
      return r && toUser(r);
    },
    async getUserByDeviceToken(token) {
      if (namesNothing(token)) return undefined;
      const r = await one<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE device_token = $1`, [token]);
      return r && toUser(r);
    },
    async listUsers({ limit, after, prefix }) {
      if (prefix !== undefined && namesNothing(prefix)) return { items: [] };
      const rows = (await pool.query<UserRow & { seq: number }>(
        `SELECT seq, ${USER_COLUMNS} FROM users WHERE seq > $1
         ${prefix ? `AND (starts_with(id, $3) OR starts_with(${FOLDED_NICKNAME}, $4) OR starts_with(device_token, $3))` : ''}
         ORDER BY seq LIMIT $2`,
        prefix ? [afterSeq(after), limit + 1, prefix, foldAsciiCase(prefix)] : [afterSeq(after), limit + 1],
      )).rows;
      return pageOf(rows, limit, toUser, (r) => String(r.seq));
    },
    async countUsers() {
      return Number((await one<{ n: number }>('SELECT count(*)::int AS n FROM users', []))!.n);
    },
    async updateUser(id, patch: UserPatch) {
      if (namesNothing(id)) return undefined;
      return inTransaction(pool, async (db) => {
        const row = (await db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`, [id])).rows[0];
        if (!row) return undefined;
        const next = { ...toUser(row), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as UserRecord;
        await db.query('UPDATE users SET nickname = $2, werun_enabled = $3, has_step_counter = $4, prompt_answer = $5 WHERE id = $1', [
          id, next.nickname, next.werunEnabled, next.hasStepCounter, next.promptAnswer,
        ]);
        return next;
      });
    },
    async deleteUser(id) {
      if (namesNothing(id)) return false;
      return ((await pool.query('DELETE FROM users WHERE id = $1', [id])).rowCount ?? 0) > 0;
    },
    async createUsersWithSteps(batches) {
      // One transaction; each batch is a few statements, and other requests use the pool's other clients meanwhile.
      await inTransaction(pool, async (db) => {
        for await (const users of batches) await insertUsersWithSteps(db, users);
      });
    },
    async deleteUsers(ids) {
      const named = ids.filter((id) => !namesNothing(id));
      if (named.length === 0) return 0;
      return (await pool.query('DELETE FROM users WHERE id = ANY($1::text[])', [named])).rowCount ?? 0;
    },
    async putSteps(userId, days) {
      await inTransaction(pool, (db) => upsertSteps(db, days.map((d) => ({ userId, date: d.date, steps: d.steps }))));
    },
    async getSteps(userId, from: ChinaDate, to: ChinaDate) {
      if (namesNothing(userId, from, to)) return [];
      return (await pool.query<StepDay>(
        'SELECT date, steps FROM steps WHERE user_id = $1 AND date >= $2 AND date <= $3 ORDER BY date', [userId, from, to],
      )).rows.map((r) => ({ date: r.date, steps: r.steps }));
    },
    async saveGeneratedHistory(userId, days, model) {
      await inTransaction(pool, async (db) => {
        await upsertSteps(db, days.map((d) => ({ userId, date: d.date, steps: d.steps })));
        await writeModel(db, userId, model);
      });
    },
    async getStepModel(userId) {
      if (namesNothing(userId)) return undefined;
      const r = await one<StepModelRow>('SELECT * FROM step_models WHERE user_id = $1', [userId]);
      return r && toStepModel(r);
    },
    async recordLogin(c: LoginChange) {
      return inTransaction(pool, async (db) => {
        // Two instances logging the same user in at once: one inserts, the other waits for the row lock and rotates or not.
        const inserted = (await db.query<AppUserRow>(
          `INSERT INTO app_users (${APP_USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (appid, user_id) DO NOTHING RETURNING ${APP_USER_COLUMNS}`,
          [c.appid, c.userId, c.newOpenid, c.newUnionid, c.newSessionKey, c.newSessionKey === null ? null : c.now],
        )).rows[0];
        if (inserted) return toAppUser(inserted);
        const row = (await db.query<AppUserRow>(
          `SELECT ${APP_USER_COLUMNS} FROM app_users WHERE appid = $1 AND user_id = $2 FOR UPDATE`, [c.appid, c.userId],
        )).rows[0]!;
        const current = toAppUser(row);
        if (c.newSessionKey === null) return current;
        const due = current.sessionKey === null || current.sessionRotatedAt === null || c.now - current.sessionRotatedAt >= c.minRotationMs;
        if (!due) return current;
        await db.query('UPDATE app_users SET session_key = $3, session_rotated_at = $4 WHERE appid = $1 AND user_id = $2', [
          c.appid, c.userId, c.newSessionKey, c.now,
        ]);
        return { ...current, sessionKey: c.newSessionKey, sessionRotatedAt: c.now };
      });
    },
    async getAppUser(appid, userId) {
      if (namesNothing(appid, userId)) return undefined;
      const r = await one<AppUserRow>(`SELECT ${APP_USER_COLUMNS} FROM app_users WHERE appid = $1 AND user_id = $2`, [appid, userId]);
      return r && toAppUser(r);
    },
    async getAppUserByOpenid(appid, openid) {
      if (namesNothing(appid, openid)) return undefined;
      const r = await one<AppUserRow>(`SELECT ${APP_USER_COLUMNS} FROM app_users WHERE appid = $1 AND openid = $2`, [appid, openid]);
      return r && toAppUser(r);
    },
    async listAppUsers(appid, { limit, after }) {
      if (namesNothing(appid)) return { items: [] };
      const rows = (await pool.query<AppUserRow & { seq: number }>(
        `SELECT seq, ${APP_USER_COLUMNS} FROM app_users WHERE appid = $1 AND seq > $2 ORDER BY seq LIMIT $3`, [appid, afterSeq(after), limit + 1],
      )).rows;
      const grants = await grantsOf(pool, appid, rows.slice(0, limit).map((r) => r.user_id));
      return pageOf(rows, limit, (r) => ({ ...toAppUser(r), grants: grants.get(r.user_id) ?? {} }), (r) => String(r.seq));
    },
    async rotateSessionKey(appid, userId, sessionKey, now) {
      return setSession(appid, userId, sessionKey, now);
    },
    async expireSessionKey(appid, userId) {
      return setSession(appid, userId, null, 'keep');
    },
    async getGrants(appid, userId) {
      if (namesNothing(appid, userId)) return {};
      return readGrants(pool, appid, userId);
    },
    async setGrants(appid, userId, changes) {
      return inTransaction(pool, async (db) => {
        for (const [scope, value] of Object.entries(changes)) {
          if (value === null) await db.query('DELETE FROM grants WHERE appid = $1 AND user_id = $2 AND scope = $3', [appid, userId, scope]);
          else {
            await db.query(
              'INSERT INTO grants VALUES ($1, $2, $3, $4) ON CONFLICT (appid, user_id, scope) DO UPDATE SET granted = EXCLUDED.granted',
              [appid, userId, scope, value],
            );
          }
        }
        return readGrants(db, appid, userId);
      });
    },
    async claimControlToken(proposed, replace) {
      const row = await one<{ value: string }>(
        `INSERT INTO settings VALUES ('control_token', $1) ON CONFLICT (key) DO UPDATE SET value =
         CASE WHEN $2::boolean THEN EXCLUDED.value ELSE settings.value END RETURNING value`,
        [proposed, replace],
      );
      return row!.value;
    },
    async getControlToken() {
      return (await one<{ value: string }>("SELECT value FROM settings WHERE key = 'control_token'", []))?.value;
    },
    async reset() {
      await clearDurableState(pool);
    },
  };
}
