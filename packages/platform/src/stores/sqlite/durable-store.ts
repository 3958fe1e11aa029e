/**
 * The durable store on SQLite (better-sqlite3), on the schema of migrations.ts: users have an integer key (`pk`) that
 * the per-user tables lead with, and days are day numbers. Multi-row changes run in one IMMEDIATE transaction; bulk
 * creation runs in slices on the bulk connection (bulk-work.ts). Every write first passes the write gate.
 */
import { chinaDateOfDayNumber, chinaDayNumber, type ChinaDate } from '@openrun/core';
import type { AppPatch, DurableStore, GrantMap, LoginChange, UserPatch } from '../durable-store.js';
import { pageOf } from '../page.js';
import type { AppRecord, AppUserRecord, StepDay, UserRecord } from '../records.js';
import type { StepModelRecord } from '../state-snapshot.js';
import type { SqliteHandle } from './bulk-work.js';
import { prepareUserRowsWriter } from './user-rows.js';

/** A row of `apps`. */
export interface AppRow {
  appid: string; secret: string; platform: string; name: string; cloud: number; cloud_env: string | null;
  base_lib_version: string; open_platform_id: string | null; created_at: number;
}
/** A row of `users`. */
export interface UserRow {
  pk: number; id: string; nickname: string; device_token: string; werun_enabled: number; has_step_counter: number;
  prompt_answer: string; created_at: number;
}
/** A row of `app_users` with the user's id. */
export interface AppUserRow {
  appid: string; user_pk: number; user_id: string; openid: string; unionid: string | null; session_key: string | null;
  session_rotated_at: number | null;
}
/** A row of `step_models`. */
export interface StepModelRow {
  user_pk: number; seed: number; baseline: number; weekend_factor: number; rest_day_chance: number; through: string;
}

/** Converts a stored step model. */
export const toStepModel = (r: StepModelRow): StepModelRecord => ({
  seed: r.seed, baseline: r.baseline, weekendFactor: r.weekend_factor, restDayChance: r.rest_day_chance, through: r.through,
});
/** Converts a stored app. */
export const toApp = (r: AppRow): AppRecord => ({
  appid: r.appid, secret: r.secret, platform: r.platform as AppRecord['platform'], name: r.name, cloud: r.cloud === 1,
  cloudEnv: r.cloud_env, baseLibVersion: r.base_lib_version, openPlatformId: r.open_platform_id, createdAt: r.created_at,
});
/** Converts a stored user. */
export const toUser = (r: UserRow): UserRecord => ({
  id: r.id, nickname: r.nickname, deviceToken: r.device_token, werunEnabled: r.werun_enabled === 1,
  hasStepCounter: r.has_step_counter === 1, promptAnswer: r.prompt_answer as UserRecord['promptAnswer'], createdAt: r.created_at,
});
/** Converts a stored app user. */
export const toAppUser = (r: AppUserRow): AppUserRecord => ({
  appid: r.appid, userId: r.user_id, openid: r.openid, unionid: r.unionid, sessionKey: r.session_key,
  sessionRotatedAt: r.session_rotated_at,
});

/** `users` columns in table order, for inserts. */
export const USER_INSERT = `INSERT INTO users (id, nickname, device_token, werun_enabled, has_step_counter, prompt_answer, created_at)
  VALUES (@id, @nickname, @deviceToken, @werunEnabled, @hasStepCounter, @promptAnswer, @createdAt)`;
/** Upserts one day of a user, by the user's pk. */
export const STEP_UPSERT = 'INSERT OR REPLACE INTO steps (user_pk, day, steps) VALUES (?, ?, ?)';
/** Upserts a user's step model, by the user's pk. */
export const STEP_MODEL_UPSERT =
  'INSERT OR REPLACE INTO step_models VALUES (@userPk, @seed, @baseline, @weekendFactor, @restDayChance, @through)';
/** Inserts an app. */
export const APP_INSERT =
  'INSERT INTO apps VALUES (@appid, @secret, @platform, @name, @cloud, @cloudEnv, @baseLibVersion, @openPlatformId, @createdAt)';
/** Inserts an app user, by the user's pk. */
export const APP_USER_INSERT =
  'INSERT INTO app_users VALUES (@appid, @userPk, @openid, @unionid, @sessionKey, @sessionRotatedAt)';
