/**
 * The PostgreSQL schema, as migrations: entry i brings a database from version i to i + 1 (table
 * `openrun_schema`). A released migration is never edited; a schema change is a new entry at the end.
 * Instants are epoch milliseconds (bigint); `seq` columns keep insertion order where SQLite used its rowid.
 */

/** The migrations, oldest first. */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  // 1: the durable records, the settings (control token) and the ephemeral snapshot of an import being applied.
  `
CREATE TABLE apps (
  appid text PRIMARY KEY, secret text NOT NULL, platform text NOT NULL, name text NOT NULL, cloud boolean NOT NULL,
  cloud_env text, base_lib_version text NOT NULL, open_platform_id text, created_at bigint NOT NULL);
CREATE TABLE users (
  id text PRIMARY KEY, seq bigserial NOT NULL, nickname text NOT NULL, device_token text NOT NULL UNIQUE,
  werun_enabled boolean NOT NULL, has_step_counter boolean NOT NULL, prompt_answer text NOT NULL, created_at bigint NOT NULL);
CREATE UNIQUE INDEX users_seq ON users (seq);
CREATE TABLE steps (
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE, date text NOT NULL, steps integer NOT NULL,
  PRIMARY KEY (user_id, date));
CREATE TABLE step_models (
  user_id text PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE, seed bigint NOT NULL, baseline integer NOT NULL,
  weekend_factor double precision NOT NULL, rest_day_chance double precision NOT NULL, through text NOT NULL);
CREATE TABLE app_users (
  appid text NOT NULL REFERENCES apps(appid) ON DELETE CASCADE,
  user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  seq bigserial NOT NULL, openid text NOT NULL, unionid text, session_key text, session_rotated_at bigint,
  PRIMARY KEY (appid, user_id), UNIQUE (appid, openid));
CREATE INDEX app_users_seq ON app_users (appid, seq);
CREATE TABLE grants (
  appid text NOT NULL, user_id text NOT NULL, scope text NOT NULL, granted boolean NOT NULL,
  PRIMARY KEY (appid, user_id, scope),
  FOREIGN KEY (appid, user_id) REFERENCES app_users(appid, user_id) ON DELETE CASCADE);
CREATE TABLE settings (key text PRIMARY KEY, value text NOT NULL);
CREATE SEQUENCE import_seq;
CREATE TABLE pending_ephemeral_import (id bigint PRIMARY KEY, snapshot jsonb NOT NULL);
`,
];
