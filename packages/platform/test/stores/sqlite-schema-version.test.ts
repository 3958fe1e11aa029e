/**
 * Schema versions on the embedded store: a file written by OpenRun before schema versions existed (the schema and data
 * below are what `main` wrote then) opens after the upgrade with all its data; a file from a newer OpenRun is refused
 * with both version numbers; a migration that fails leaves the file as it was.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { buildPlatform } from '@openrun/platform';
import { code2sessionPath, startTestPlatform } from '../helpers/platform.js';

/** The schema of the SQLite store as OpenRun wrote it before this upgrade (commit ed9e44e, stores/sqlite/database.ts). */
const SCHEMA_BEFORE_VERSIONS = `
CREATE TABLE IF NOT EXISTS apps (
  appid TEXT PRIMARY KEY, secret TEXT NOT NULL, platform TEXT NOT NULL, name TEXT NOT NULL,
  cloud INTEGER NOT NULL, cloud_env TEXT, base_lib_version TEXT NOT NULL, open_platform_id TEXT,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, nickname TEXT NOT NULL, device_token TEXT NOT NULL UNIQUE,
  werun_enabled INTEGER NOT NULL, has_step_counter INTEGER NOT NULL, prompt_answer TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS steps (
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE, date TEXT NOT NULL, steps INTEGER NOT NULL,
  PRIMARY KEY (user_id, date)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS step_models (
  user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE, seed INTEGER NOT NULL, baseline INTEGER NOT NULL,
  weekend_factor REAL NOT NULL, rest_day_chance REAL NOT NULL, through TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS app_users (
  appid TEXT NOT NULL REFERENCES apps(appid) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  openid TEXT NOT NULL, unionid TEXT, session_key TEXT, session_rotated_at INTEGER,
  PRIMARY KEY (appid, user_id), UNIQUE (appid, openid));
CREATE TABLE IF NOT EXISTS grants (
  appid TEXT NOT NULL, user_id TEXT NOT NULL, scope TEXT NOT NULL, granted INTEGER NOT NULL,
  PRIMARY KEY (appid, user_id, scope),
  FOREIGN KEY (appid, user_id) REFERENCES app_users(appid, user_id) ON DELETE CASCADE) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS login_codes (
  code TEXT PRIMARY KEY, appid TEXT NOT NULL, user_id TEXT NOT NULL, expires_at INTEGER NOT NULL,
  used INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS access_tokens (
  token TEXT PRIMARY KEY, appid TEXT NOT NULL, kind TEXT NOT NULL, issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL, superseded_until INTEGER);
CREATE INDEX IF NOT EXISTS access_tokens_latest ON access_tokens (appid, kind, issued_at);
CREATE TABLE IF NOT EXISTS cloud_ids (
  cloud_id TEXT PRIMARY KEY, appid TEXT NOT NULL, openid TEXT NOT NULL, payload TEXT NOT NULL,
  expires_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS counters (
  key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID;
`;