/** `app_users` with the user's id. */
export const APP_USER_SELECT =
  'SELECT a.appid, a.user_pk, u.id AS user_id, a.openid, a.unionid, a.session_key, a.session_rotated_at FROM app_users a JOIN users u ON u.pk = a.user_pk';

/** Binds a user for USER_INSERT. */
export const userParams = (user: UserRecord): Record<string, unknown> => ({
  id: user.id, nickname: user.nickname, deviceToken: user.deviceToken, werunEnabled: user.werunEnabled ? 1 : 0,
  hasStepCounter: user.hasStepCounter ? 1 : 0, promptAnswer: user.promptAnswer, createdAt: user.createdAt,
});

const dayCache = new Map<string, number>();
const dateCache = new Map<number, ChinaDate>();
/** The day number of a date, memoised (a history repeats the same few hundred dates). */
export function dayOf(date: ChinaDate): number {
  const cached = dayCache.get(date);
  if (cached !== undefined) return cached;
  const n = chinaDayNumber(date);
  if (dayCache.size > 100_000) dayCache.clear();
  dayCache.set(date, n);
  return n;
}
/** A day and its count packed into one integer: day × 2³² + steps, exact in a double for days within ±2²⁰ of 1970. */
const DAY_SHIFT = 4_294_967_296;

/** The days of a JSON array of packed days, oldest first (an aggregate's order is SQLite's choice). */
function unpackDays(packed: string): StepDay[] {
  const list = JSON.parse(packed) as number[];
  for (let i = 1; i < list.length; i++) {
    if (list[i]! < list[i - 1]!) {
      list.sort((x, y) => x - y);
      break;
    }
  }
  return list.map((p) => {
    const day = Math.floor(p / DAY_SHIFT);
    return { date: dateOf(day), steps: p - day * DAY_SHIFT };
  });
}

/** The date of a day number, memoised. */
export function dateOf(day: number): ChinaDate {
  const cached = dateCache.get(day);
  if (cached !== undefined) return cached;
  const d = chinaDateOfDayNumber(day);
  if (dateCache.size > 100_000) dateCache.clear();
  dateCache.set(day, d);
  return d;
}

/**
 * A search (`q=`) looks a prefix up in the three indexes (id, nickname without ASCII case, device token) when each holds
 * at most this many entries starting with it, and merges what it finds in creation order: exact, wherever the matches
 * are in the store. A prefix more common than that is looked for in creation order instead, where matches are dense.
 */
const SEARCH_LOOKUP_LIMIT = 10_000;
/**
 * Users a search of a common prefix looks at per page, in creation order: each request does bounded work, so such a
 * page may hold fewer matches than asked for (even none) and still have a next page.
 */
const SEARCH_WINDOW = 20_000;

/** Bounds of the strings that start with `prefix`, for an index range scan. */
const prefixRange = (prefix: string): [string, string] => [prefix, `${prefix}\u{10FFFF}`];
/** A page position is a row's integer key; anything else (a forged cursor) lies after every row. */
const afterKey = (after: string | undefined): number =>
  after === undefined ? 0 : /^\d{1,15}$/.test(after) ? Number(after) : Number.MAX_SAFE_INTEGER;

