/**
 * Opens the embedded SQLite database (WAL) and brings its schema to the current version. One file holds both stores.
 * The pragmas were chosen by `bench/scale-users.mjs` (seeding 1M users × 31 days): a 64 MiB page cache keeps the
 * random-keyed unique indexes (user id, device token) in memory while batches append to the per-user tables, and a
 * larger auto-checkpoint rewrites hot pages into the file less often.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrateSqlite } from './migrations.js';

/** An open better-sqlite3 database. */
export type SqliteDatabase = Database.Database;

/** Pages of WAL written before SQLite copies them back into the file (default 1000). */
const WAL_AUTOCHECKPOINT_PAGES = 4000;

function tune(db: SqliteDatabase): void {
  if (!db.memory) {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    db.pragma('journal_size_limit = 67108864');
  }
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

/** Opens (creating if needed) the database in `dataDir`, or an in-memory one, at the current schema version. */
export function openSqliteDatabase(options: { memory: boolean; dataDir: string }): SqliteDatabase {
  let db: SqliteDatabase;
  if (options.memory) db = new Database(':memory:');
  else {
    mkdirSync(options.dataDir, { recursive: true });
    db = new Database(join(options.dataDir, 'openrun.sqlite'));
  }
  tune(db);
  migrateSqlite(db);
  return db;
}

/**
 * A second connection to the same file, for work that must not share the main connection's transaction: a long bulk
 * transaction (readers on the main connection keep seeing the state before it) or a consistent snapshot for an export.
 * In-memory databases have none.
 */
export function openSqliteCompanion(db: SqliteDatabase, options: { readonly: boolean }): SqliteDatabase | undefined {
  if (db.memory) return undefined;
  const companion = new Database(db.name, { readonly: options.readonly, fileMustExist: true });
  tune(companion);
  return companion;
}
