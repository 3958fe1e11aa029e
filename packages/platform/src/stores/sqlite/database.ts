/**
 * Opens the embedded SQLite database (WAL) and brings its schema to the current version (`PRAGMA user_version`), in
 * one transaction. One file holds both stores. The pragmas were measured with `bench/scale-users.mjs` (seeding users ×
 * 31 days): a 64 MiB page cache keeps the random-keyed unique indexes (user id, device token) in memory while batches
 * append to the per-user tables, and a larger auto-checkpoint copies hot pages back into the file less often.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pendingMigrations } from '../schema-version.js';
import { keyTag } from './key-tag.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { checkOpenedStore, checkStoreFolder, openFailure } from './store-check.js';

/** An open better-sqlite3 database. */
export type SqliteDatabase = Database.Database;

/** The schema version this OpenRun writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/** Migrates `db` (named `where` in messages) to the current schema; refuses a newer one. */
export function migrateSqliteDatabase(db: SqliteDatabase, where: string): void {
  db.function('openrun_key_tag', { deterministic: true }, (key: unknown) => keyTag(String(key)));
  const migrate = db.transaction(() => {
    const found = db.pragma('user_version', { simple: true }) as number;
    const pending = pendingMigrations(SQLITE_MIGRATIONS, found, where);
    for (const m of pending) db.exec(m.step);
    if (pending.length > 0) db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  });
  // IMMEDIATE: two processes opening one old file at once migrate it once, one after the other.
  migrate.immediate();
}

/** Pages of WAL written before SQLite copies them back into the file (default 1000), when no checkpoint worker runs. */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

function tune(db: SqliteDatabase, readonly: boolean): void {
  if (!db.memory && !readonly) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma('journal_size_limit = 67108864');
  }
  // A snapshot reads each page once, in order: a small cache is enough, and keeps an export's memory flat.
  db.pragma(readonly ? 'cache_size = -8192' : 'cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/**
 * A second connection to the same file, for work that must not share the main connection's transaction: a long bulk
 * transaction (readers on the main connection keep seeing the state before it) or a consistent snapshot for an export.
 * In-memory databases have none.
 */
export function openSqliteCompanion(db: SqliteDatabase, options: { readonly: boolean }): SqliteDatabase | undefined {
  if (db.memory) return undefined;
  const companion = new Database(db.name, { readonly: options.readonly, fileMustExist: true });
  tune(companion, options.readonly);
  return companion;
}

/** Opens (creating if needed) the database in `dataDir`, or an in-memory one. */
export function openSqliteDatabase(options: { memory: boolean; dataDir: string }): SqliteDatabase {
  let db: SqliteDatabase;
  const file = join(options.dataDir, 'openrun.sqlite');
  if (options.memory) db = new Database(':memory:');
  else {
    checkStoreFolder(options.dataDir);
    let opened: SqliteDatabase | undefined;
    try {
      opened = new Database(file);
      opened.pragma('journal_mode = WAL');
      opened.pragma('synchronous = NORMAL');
      checkOpenedStore(opened, file);
    } catch (error) {
      opened?.close();
      throw openFailure(error, file);
    }
    db = opened;
  }
  tune(db, false);
  try {
    migrateSqliteDatabase(db, options.memory ? 'the in-memory store' : `the SQLite store ${file}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
