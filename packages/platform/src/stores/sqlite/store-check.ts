/**
 * The start-up checks of a file-backed SQLite store: the folder and the database file can be written by this
 * process, and the database passes `PRAGMA quick_check`. A store that fails is refused before the platform listens,
 * with the folder and what to do, instead of starting and answering 500 to every write.
 */
import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type Database from 'better-sqlite3';

/** A store OpenRun cannot use; the message names the folder and what to do. */
export class StoreUnusableError extends Error {
  override readonly name = 'StoreUnusableError';
}

function reason(error: unknown): string {
  const e = error as { code?: string; message?: string };
  return e.code ? `${e.code}: ${e.message ?? ''}` : String(e.message ?? error);
}

function ownerHint(dir: string): string {
  const user = process.env.USER ?? process.env.LOGNAME;
  return `run openrun as the user that owns ${dir}${user ? ` (or: chown -R ${user} ${dir})` : ''}, or choose another folder with --data`;
}

/** Checks, before the database is opened, that `dataDir` exists (or can be made) and that this process can write in it. */
export function checkStoreFolder(dataDir: string): void {
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new StoreUnusableError(`[openrun] cannot create the store folder --data ${dir} (${reason(error)}); choose another folder with --data`);
  }
  // A real write, not only access(): root passes access() on a read-only file system.
  const probe = join(dir, `.openrun-write-check-${process.pid}`);
  try {
    accessSync(dir, constants.W_OK);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw new StoreUnusableError(`[openrun] the store folder --data ${dir} is not writable by this process (${reason(error)}); ${ownerHint(dir)}`);
  }
  const file = join(dir, 'openrun.sqlite');
  try {
    accessSync(file, constants.F_OK);
  } catch {
    return;
  }
  try {
    accessSync(file, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new StoreUnusableError(`[openrun] the database file ${file} is not writable by this process (${reason(error)}); ${ownerHint(dir)}`);
  }
}

/** Checks an opened store: `PRAGMA quick_check` passes and a write can begin. */
export function checkOpenedStore(db: Database.Database, file: string): void {
  const damaged = (what: string) =>
    new StoreUnusableError(
      `[openrun] the database file ${file} is damaged (${what}); restore it from a backup or an \`openrun export\`, or move it away to start with an empty store`,
    );
  let problems: string[];
  try {
    problems = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (error) {
    throw damaged(reason(error));
  }
  if (problems.length !== 1 || problems[0] !== 'ok') throw damaged(`PRAGMA quick_check: ${problems.slice(0, 3).join('; ')}`);
  try {
    db.exec('BEGIN IMMEDIATE; CREATE TABLE openrun_write_check (x); ROLLBACK');
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw new StoreUnusableError(`[openrun] the database file ${file} cannot be written (${reason(error)}); ${ownerHint(resolve(file, '..'))}`);
  }
}

/** Turns a failure while opening the file (not a database, unreadable) into a store error naming the file. */
export function openFailure(error: unknown, file: string): StoreUnusableError {
  if (error instanceof StoreUnusableError) return error;
  const e = error as { code?: string };
  if (e.code === 'SQLITE_NOTADB' || e.code === 'SQLITE_CORRUPT') {
    return new StoreUnusableError(
      `[openrun] the database file ${file} is damaged (${reason(error)}); restore it from a backup or an \`openrun export\`, or move it away to start with an empty store`,
    );
  }
  return new StoreUnusableError(`[openrun] the database file ${file} cannot be opened (${reason(error)}); ${ownerHint(resolve(file, '..'))}`);
}