/** Creates the SQLite durable store on an open database. */
export function createSqliteDurableStore(handle: SqliteHandle): DurableStore {
  const { db } = handle;
  const q = {
    insertApp: db.prepare(APP_INSERT),
    getApp: db.prepare<[string], AppRow>('SELECT * FROM apps WHERE appid = ?'),
    listApps: db.prepare<[], AppRow>('SELECT * FROM apps ORDER BY created_at, appid'),
    insertUser: db.prepare(USER_INSERT),
    getUser: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    userPk: db.prepare<[string], { pk: number }>('SELECT pk FROM users WHERE id = ?'),
    getUserByToken: db.prepare<[string], UserRow>('SELECT * FROM users WHERE device_token = ?'),
    listUsers: db.prepare<[number, number], UserRow>('SELECT * FROM users WHERE pk > ? ORDER BY pk LIMIT ?'),
    // How many entries of each index start with a prefix, counted up to `cap`.
    prefixCounts: db.prepare<[{ low: string; high: string; cap: number }], { ids: number; nicknames: number; tokens: number }>(
      `SELECT (SELECT count(*) FROM (SELECT 1 FROM users WHERE id >= @low AND id < @high LIMIT @cap)) AS ids,
       (SELECT count(*) FROM (SELECT 1 FROM users WHERE nickname >= @low COLLATE NOCASE AND nickname < @high COLLATE NOCASE LIMIT @cap)) AS nicknames,
       (SELECT count(*) FROM (SELECT 1 FROM users WHERE device_token >= @low AND device_token < @high LIMIT @cap)) AS tokens`,
    ),
    lookUpUsers: db.prepare<[{ low: string; high: string; after: number; limit: number }], UserRow>(
      `SELECT * FROM users WHERE pk IN (
         SELECT pk FROM users WHERE id >= @low AND id < @high
         UNION SELECT pk FROM users WHERE nickname >= @low COLLATE NOCASE AND nickname < @high COLLATE NOCASE
         UNION SELECT pk FROM users WHERE device_token >= @low AND device_token < @high)
       AND pk > @after ORDER BY pk LIMIT @limit`,
    ),
    scanUsers: db.prepare<[{ after: number; low: string; high: string; limit: number }], UserRow>(
      `SELECT * FROM (SELECT * FROM users WHERE pk > @after ORDER BY pk LIMIT ${SEARCH_WINDOW})
       WHERE (id >= @low AND id < @high) OR (nickname >= @low COLLATE NOCASE AND nickname < @high COLLATE NOCASE)
         OR (device_token >= @low AND device_token < @high)
       ORDER BY pk LIMIT @limit`,
    ),
    windowEnd: db.prepare<[number], { pk: number }>(`SELECT pk FROM users WHERE pk > ? ORDER BY pk LIMIT 1 OFFSET ${SEARCH_WINDOW - 1}`),
    countUsers: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
    updateUser: db.prepare(
      `UPDATE users SET nickname = @nickname, werun_enabled = @werunEnabled, has_step_counter = @hasStepCounter,
       prompt_answer = @promptAnswer WHERE id = @id`,
    ),
    putStep: db.prepare(STEP_UPSERT),
    // One row, not one per day: better-sqlite3 builds a JS object per row, which cost three times the rest of the read.
    getSteps: db.prepare<[number, number, number], { packed: string }>(
      `SELECT json_group_array(day * ${DAY_SHIFT} + steps) AS packed FROM steps WHERE user_pk = ? AND day >= ? AND day <= ?`,
    ),
    getAppUser: db.prepare<[string, string], AppUserRow>(`${APP_USER_SELECT} WHERE a.appid = ? AND u.id = ?`),
    getAppUserByOpenid: db.prepare<[string, string], AppUserRow>(`${APP_USER_SELECT} WHERE a.appid = ? AND a.openid = ?`),
    insertAppUser: db.prepare(APP_USER_INSERT),
    updateApp: db.prepare(
      `UPDATE apps SET name = @name, cloud = @cloud, cloud_env = @cloudEnv, base_lib_version = @baseLibVersion,
       open_platform_id = @openPlatformId WHERE appid = @appid`,
    ),
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
    putStepModel: db.prepare(STEP_MODEL_UPSERT),
    deleteStepModel: db.prepare('DELETE FROM step_models WHERE user_pk = ?'),
    getStepModel: db.prepare<[string], StepModelRow>('SELECT m.* FROM step_models m JOIN users u ON u.pk = m.user_pk WHERE u.id = ?'),
    listAppUsers: db.prepare<[string, number, number], AppUserRow>(
      `${APP_USER_SELECT} WHERE a.appid = ? AND a.user_pk > ? ORDER BY a.user_pk LIMIT ?`,
    ),
    rotateSession: db.prepare(
      'UPDATE app_users SET session_key = ?, session_rotated_at = ? WHERE appid = ? AND user_pk = (SELECT pk FROM users WHERE id = ?)',
    ),
    getGrants: db.prepare<[string, string], { scope: string; granted: number }>(
      'SELECT scope, granted FROM grants WHERE appid = ? AND user_pk = (SELECT pk FROM users WHERE id = ?) ORDER BY scope',
    ),
    putGrant: db.prepare('INSERT OR REPLACE INTO grants VALUES (?, (SELECT pk FROM users WHERE id = ?), ?, ?)'),
    deleteGrant: db.prepare('DELETE FROM grants WHERE appid = ? AND user_pk = (SELECT pk FROM users WHERE id = ?) AND scope = ?'),
    getToken: db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'control_token'"),
    putToken: db.prepare("INSERT OR REPLACE INTO settings VALUES ('control_token', ?)"),
  };

  const boolInt = (b: boolean): number => (b ? 1 : 0);
  const pkOf = (userId: string): number | undefined => q.userPk.get(userId)?.pk;

  const recordLogin = db.transaction((c: LoginChange): AppUserRecord => {
    const row = q.getAppUser.get(c.appid, c.userId);
    if (!row) {
      const created: AppUserRecord = {
        appid: c.appid, userId: c.userId, openid: c.newOpenid, unionid: c.newUnionid, sessionKey: c.newSessionKey,
        sessionRotatedAt: c.newSessionKey === null ? null : c.now,
      };
      const userPk = pkOf(c.userId);
      // The foreign key reports a user that does not exist (deleted meanwhile).
      q.insertAppUser.run({ ...created, userPk: userPk ?? -1 });
      return created;
    }
    const current = toAppUser(row);
    if (c.newSessionKey === null) return current;
    const due = current.sessionKey === null || current.sessionRotatedAt === null || c.now - current.sessionRotatedAt >= c.minRotationMs;
    if (!due) return current;
    q.rotateSession.run(c.newSessionKey, c.now, c.appid, c.userId);
    return { ...current, sessionKey: c.newSessionKey, sessionRotatedAt: c.now };
  });

  const writeDays = (userPk: number, days: StepDay[]): void => {
    for (const d of days) q.putStep.run(userPk, dayOf(d.date), d.steps);
  };
  const putSteps = db.transaction((userId: string, days: StepDay[]) => {
    const pk = pkOf(userId);
    if (pk !== undefined) writeDays(pk, days);
  });

  const readGrants = (appid: string, userId: string): GrantMap => {
    const map: GrantMap = {};
    for (const g of q.getGrants.all(appid, userId)) map[g.scope] = g.granted === 1;
    return map;
  };

  const setGrants = db.transaction((appid: string, userId: string, changes: Record<string, boolean | null>): GrantMap => {
    for (const [scope, value] of Object.entries(changes)) {
      if (value === null) q.deleteGrant.run(appid, userId, scope);
      else q.putGrant.run(appid, userId, scope, boolInt(value));
    }
    return readGrants(appid, userId);
  });

  const updateUser = db.transaction((id: string, patch: UserPatch): UserRecord | undefined => {
    const row = q.getUser.get(id);
    if (!row) return undefined;
    const next = { ...toUser(row), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    q.updateUser.run({
      id, nickname: next.nickname, werunEnabled: boolInt(next.werunEnabled), hasStepCounter: boolInt(next.hasStepCounter),
      promptAnswer: next.promptAnswer,
    });
    return next;
  });

  const reset = db.transaction(() => {
    for (const table of ['grants', 'app_users', 'step_models', 'steps', 'users', 'apps']) db.prepare(`DELETE FROM ${table}`).run();
  });

  const updateApp = db.transaction((appid: string, patch: AppPatch): AppRecord | undefined => {
    const row = q.getApp.get(appid);
    if (!row) return undefined;
    const next: AppRecord = { ...toApp(row), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
    q.updateApp.run({ ...next, cloud: boolInt(next.cloud) });
    return next;
  });

  const writeModel = (userPk: number, model: StepModelRecord | null): void => {
    if (model) q.putStepModel.run({ userPk, ...model });
    else q.deleteStepModel.run(userPk);
  };

  const saveGeneratedHistory = db.transaction((userId: string, days: StepDay[], model: StepModelRecord | null) => {
    const pk = pkOf(userId);
    if (pk === undefined) return;
    writeDays(pk, days);
    writeModel(pk, model);
  });

  const setSession = db.transaction((appid: string, userId: string, key: string | null, at: number | null): AppUserRecord | undefined => {
    const row = q.getAppUser.get(appid, userId);
    if (!row) return undefined;
    q.rotateSession.run(key, at, appid, userId);
    return { ...toAppUser(row), sessionKey: key, sessionRotatedAt: at };
  });

  /** Runs a write once no bulk job holds the store, committed with the other writes of this turn. */
  const write = <T>(run: () => T): Promise<T> => handle.write(run);

  const claimToken = db.transaction((proposed: string, replace: boolean): string => {
    const kept = q.getToken.get()?.value;
    if (kept !== undefined && !replace) return kept;
    q.putToken.run(proposed);
    return proposed;
  });

  return {
    claimControlToken: (proposed, replace) => write(() => claimToken.immediate(proposed, replace)),
    async getControlToken() {
      return q.getToken.get()?.value;
    },
    createApp: (app) => write(() => void q.insertApp.run({ ...app, cloud: boolInt(app.cloud) })),
    async getApp(appid) {
      const r = q.getApp.get(appid);
      return r && toApp(r);
    },
    async listApps() {
      return q.listApps.all().map(toApp);
    },
    updateApp: (appid, patch) => write(() => updateApp.immediate(appid, patch)),
    createUser: (user) => write(() => void q.insertUser.run(userParams(user))),
    deleteUser: (id) => write(() => q.deleteUser.run(id).changes > 0),
    async createUsersWithSteps(batches) {
      await handle.bulk(async (conn, pause) => {
        const writeUser = prepareUserRowsWriter(conn);
        for await (const batch of batches) {
          for (const u of batch) {
            writeUser(u.user, u.days, u.stepModel);
            await pause();
          }
        }
      });
    },
    deleteUsers: (ids) =>
      handle.bulk(async (conn, pause) => {
        const remove = conn.prepare<[string]>('DELETE FROM users WHERE id = ?');
        let deleted = 0;
        for (const id of ids) {
          deleted += remove.run(id).changes;
          await pause();
        }
        return deleted;
      }),
    async getUser(id) {
      const r = q.getUser.get(id);
      return r && toUser(r);
    },
    async getUserByDeviceToken(token) {
      const r = q.getUserByToken.get(token);
      return r && toUser(r);
    },
    async listUsers({ limit, after, prefix }) {
      const from = afterKey(after);
      if (!prefix) return pageOf(q.listUsers.all(from, limit + 1), limit, toUser, (r) => String(r.pk));
      const [low, high] = prefixRange(prefix);
      const counts = q.prefixCounts.get({ low, high, cap: SEARCH_LOOKUP_LIMIT + 1 })!;
      const search = { low, high, after: from, limit: limit + 1 };
      const common = Math.max(counts.ids, counts.nicknames, counts.tokens) > SEARCH_LOOKUP_LIMIT;
      const page = pageOf((common ? q.scanUsers : q.lookUpUsers).all(search), limit, toUser, (r) => String(r.pk));
      if (!common || page.next !== undefined) return page;
      if (page.next !== undefined) return page;
      // Fewer matches than asked for in this window: go on after the window, unless it reached the last user.
      const end = q.windowEnd.get(from);
      return end ? { items: page.items, next: String(end.pk) } : page;
    },
    async countUsers() {
      return q.countUsers.get()!.n;
    },
    updateUser: (id, patch) => write(() => updateUser.immediate(id, patch)),
    putSteps: (userId, days) => write(() => putSteps.immediate(userId, days)),
    async getSteps(userId, from: ChinaDate, to: ChinaDate) {
      const pk = pkOf(userId);
      if (pk === undefined) return [];
      return unpackDays(q.getSteps.get(pk, dayOf(from), dayOf(to))!.packed);
    },
    saveGeneratedHistory: (userId, days, model) => write(() => saveGeneratedHistory.immediate(userId, days, model)),
    async getStepModel(userId) {
      const r = q.getStepModel.get(userId);
      return r && toStepModel(r);
    },
    recordLogin: (change) => write(() => recordLogin.immediate(change)),
    async getAppUser(appid, userId) {
      const r = q.getAppUser.get(appid, userId);
      return r && toAppUser(r);
    },
    async getAppUserByOpenid(appid, openid) {
      const r = q.getAppUserByOpenid.get(appid, openid);
      return r && toAppUser(r);
    },
    async listAppUsers(appid, { limit, after }) {
      const rows = q.listAppUsers.all(appid, afterKey(after), limit + 1);
      return pageOf(rows, limit, (r) => ({ ...toAppUser(r), grants: readGrants(r.appid, r.user_id) }), (r) => String(r.user_pk));
    },
    rotateSessionKey: (appid, userId, sessionKey, now) => write(() => setSession.immediate(appid, userId, sessionKey, now)),
    expireSessionKey: (appid, userId) =>
      write(() => {
        const current = q.getAppUser.get(appid, userId);
        return current && setSession.immediate(appid, userId, null, current.session_rotated_at);
      }),
    async getGrants(appid, userId) {
      return readGrants(appid, userId);
    },
    setGrants: (appid, userId, changes) => write(() => setGrants.immediate(appid, userId, changes)),
    reset: () => write(() => reset.immediate()),
  };
}

/** The durable tables, children first (the order to empty them in). */
export const DURABLE_TABLES = ['grants', 'app_users', 'step_models', 'steps', 'users', 'apps'] as const;
