/**
 * Opens the embedded SQLite database (WAL) and brings its schema to the current version (`PRAGMA user_version`), in
 * one transaction. One file holds both stores.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pendingMigrations } from '../schema-version.js';
import { SQLITE_MIGRATIONS } from './migrations.js';
import { checkOpenedStore, checkStoreFolder, openFailure } from './store-check.js';

/** An open better-sqlite3 database. */
export type SqliteDatabase = Database.Database;

/** The schema version this OpenRun writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/** Migrates `db` (named `where` in messages) to the current schema; refuses a newer one. */
export function migrateSqliteDatabase(db: SqliteDatabase, where: string): void {
  const migrate = db.transaction(() => {
    const found = db.pragma('user_version', { simple: true }) as number;
    const pending = pendingMigrations(SQLITE_MIGRATIONS, found, where);
    for (const m of pending) db.exec(m.step);
    if (pending.length > 0) db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  });
  // IMMEDIATE: two processes opening one old file at once migrate it once, one after the other.
  migrate.immediate();
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
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrateSqliteDatabase(db, options.memory ? 'the in-memory store' : `the SQLite store ${file}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
