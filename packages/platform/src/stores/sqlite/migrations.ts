/**
 * The SQLite schema, as migrations: entry i brings a store from version i to i + 1 (`PRAGMA user_version`). A released
 * migration is never edited; a schema change is a new entry at the end.
 * Version 0 with tables is a store written before versions existed: migration 1 is that schema, written with
 * `IF NOT EXISTS`, so it adopts such a store unchanged.
 */

/** The migrations, oldest first. */
export const SQLITE_MIGRATIONS: readonly string[] = [
  // 1: apps, users, steps, app users, grants, codes, tokens, cloudIDs, counters (the schema before versions).
  `
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
`,
  // 2: what every instance on one store must agree on (docs/shared-state.md): the clock, fault rules with their use
  // counts, the request log, the cloud-function call log, and settings (the control token, counters of ids).
  `
CREATE TABLE clock (id INTEGER PRIMARY KEY CHECK (id = 1), offset_ms INTEGER NOT NULL, frozen_at INTEGER);
CREATE TABLE faults (
  seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, route TEXT NOT NULL, action TEXT NOT NULL, times INTEGER,
  probability REAL, uses INTEGER NOT NULL DEFAULT 0);
CREATE INDEX faults_route ON faults (route, seq);
CREATE TABLE request_log (
  seq INTEGER PRIMARY KEY, at INTEGER NOT NULL, route TEXT NOT NULL, method TEXT NOT NULL, url TEXT NOT NULL,
  status INTEGER NOT NULL, errcode TEXT, duration_ms REAL NOT NULL, fault_id TEXT);
CREATE TABLE function_calls (seq INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
`,
  // 3: issuing a token supersedes only the app's tokens still in force, found through this index, so its cost does not
  // grow with the tokens issued before.
  `
CREATE INDEX access_tokens_in_force ON access_tokens (appid, kind, superseded_until);
`,
  // 4: the request log keeps each call's request and response bodies (redacted, cut at 4096 characters).
  `
ALTER TABLE request_log ADD COLUMN request_body TEXT;
ALTER TABLE request_log ADD COLUMN response_body TEXT;
`,
  // 5: locality. Users get an integer key in creation order (`pk`) that every per-user table leads with, so a user's
  // days are adjacent and a batch of new users appends at the end of each table instead of touching pages all over it;
  // days are day numbers (days since 1970-01-01), half the size of text dates; app users are keyed (appid, user_pk)
  // without a rowid; the ephemeral tables get expiry indexes for the live lists and the retention purge. The old tables
  // are renamed, copied in creation order and dropped, children first, so foreign keys hold at every statement.
  `
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
`,
  // 6: a search (\`q=\`) finds a nickname prefix through an index, without ASCII case (what people type for a name);
  // ids and device tokens keep their exact-case unique indexes.
  `
CREATE INDEX users_nickname ON users (nickname COLLATE NOCASE);
`,
  // 7: access tokens and cloudIDs in issue order (`seq`), found by the tag of their text (key-tag.ts; the function
  // openrun_key_tag while migrating): the unique index of the random texts and the (expiry, text) index put each new
  // key on a page anywhere in a wide index, so each commit wrote a page per key and more of them as keys piled up.
  // The expiry indexes hold the expiry alone (a live list sorts the keys that share one expiry instant by text, as
  // before); the store looks a text up by its tag before it inserts it, so a text is still issued once.
  `
ALTER TABLE access_tokens RENAME TO v6_access_tokens;
CREATE TABLE access_tokens (
  seq INTEGER PRIMARY KEY, tag INTEGER NOT NULL, token TEXT NOT NULL, appid TEXT NOT NULL, kind TEXT NOT NULL,
  issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, superseded_until INTEGER);
INSERT INTO access_tokens (seq, tag, token, appid, kind, issued_at, expires_at, superseded_until)
  SELECT rowid, openrun_key_tag(token), token, appid, kind, issued_at, expires_at, superseded_until FROM v6_access_tokens
  ORDER BY rowid;
DROP TABLE v6_access_tokens;
CREATE INDEX access_tokens_tag ON access_tokens (tag);
CREATE INDEX access_tokens_latest ON access_tokens (appid, kind, issued_at);
CREATE INDEX access_tokens_in_force ON access_tokens (appid, kind, superseded_until);
CREATE INDEX access_tokens_expiry ON access_tokens (expires_at);
ALTER TABLE cloud_ids RENAME TO v6_cloud_ids;
CREATE TABLE cloud_ids (
  seq INTEGER PRIMARY KEY, tag INTEGER NOT NULL, cloud_id TEXT NOT NULL, appid TEXT NOT NULL, openid TEXT NOT NULL,
  payload TEXT NOT NULL, expires_at INTEGER NOT NULL);
INSERT INTO cloud_ids (seq, tag, cloud_id, appid, openid, payload, expires_at)
  SELECT rowid, openrun_key_tag(cloud_id), cloud_id, appid, openid, payload, expires_at FROM v6_cloud_ids ORDER BY rowid;
DROP TABLE v6_cloud_ids;
CREATE INDEX cloud_ids_tag ON cloud_ids (tag);
CREATE INDEX cloud_ids_expiry ON cloud_ids (expires_at);
`,
];
