/**
 * Opens the embedded SQLite database (WAL) and creates the schema. One file holds both stores.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** An open better-sqlite3 database. */
export type SqliteDatabase = Database.Database;

const SCHEMA = `
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

/** Opens (creating if needed) the database in `dataDir`, or an in-memory one. */
export function openSqliteDatabase(options: { memory: boolean; dataDir: string }): SqliteDatabase {
  let db: SqliteDatabase;
  if (options.memory) db = new Database(':memory:');
  else {
    mkdirSync(options.dataDir, { recursive: true });
    db = new Database(join(options.dataDir, 'openrun.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}
