/**
 * The SQLite schema as a list of steps keyed by `PRAGMA user_version`. A database runs the steps above its version,
 * all in one transaction; a database newer than the last step is refused. Version 0 is a file written before versions
 * existed (the version-1 tables, created `IF NOT EXISTS`) or a new file.
 */
import type Database from 'better-sqlite3';

/** One step of the schema. */
export interface SqliteMigration {
  /** The `user_version` the database has after this step. */
  version: number;
  /** What the step changes, for error messages. */
  description: string;
  up(db: Database.Database): void;
}

const V1_TABLES = `
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

/**
 * Version 2, locality: users get an integer key in creation order (`pk`) that every per-user table leads with, so a
 * user's days are adjacent and a batch of new users appends at the end of each table instead of touching pages all
 * over it; days are stored as day numbers (days since 1970-01-01), half the size of the text dates; app users are keyed
 * (appid, user_pk) without a rowid. Ephemeral tables get expiry indexes for the live lists and the retention purge.
 */
const V2_LAYOUT = `
ALTER TABLE users RENAME TO v1_users;
ALTER TABLE steps RENAME TO v1_steps;
ALTER TABLE step_models RENAME TO v1_step_models;
ALTER TABLE app_users RENAME TO v1_app_users;
ALTER TABLE grants RENAME TO v1_grants;
CREATE TABLE users (
  pk INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, nickname TEXT NOT NULL, device_token TEXT NOT NULL UNIQUE,
  werun_enabled INTEGER NOT NULL, has_step_counter INTEGER NOT NULL, prompt_answer TEXT NOT NULL,
  created_at INTEGER NOT NULL);
CREATE TABLE steps (
  user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE, day INTEGER NOT NULL, steps INTEGER NOT NULL,
  PRIMARY KEY (user_pk, day)) WITHOUT ROWID;
CREATE TABLE step_models (
  user_pk INTEGER PRIMARY KEY REFERENCES users(pk) ON DELETE CASCADE, seed INTEGER NOT NULL, baseline INTEGER NOT NULL,
  weekend_factor REAL NOT NULL, rest_day_chance REAL NOT NULL, through TEXT NOT NULL);
CREATE TABLE app_users (
  appid TEXT NOT NULL REFERENCES apps(appid) ON DELETE CASCADE,
  user_pk INTEGER NOT NULL REFERENCES users(pk) ON DELETE CASCADE,
  openid TEXT NOT NULL, unionid TEXT, session_key TEXT, session_rotated_at INTEGER,
  PRIMARY KEY (appid, user_pk), UNIQUE (appid, openid)) WITHOUT ROWID;
CREATE INDEX app_users_by_user ON app_users (user_pk);
CREATE TABLE grants (
  appid TEXT NOT NULL, user_pk INTEGER NOT NULL, scope TEXT NOT NULL, granted INTEGER NOT NULL,
  PRIMARY KEY (appid, user_pk, scope),
  FOREIGN KEY (appid, user_pk) REFERENCES app_users(appid, user_pk) ON DELETE CASCADE) WITHOUT ROWID;
INSERT INTO users (id, nickname, device_token, werun_enabled, has_step_counter, prompt_answer, created_at)
  SELECT id, nickname, device_token, werun_enabled, has_step_counter, prompt_answer, created_at FROM v1_users
  ORDER BY created_at, rowid;
INSERT INTO steps (user_pk, day, steps)
  SELECT u.pk, CAST(julianday(s.date) - 2440587.5 AS INTEGER), s.steps FROM v1_steps s JOIN users u ON u.id = s.user_id
  ORDER BY u.pk, s.date;
INSERT INTO step_models SELECT u.pk, m.seed, m.baseline, m.weekend_factor, m.rest_day_chance, m.through
  FROM v1_step_models m JOIN users u ON u.id = m.user_id;
INSERT INTO app_users SELECT a.appid, u.pk, a.openid, a.unionid, a.session_key, a.session_rotated_at
  FROM v1_app_users a JOIN users u ON u.id = a.user_id;
INSERT INTO grants SELECT g.appid, u.pk, g.scope, g.granted FROM v1_grants g JOIN users u ON u.id = g.user_id;
DROP TABLE v1_grants;
DROP TABLE v1_app_users;
DROP TABLE v1_step_models;
DROP TABLE v1_steps;
DROP TABLE v1_users;
CREATE INDEX login_codes_expiry ON login_codes (expires_at);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at, token);
CREATE INDEX cloud_ids_expiry ON cloud_ids (expires_at, cloud_id);
CREATE INDEX counters_expiry ON counters (expires_at);
`;

/** Every step, oldest first. */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  { version: 1, description: 'apps, users, steps, app users, grants, codes, tokens, cloudIDs, counters', up: (db) => db.exec(V1_TABLES) },
  { version: 2, description: 'integer user keys, day numbers and expiry indexes (locality)', up: (db) => db.exec(V2_LAYOUT) },
];

/** The version a database has once every step ran. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]!.version;

/** Brings `db` to the last version in one transaction; refuses a database written by a newer OpenRun. */
export function migrateSqlite(db: Database.Database, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const last = migrations[migrations.length - 1]!.version;
  if (current > last) {
    throw new Error(`[openrun] the store ${db.name} has schema version ${current}, newer than this OpenRun knows (${last}): upgrade OpenRun`);
  }
  const pending = migrations.filter((m) => m.version > current);
  if (pending.length === 0) return;
  // Tables are rebuilt with their references: foreign keys are checked once, after every step (the pragma cannot change
  // inside a transaction).
  const enforced = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) m.up(db);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`[openrun] migrating ${db.name} left ${broken.length} broken references; nothing was changed`);
      db.pragma(`user_version = ${last}`);
    }).immediate();
  } finally {
    if (enforced) db.pragma('foreign_keys = ON');
  }
}
