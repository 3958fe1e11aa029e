/**
 * Group commit for the main SQLite connection: the writes made during one turn of the event loop share one IMMEDIATE
 * transaction, committed once at the end of the turn (setImmediate), instead of one commit — one WAL write — each.
 * Each write still runs alone as a statement or a savepoint (a transaction function called inside the batch), so a
 * failing write leaves the others intact. A write resolves only after its batch has committed, so a caller that was
 * told "done" holds a durable change, exactly as with a commit per write; if the commit fails every write of the batch
 * fails with its error.
 */
import type { SqliteDatabase } from './database.js';

/** The batch of writes of the current turn, committed together. */
export interface GroupCommit {
  /** Runs `run` inside the current batch (opening one); resolves with its result once the batch has committed. */
  write<T>(run: () => T): Promise<T>;
  /** Settles when the open batch has committed (or failed); undefined when no batch is open. */
  settled(): Promise<void> | undefined;
}

interface Batch {
  committed: Promise<void>;
  settled: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

/** Creates the group commit of `db` (its main connection). */
export function createGroupCommit(db: SqliteDatabase): GroupCommit {
  let batch: Batch | undefined;
  const begin = db.prepare('BEGIN IMMEDIATE');
  const end = db.prepare('COMMIT');

  const commit = (): void => {
    const current = batch!;
    batch = undefined;
    try {
      // An I/O error inside the batch makes SQLite roll the whole transaction back: nothing of it was kept.
      if (!db.inTransaction) throw new Error('the batch transaction was rolled back by SQLite');
      end.run();
      current.resolve();
    } catch (error) {
      if (db.inTransaction) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // Already rolled back by SQLite.
        }
      }
      current.reject(error);
    }
  };

  const open = (): Batch => {
    begin.run();
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const committed = new Promise<void>((ok, fail) => {
      resolve = ok;
      reject = fail;
    });
    const opened: Batch = { committed, settled: committed.then(() => undefined, () => undefined), resolve, reject };
    batch = opened;
    setImmediate(commit);
    return opened;
  };

  return {
    async write(run) {
      const current = batch ?? open();
      if (!db.inTransaction) throw new Error('the batch transaction was rolled back by SQLite');
      const result = run();
      await current.committed;
      return result;
    },
    settled: () => batch?.settled,
  };
}
