/**
 * The durable store on SQLite (better-sqlite3). Multi-row changes run in one IMMEDIATE transaction.
 */
import type { ChinaDate } from '@openrun/core';
import type { AppPatch, DurableStore, GrantMap, LoginChange, UserPatch, UserWithSteps } from '../durable-store.js';
import { pageOf } from '../page.js';
import type { AppRecord, AppUserRecord, StepDay, UserRecord } from '../records.js';
import type { DurableSnapshot, StepModelRecord } from '../state-snapshot.js';
import type { SqliteDatabase } from './database.js';

interface AppRow {
  appid: string; secret: string; platform: string; name: string; cloud: number; cloud_env: string | null;
  base_lib_version: string; open_platform_id: string | null; created_at: number;
}
interface UserRow {
  seq?: number; id: string; nickname: string; device_token: string; werun_enabled: number; has_step_counter: number;
  prompt_answer: string; created_at: number;
}
interface AppUserRow {
  seq?: number; appid: string; user_id: string; openid: string; unionid: string | null; session_key: string | null;
  session_rotated_at: number | null;
}

interface StepModelRow {
  user_id: string; seed: number; baseline: number; weekend_factor: number; rest_day_chance: number; through: string;
}

const toStepModel = (r: StepModelRow): StepModelRecord => ({
  seed: r.seed, baseline: r.baseline, weekendFactor: r.weekend_factor, restDayChance: r.rest_day_chance, through: r.through,
});
const toApp = (r: AppRow): AppRecord => ({
  appid: r.appid, secret: r.secret, platform: r.platform as AppRecord['platform'], name: r.name, cloud: r.cloud === 1,
  cloudEnv: r.cloud_env, baseLibVersion: r.base_lib_version, openPlatformId: r.open_platform_id, createdAt: r.created_at,
});
const toUser = (r: UserRow): UserRecord => ({
  id: r.id, nickname: r.nickname, deviceToken: r.device_token, werunEnabled: r.werun_enabled === 1,
  hasStepCounter: r.has_step_counter === 1, promptAnswer: r.prompt_answer as UserRecord['promptAnswer'], createdAt: r.created_at,
});
const toAppUser = (r: AppUserRow): AppUserRecord => ({
  appid: r.appid, userId: r.user_id, openid: r.openid, unionid: r.unionid, sessionKey: r.session_key,
  sessionRotatedAt: r.session_rotated_at,
});

/** The SQLite durable store, with the synchronous steps the backend composes into one transaction. */
export interface SqliteDurableStore extends DurableStore {
  importSync(snapshot: DurableSnapshot): void;
  resetSync(): void;
}
/** Bounds of the strings that start with `prefix`, for an index range scan. */
const prefixRange = (prefix: string): [string, string] => [prefix, `${prefix}\u{10FFFF}`];