const FAR = 4_000_000_000_000;
const APPID = 'wx0123456789abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';
const OPENID = 'oAbCdEfGhIjKlMnOpQrStUvWxYz0';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openrun-schema-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a store the way OpenRun did before schema versions, with one of everything in it. */
function writeOldStore(): void {
  const db = new Database(join(dir, 'openrun.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_BEFORE_VERSIONS);
  db.prepare('INSERT INTO apps VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(APPID, SECRET, 'weapp', 'Old app', 1, 'openrun-abcdef', '3.7.0', null, 1_700_000_000_000);
  db.prepare('INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?)').run('u_old', 'Old user', 'dt_old', 1, 1, 'accept', 1_700_000_000_001);
  db.prepare('INSERT INTO steps VALUES (?, ?, ?)').run('u_old', '2026-11-30', 4321);
  db.prepare('INSERT INTO steps VALUES (?, ?, ?)').run('u_old', '2026-12-01', 8765);
  db.prepare('INSERT INTO step_models VALUES (?, ?, ?, ?, ?, ?)').run('u_old', 7, 8000, 1.2, 0.1, '2026-12-01');
  db.prepare('INSERT INTO app_users VALUES (?, ?, ?, ?, ?, ?)').run(APPID, 'u_old', OPENID, null, 'c2Vzc2lvbmtleTEyMzQ1Ng==', 1_700_000_000_002);
  db.prepare('INSERT INTO grants VALUES (?, ?, ?, ?)').run(APPID, 'u_old', 'scope.werun', 1);
  db.prepare('INSERT INTO login_codes VALUES (?, ?, ?, ?, ?)').run('code_old', APPID, 'u_old', FAR, 0);
  db.prepare('INSERT INTO access_tokens VALUES (?, ?, ?, ?, ?, ?)').run('token_old', APPID, 'normal', 1_700_000_000_003, FAR, null);
  db.prepare('INSERT INTO cloud_ids VALUES (?, ?, ?, ?, ?)').run('cloud_old', APPID, OPENID, '{"x":1}', FAR);
  db.prepare('INSERT INTO counters VALUES (?, ?, ?)').run('c2s:x', 3, FAR);
  expect(db.pragma('user_version', { simple: true })).toBe(0);
  db.close();
}

it('a store written before schema versions opens after the upgrade with all its data, and its code still exchanges once', async () => {
  writeOldStore();
  const p = await startTestPlatform({ memory: false, dataDir: dir });
  try {
    const doc = (await p.control<Record<string, any>>('GET', '/export')).body;
    expect(doc.apps).toEqual([
      { appid: APPID, secret: SECRET, platform: 'weapp', name: 'Old app', cloud: true, cloudEnv: 'openrun-abcdef', baseLibVersion: '3.7.0', openPlatformId: null, createdAt: 1_700_000_000_000 },
    ]);
    expect(doc.users).toEqual([
      {
        id: 'u_old', nickname: 'Old user', deviceToken: 'dt_old', werunEnabled: true, hasStepCounter: true, promptAnswer: 'accept',
        createdAt: 1_700_000_000_001,
        steps: [{ date: '2026-11-30', steps: 4321 }, { date: '2026-12-01', steps: 8765 }],
        stepModel: { seed: 7, baseline: 8000, weekendFactor: 1.2, restDayChance: 0.1, through: '2026-12-01' },
      },
    ]);
    expect(doc.appUsers).toEqual([
      { appid: APPID, userId: 'u_old', openid: OPENID, unionid: null, sessionKey: 'c2Vzc2lvbmtleTEyMzQ1Ng==', sessionRotatedAt: 1_700_000_000_002, grants: { 'scope.werun': true } },
    ]);
    expect(doc.ephemeral).toEqual({
      loginCodes: [{ code: 'code_old', appid: APPID, userId: 'u_old', expiresAt: FAR, used: false }],
      accessTokens: [{ token: 'token_old', appid: APPID, kind: 'normal', issuedAt: 1_700_000_000_003, expiresAt: FAR, supersededUntil: null }],
      cloudIds: [{ cloudId: 'cloud_old', appid: APPID, openid: OPENID, payload: '{"x":1}', expiresAt: FAR }],
      counters: [{ key: 'c2s:x', value: 3, expiresAt: FAR }],
    });
    const app = { appid: APPID, secret: SECRET, platform: 'weapp' as const, cloud: true };
    const first = await p.request<{ openid?: string; errcode?: number }>('GET', code2sessionPath(app, 'code_old'));
    expect(first.body.openid).toBe(OPENID);
    expect((await p.request<{ errcode?: number }>('GET', code2sessionPath(app, 'code_old'))).body.errcode).toBe(40163);
  } finally {
    await p.close();
  }
  const db = new Database(join(dir, 'openrun.sqlite'), { readonly: true });
  expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
  db.close();
});

it('a store from a newer OpenRun is refused with both version numbers, and left untouched', async () => {
  const db = new Database(join(dir, 'openrun.sqlite'));
  db.exec('CREATE TABLE future (x INTEGER)');
  db.pragma('user_version = 999');
  db.close();
  const app = buildPlatform({ memory: false, dataDir: dir });
  await expect(app.ready()).rejects.toThrow(/schema version 999, but this OpenRun knows versions up to \d+/);
  await app.close().catch(() => undefined);
  const after = new Database(join(dir, 'openrun.sqlite'), { readonly: true });
  expect(after.pragma('user_version', { simple: true })).toBe(999);
  expect(after.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'apps'").get()).toEqual({ n: 0 });
  after.close();
});

it('a migration that fails part-way leaves the old store as it was (one transaction)', async () => {
  writeOldStore();
  // A table in the way of migration 2 makes it fail after its first statements ran.
  const db = new Database(join(dir, 'openrun.sqlite'));
  db.exec('CREATE TABLE settings (oops INTEGER)');
  db.close();
  const app = buildPlatform({ memory: false, dataDir: dir });
  await expect(app.ready()).rejects.toThrow(/settings already exists/);
  await app.close().catch(() => undefined);
  const after = new Database(join(dir, 'openrun.sqlite'), { readonly: true });
  expect(after.pragma('user_version', { simple: true })).toBe(0);
  expect(after.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name IN ('clock', 'faults', 'request_log')").get()).toEqual({ n: 0 });
  expect(after.prepare('SELECT count(*) AS n FROM steps').get()).toEqual({ n: 2 });
  after.close();
});
