/**
 * Bulk work on the SQLite store without stalling the platform. A bulk job (generate, whole-state import) runs as one
 * IMMEDIATE transaction on a second connection to the file, in slices of about 25 ms with a turn of the event loop
 * between them: requests keep being answered, reads see the state before the job until it commits, and the main
 * connection's writes wait (asynchronously) at the write gate until it is done, so they never meet a locked file.
 * An in-memory database has no second connection: there the job's transaction is on the main connection, and reads
 * made while it runs see its rows before it commits.
 */
import { openSqliteCompanion, type SqliteDatabase } from './database.js';

/** Longest stretch of bulk work between two turns of the event loop, ms. */
const SLICE_MS = 25;

/** The database and the gate that bulk jobs and ordinary writes pass. */
export interface SqliteHandle {
  db: SqliteDatabase;
  /** Waits while a bulk job holds the store; ordinary writes call it first. */
  writable(): Promise<void> | undefined;
  /** Runs `work` as one transaction on the bulk connection; `pause` yields to the event loop when a slice is used up. */
  bulk<T>(work: (conn: SqliteDatabase, pause: () => Promise<void>) => Promise<T>): Promise<T>;
  /** Closes the bulk connection (the owner closes `db`). */
  close(): void;
}

/** Wraps an open database with the write gate and the bulk connection. */
export function createSqliteHandle(db: SqliteDatabase): SqliteHandle {
  let tail: Promise<void> = Promise.resolve();
  let held = 0;
  let companion: SqliteDatabase | undefined;
  const connection = (): SqliteDatabase => (db.memory ? db : (companion ??= openSqliteCompanion(db, { readonly: false })!));

  const writable = (): Promise<void> | undefined => {
    if (held === 0) return undefined;
    return (async () => {
      while (held > 0) await tail;
    })();
  };

  return {
    db,
    writable,
    async bulk(work) {
      const before = tail;
      let release!: () => void;
      tail = new Promise((done) => (release = done));
      held++;
      try {
        await before;
        const conn = connection();
        let sliceStart = performance.now();
        const pause = async (): Promise<void> => {
          if (performance.now() - sliceStart < SLICE_MS) return;
          await new Promise((done) => setImmediate(done));
          sliceStart = performance.now();
        };
        conn.exec('BEGIN IMMEDIATE');
        try {
          const result = await work(conn, pause);
          conn.exec('COMMIT');
          return result;
        } catch (error) {
          if (conn.inTransaction) conn.exec('ROLLBACK');
          throw error;
        }
      } finally {
        held--;
        release();
      }
    },
    close() {
      companion?.close();
      companion = undefined;
    },
  };
}