/** Creates the SQLite durable store on an open database. */
export function createSqliteDurableStore(db: SqliteDatabase): SqliteDurableStore {
  const q = {
    insertApp: db.prepare(
      `INSERT INTO apps VALUES (@appid, @secret, @platform, @name, @cloud, @cloudEnv, @baseLibVersion, @openPlatformId, @createdAt)`,
    ),
    getApp: db.prepare<[string], AppRow>('SELECT * FROM apps WHERE appid = ?'),
    listApps: db.prepare<[], AppRow>('SELECT * FROM apps ORDER BY created_at, appid'),
    insertUser: db.prepare(
      `INSERT INTO users VALUES (@id, @nickname, @deviceToken, @werunEnabled, @hasStepCounter, @promptAnswer, @createdAt)`,
    ),
    getUser: db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?'),
    getUserByToken: db.prepare<[string], UserRow>('SELECT * FROM users WHERE device_token = ?'),
    listUsers: db.prepare<[number, number], UserRow>('SELECT rowid AS seq, * FROM users WHERE rowid > ? ORDER BY rowid LIMIT ?'),
    findUsers: db.prepare<[number, string, string, string, string, string, string, number], UserRow>(
      `SELECT rowid AS seq, * FROM users WHERE rowid > ?
       AND ((id >= ? AND id < ?) OR (nickname >= ? AND nickname < ?) OR (device_token >= ? AND device_token < ?))
       ORDER BY rowid LIMIT ?`,
    ),
    countUsers: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
    updateUser: db.prepare(
      `UPDATE users SET nickname = @nickname, werun_enabled = @werunEnabled, has_step_counter = @hasStepCounter,
       prompt_answer = @promptAnswer WHERE id = @id`,
    ),
    putStep: db.prepare('INSERT OR REPLACE INTO steps (user_id, date, steps) VALUES (?, ?, ?)'),
    getSteps: db.prepare<[string, string, string], StepDay>(
      'SELECT date, steps FROM steps WHERE user_id = ? AND date >= ? AND date <= ? ORDER BY date',
    ),
    getAppUser: db.prepare<[string, string], AppUserRow>('SELECT * FROM app_users WHERE appid = ? AND user_id = ?'),
    getAppUserByOpenid: db.prepare<[string, string], AppUserRow>('SELECT * FROM app_users WHERE appid = ? AND openid = ?'),
    insertAppUser: db.prepare(
      `INSERT INTO app_users VALUES (@appid, @userId, @openid, @unionid, @sessionKey, @sessionRotatedAt)`,
    ),
    updateApp: db.prepare(
      `UPDATE apps SET name = @name, cloud = @cloud, cloud_env = @cloudEnv, base_lib_version = @baseLibVersion,
       open_platform_id = @openPlatformId WHERE appid = @appid`,
    ),
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
    putStepModel: db.prepare(
      'INSERT OR REPLACE INTO step_models VALUES (@userId, @seed, @baseline, @weekendFactor, @restDayChance, @through)',
    ),
    deleteStepModel: db.prepare('DELETE FROM step_models WHERE user_id = ?'),
    getStepModel: db.prepare<[string], StepModelRow>('SELECT * FROM step_models WHERE user_id = ?'),
    listAppUsers: db.prepare<[string, number, number], AppUserRow>(
      'SELECT rowid AS seq, * FROM app_users WHERE appid = ? AND rowid > ? ORDER BY rowid LIMIT ?',
    ),
    rotateSession: db.prepare('UPDATE app_users SET session_key = ?, session_rotated_at = ? WHERE appid = ? AND user_id = ?'),
    getGrants: db.prepare<[string, string], { scope: string; granted: number }>(
      'SELECT scope, granted FROM grants WHERE appid = ? AND user_id = ? ORDER BY scope',
    ),
    putGrant: db.prepare('INSERT OR REPLACE INTO grants VALUES (?, ?, ?, ?)'),
    deleteGrant: db.prepare('DELETE FROM grants WHERE appid = ? AND user_id = ? AND scope = ?'),
    getToken: db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'control_token'"),
    putToken: db.prepare("INSERT OR REPLACE INTO settings VALUES ('control_token', ?)"),
  };

  const boolInt = (b: boolean): number => (b ? 1 : 0);
  /** A page position is a row's integer key; anything else (a forged cursor) lies after every row. */
  const afterKey = (after: string | undefined): number =>
    after === undefined ? 0 : /^\d{1,15}$/.test(after) ? Number(after) : Number.MAX_SAFE_INTEGER;
  const seqOf = (r: { seq?: number }): string => String(r.seq);

  const recordLogin = db.transaction((c: LoginChange): AppUserRecord => {
    const row = q.getAppUser.get(c.appid, c.userId);
    if (!row) {
      const created: AppUserRecord = {
        appid: c.appid, userId: c.userId, openid: c.newOpenid, unionid: c.newUnionid, sessionKey: c.newSessionKey,
        sessionRotatedAt: c.newSessionKey === null ? null : c.now,
      };
      q.insertAppUser.run(created);
      return created;
    }
    const current = toAppUser(row);
    if (c.newSessionKey === null) return current;
    const due = current.sessionKey === null || current.sessionRotatedAt === null || c.now - current.sessionRotatedAt >= c.minRotationMs;
    if (!due) return current;
    q.rotateSession.run(c.newSessionKey, c.now, c.appid, c.userId);
    return { ...current, sessionKey: c.newSessionKey, sessionRotatedAt: c.now };
  });

  const putSteps = db.transaction((userId: string, days: StepDay[]) => {
    for (const d of days) q.putStep.run(userId, d.date, d.steps);
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

  const insertUser = (user: UserRecord): void => {
    q.insertUser.run({ ...user, werunEnabled: boolInt(user.werunEnabled), hasStepCounter: boolInt(user.hasStepCounter) });
  };
  const writeModel = (userId: string, model: StepModelRecord | null): void => {
    if (model) q.putStepModel.run({ userId, ...model });
    else q.deleteStepModel.run(userId);
  };

  const createUsersWithSteps = db.transaction((users: UserWithSteps[]) => {
    for (const u of users) {
      insertUser(u.user);
      for (const d of u.days) q.putStep.run(u.user.id, d.date, d.steps);
      if (u.stepModel) writeModel(u.user.id, u.stepModel);
    }
  });

  const saveGeneratedHistory = db.transaction((userId: string, days: StepDay[], model: StepModelRecord | null) => {
    for (const d of days) q.putStep.run(userId, d.date, d.steps);
    writeModel(userId, model);
  });

  const setSession = (appid: string, userId: string, key: string | null, at: number | null): AppUserRecord | undefined => {
    const row = q.getAppUser.get(appid, userId);
    if (!row) return undefined;
    q.rotateSession.run(key, at, appid, userId);
    return { ...toAppUser(row), sessionKey: key, sessionRotatedAt: at };
  };

  const exportState = db.transaction((): DurableSnapshot => {
    const stepsOf = db.prepare<[string], StepDay>('SELECT date, steps FROM steps WHERE user_id = ? ORDER BY date');
    const appUsers = db.prepare<[], AppUserRow>('SELECT * FROM app_users ORDER BY appid, user_id').all();
    return {
      apps: q.listApps.all().map(toApp),
      users: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY rowid').all().map((r) => {
        const model = q.getStepModel.get(r.id);
        return { ...toUser(r), steps: stepsOf.all(r.id).map((d) => ({ date: d.date, steps: d.steps })), stepModel: model ? toStepModel(model) : null };
      }),
      appUsers: appUsers.map((r) => ({ ...toAppUser(r), grants: readGrants(r.appid, r.user_id) })),
    };
  });

  const importState = db.transaction((snapshot: DurableSnapshot) => {
    reset();
    for (const a of snapshot.apps) q.insertApp.run({ ...a, cloud: boolInt(a.cloud) });
    for (const u of snapshot.users) {
      insertUser(u);
      for (const d of u.steps) q.putStep.run(u.id, d.date, d.steps);
      if (u.stepModel) writeModel(u.id, u.stepModel);
    }
    for (const au of snapshot.appUsers) {
      q.insertAppUser.run(au);
      for (const [scope, granted] of Object.entries(au.grants)) q.putGrant.run(au.appid, au.userId, scope, boolInt(granted));
    }
  });

  const claimToken = db.transaction((proposed: string, replace: boolean): string => {
    const kept = q.getToken.get()?.value;
    if (kept !== undefined && !replace) return kept;
    q.putToken.run(proposed);
    return proposed;
  });

  return {
    importSync: (snapshot) => importState(snapshot),
    resetSync: () => reset(),
    async claimControlToken(proposed, replace) {
      return claimToken.immediate(proposed, replace);
    },
    async getControlToken() {
      return q.getToken.get()?.value;
    },
    async createApp(app) {
      q.insertApp.run({ ...app, cloud: boolInt(app.cloud) });
    },
    async getApp(appid) {
      const r = q.getApp.get(appid);
      return r && toApp(r);
    },
    async listApps() {
      return q.listApps.all().map(toApp);
    },
    async updateApp(appid, patch) {
      return updateApp.immediate(appid, patch);
    },
    async createUser(user) {
      insertUser(user);
    },
    async deleteUser(id) {
      return q.deleteUser.run(id).changes > 0;
    },
    async createUsersWithSteps(users) {
      createUsersWithSteps.immediate(users);
    },
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
      const rows = prefix
        ? q.findUsers.all(from, ...prefixRange(prefix), ...prefixRange(prefix), ...prefixRange(prefix), limit + 1)
        : q.listUsers.all(from, limit + 1);
      return pageOf(rows, limit, toUser, seqOf);
    },
    async countUsers() {
      return q.countUsers.get()!.n;
    },
    async updateUser(id, patch) {
      return updateUser.immediate(id, patch);
    },
    async putSteps(userId, days) {
      putSteps.immediate(userId, days);
    },
    async getSteps(userId, from: ChinaDate, to: ChinaDate) {
      return q.getSteps.all(userId, from, to).map((r) => ({ date: r.date, steps: r.steps }));
    },
    async saveGeneratedHistory(userId, days, model) {
      saveGeneratedHistory.immediate(userId, days, model);
    },
    async getStepModel(userId) {
      const r = q.getStepModel.get(userId);
      return r && toStepModel(r);
    },
    async recordLogin(change) {
      return recordLogin.immediate(change);
    },
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
      return pageOf(rows, limit, (r) => ({ ...toAppUser(r), grants: readGrants(r.appid, r.user_id) }), seqOf);
    },
    async rotateSessionKey(appid, userId, sessionKey, now) {
      return setSession(appid, userId, sessionKey, now);
    },
    async expireSessionKey(appid, userId) {
      const current = q.getAppUser.get(appid, userId);
      return current && setSession(appid, userId, null, current.session_rotated_at);
    },
    async getGrants(appid, userId) {
      return readGrants(appid, userId);
    },
    async setGrants(appid, userId, changes) {
      return setGrants.immediate(appid, userId, changes);
    },
    async reset() {
      reset.immediate();
    },
    async exportState() {
      return exportState.deferred();
    },
    async importState(snapshot) {
      importState.immediate(snapshot);
    },
  };
}
