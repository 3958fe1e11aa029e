/**
 * The durable store on SQLite (better-sqlite3). Multi-row changes run in one IMMEDIATE transaction.
 */
import type { ChinaDate } from '@openrun/core';
import type { DurableStore, GrantMap, LoginChange, UserPatch } from '../durable-store.js';
import type { AppRecord, AppUserRecord, StepDay, UserRecord } from '../records.js';
import type { SqliteDatabase } from './database.js';

interface AppRow {
  appid: string; secret: string; platform: string; name: string; cloud: number; cloud_env: string | null;
  base_lib_version: string; open_platform_id: string | null; created_at: number;
}
interface UserRow {
  id: string; nickname: string; device_token: string; werun_enabled: number; has_step_counter: number;
  prompt_answer: string; created_at: number;
}
interface AppUserRow {
  appid: string; user_id: string; openid: string; unionid: string | null; session_key: string | null;
  session_rotated_at: number | null;
}

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

/** Creates the SQLite durable store on an open database. */
export function createSqliteDurableStore(db: SqliteDatabase): DurableStore {
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
    listUsers: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY created_at, rowid'),
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
    rotateSession: db.prepare('UPDATE app_users SET session_key = ?, session_rotated_at = ? WHERE appid = ? AND user_id = ?'),
    getGrants: db.prepare<[string, string], { scope: string; granted: number }>(
      'SELECT scope, granted FROM grants WHERE appid = ? AND user_id = ? ORDER BY scope',
    ),
    putGrant: db.prepare('INSERT OR REPLACE INTO grants VALUES (?, ?, ?, ?)'),
    deleteGrant: db.prepare('DELETE FROM grants WHERE appid = ? AND user_id = ? AND scope = ?'),
  };

  const boolInt = (b: boolean): number => (b ? 1 : 0);

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
    for (const table of ['grants', 'app_users', 'steps', 'users', 'apps']) db.prepare(`DELETE FROM ${table}`).run();
  });

  return {
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
    async createUser(user) {
      q.insertUser.run({ ...user, werunEnabled: boolInt(user.werunEnabled), hasStepCounter: boolInt(user.hasStepCounter) });
    },
    async getUser(id) {
      const r = q.getUser.get(id);
      return r && toUser(r);
    },
    async getUserByDeviceToken(token) {
      const r = q.getUserByToken.get(token);
      return r && toUser(r);
    },
    async listUsers() {
      return q.listUsers.all().map(toUser);
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
    async getGrants(appid, userId) {
      return readGrants(appid, userId);
    },
    async setGrants(appid, userId, changes) {
      return setGrants.immediate(appid, userId, changes);
    },
    async reset() {
      reset.immediate();
    },
  };
}
