/**
 * Bulk work on the SQLite store without stalling the platform. A bulk job (generate, whole-state import) runs as one
 * IMMEDIATE transaction on a second connection to the file, in slices of about 25 ms with a turn of the event loop
 * between them: requests keep being answered, reads see the state before the job until it commits, and the main
 * connection's writes wait (asynchronously) at the write gate until it is done, so they never meet a locked file.
 * The gate is fair: the writes that waited for a job enter their batch the moment it ends, before the next job (another
 * chunk of the same generate, say) can start, and that job begins only once their batch has committed.
 * An in-memory database has no second connection: there the job's transaction is on the main connection, and reads
 * made while it runs see its rows before it commits. Checkpoints (copying the WAL back into the file, with an fsync) run
 * on a worker thread's own connection every second instead of inside whichever commit crosses the WAL threshold.
 *
 * What a bulk job still does on the event loop is its slices and its COMMIT, which writes the pages the job left dirty
 * in the connection's cache to the WAL in one go: the bulk connection's cache is kept small (BULK_CACHE_KIB) so that
 * pages spill to the WAL during the slices and a commit writes at most that much (measured seeding a million users
 * through POST /users/generate: with the main connection's 64 MiB cache, committing 10,000 users on a store of a
 * million took 230-300 ms, the random keys of the user id and device-token indexes dirtying pages all over them; with
 * 16 MiB, 40-160 ms). With 4 MiB, the slowest write behind a 10k-user generate (10 chunks) on that store went from
 * 159-196 ms to 101-117 ms and the longest the event loop was held from 67-133 ms to 53-59 ms, seeding no slower
 * (1M users × 31 days in 103 s).
 * Jobs back to back leave the checkpointer no moment at which the WAL is copied back entirely, and SQLite starts a WAL
 * over only then: a job that finds the WAL longer than WAL_RESTART_BYTES first waits (asynchronously) for a checkpoint
 * on the worker, so that its first write starts the WAL over (journal_size_limit then cuts the file back). Without it a
 * seed of a million users left a 3.9 GB WAL next to a 690 MB file. The job waits for most of that checkpoint before it
 * holds the store and copies only what writes added meanwhile while holding it: holding it throughout, writes waited
 * 340-430 ms during back-to-back generates on a 1M-user store; not holding it at all, the writes that landed behind the
 * checkpoint kept the WAL from starting over (it grew by 140 MB a generate).
 * Ordinary writes in every turn keep the WAL from starting over just the same (each checkpoint on the worker finds new
 * frames behind the ones it copied): when a timed checkpoint reports the WAL longer than WAL_AUTOCHECKPOINT_PAGES and
 * not all copied, writes wait (asynchronously, reads go on) for one more checkpoint of what they added since, and the
 * first write after it starts the WAL over. Without it, /cgi-bin/token under load grew the WAL to 1.5 GB next to a
 * 26 MB file, and every write got slower as it grew (token calls at 50k issued 240 µs of CPU instead of 180).
 */
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { openSqliteCompanion, WAL_AUTOCHECKPOINT_PAGES, type SqliteDatabase } from './database.js';
import { createGroupCommit } from './group-commit.js';

/** The checkpoint worker's script (plain JS, next to this file in src/, read from src/ by the built code too). */
const CHECKPOINT_WORKER = fileURLToPath(new URL('../../../src/stores/sqlite/checkpoint-worker.cjs', import.meta.url));
/** How often the worker copies the WAL back into the file, ms. */
const CHECKPOINT_INTERVAL_MS = 1000;

/** Longest stretch of bulk work between two turns of the event loop, ms. */
const SLICE_MS = 25;
/** Page cache of the bulk connection, KiB: the most a commit writes at once (the main connection keeps its own). */
const BULK_CACHE_KIB = 4_096;
/** WAL length beyond which a bulk job first has the worker copy it back, so that the job starts it over. */
const WAL_RESTART_BYTES = 128 * 1024 * 1024;
/** Longest wait for that checkpoint, ms (a reader holding an old snapshot can keep it from finishing). */
const CHECKPOINT_WAIT_MS = 2000;

/** The database and the gate that bulk jobs and ordinary writes pass. */
export interface SqliteHandle {
  db: SqliteDatabase;
  /**
   * Runs an ordinary write in this turn's group commit, or, while a bulk job holds the store, in the batch opened the
   * moment that job ends (before any later job starts); resolves once committed.
   */
  write<T>(run: () => T): Promise<T>;
  /** Settles when the writes of this turn are committed; undefined when there are none. */
  settled(): Promise<void> | undefined;
  /**
   * Moves when the file changed other than through this connection: another connection committed (PRAGMA data_version:
   * another process, or this process's bulk connection) or a bulk job ended. Read once per turn of the event loop, so
   * what a cache keyed by it hands out is at most as old as the turn, and a change made elsewhere is concurrent with it.
   */
  outsideChanges(): string;
  /** Runs `work` as one transaction on the bulk connection; `pause` yields to the event loop when a slice is used up. */
  bulk<T>(work: (conn: SqliteDatabase, pause: () => Promise<void>) => Promise<T>): Promise<T>;
  /** Closes the bulk connection and stops the checkpoint worker (the owner closes `db`). */
  close(): Promise<void>;
}

/** Wraps an open database with the write gate and the bulk connection. */
export function createSqliteHandle(db: SqliteDatabase): SqliteHandle {
  let tail: Promise<void> = Promise.resolve();
  let held = 0;
  let ended = 0;
  /** Writes that arrived while a bulk job held the store, in order; run synchronously as soon as that job ends. */
  let waiting: Array<() => void> = [];
  /** Ordinary writes so far (to tell whether any came while a job waited for a checkpoint). */
  let writes = 0;
  let companion: SqliteDatabase | undefined;
  let checkpointer: Worker | undefined;
  const connection = (): SqliteDatabase => {
    if (db.memory) return db;
    if (!companion) {
      companion = openSqliteCompanion(db, { readonly: false })!;
      companion.pragma(`cache_size = -${BULK_CACHE_KIB}`);
      if (checkpointer) companion.pragma('wal_autocheckpoint = 0');
    }
    return companion;
  };
  const walBytes = (): number => {
    try {
      return statSync(`${db.name}-wal`).size;
    } catch {
      return 0;
    }
  };
  /** Has the worker checkpoint now; resolves when it is done, failed, or took too long. */
  const checkpointNow = (): Promise<void> =>
    new Promise((done) => {
      const worker = checkpointer;
      if (!worker) return done();
      const answered = (message: { behind?: boolean }): void => {
        if (!message.behind) finish();
      };
      const finish = (): void => {
        clearTimeout(timer);
        worker.off('message', answered);
        worker.off('exit', finish);
        done();
      };
      const timer = setTimeout(finish, CHECKPOINT_WAIT_MS);
      worker.on('message', answered);
      worker.on('exit', finish);
      worker.postMessage('checkpoint');
    });
  if (!db.memory) {
    checkpointer = new Worker(CHECKPOINT_WORKER, {
      workerData: { file: db.name, intervalMs: CHECKPOINT_INTERVAL_MS, restartFrames: WAL_AUTOCHECKPOINT_PAGES },
    });
    checkpointer.unref();
    checkpointer.on('message', (message: { behind?: boolean }) => {
      if (message.behind) void restartWal();
    });
    // Without the worker (it failed to start), SQLite's own automatic checkpoints take over again.
    checkpointer.on('error', () => {
      checkpointer = undefined;
      db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
      companion?.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    });
    db.pragma('wal_autocheckpoint = 0');
  }

  const group = createGroupCommit(db);
  /**
   * Lets the writes that waited run, synchronously and with no transaction open on either connection: their batch is
   * open before the next job passes its turn, so that job's drained() waits for it to commit.
   */
  const admitWaiting = (): void => {
    const admitted = waiting;
    waiting = [];
    for (const admit of admitted) admit();
  };
  /** Takes the store's turn after every job or restart before it; `release` gives it to the next. */
  const takeTurn = async (): Promise<() => void> => {
    const before = tail;
    let release!: () => void;
    tail = new Promise((done) => (release = done));
    await before;
    return release;
  };
  let restarting = false;
  /** Holds the ordinary writes for one checkpoint, so that the next one starts the WAL over (see above). */
  const restartWal = async (): Promise<void> => {
    if (restarting) return;
    restarting = true;
    const release = await takeTurn();
    held++;
    try {
      await drained();
      await checkpointNow();
    } finally {
      held--;
      admitWaiting();
      release();
      restarting = false;
    }
  };
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  let outside: string | undefined;
  const outsideChanges = (): string => {
    if (outside === undefined) {
      outside = `${ended}:${dataVersion.get()!}`;
      setImmediate(() => {
        outside = undefined;
      });
    }
    return outside;
  };
  /** Waits until no batch of ordinary writes is open (then, synchronously, none is). */
  const drained = async (): Promise<void> => {
    for (let open = group.settled(); open; open = group.settled()) await open;
  };

  return {
    db,
    write(run) {
      writes++;
      if (held === 0) return group.write(run);
      return new Promise((resolve, reject) => waiting.push(() => void group.write(run).then(resolve, reject)));
    },
    settled: group.settled,
    outsideChanges,
    async bulk(work) {
      let release: (() => void) | undefined;
      let holding = false;
      try {
        release = await takeTurn();
        // Most of the WAL is copied back before the job holds the store, so that writes go on meanwhile; what they
        // added is copied once it holds it (and no batch is open), so that nothing keeps the job from starting it over.
        const restart = checkpointer !== undefined && walBytes() > WAL_RESTART_BYTES;
        const writesBefore = writes;
        if (restart) await checkpointNow();
        held++;
        holding = true;
        if (restart && writes !== writesBefore) {
          await drained();
          await checkpointNow();
        }
        // The main connection's open batch holds the write lock: the bulk transaction starts after it has committed
        // (last, with nothing awaited after it, so no new batch opens in between).
        await drained();
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
        if (holding) held--;
        ended++;
        outside = undefined;
        admitWaiting();
        release?.();
      }
    },
    async close() {
      await drained();
      companion?.close();
      companion = undefined;
      if (checkpointer) {
        const exited = new Promise((done) => checkpointer!.once('exit', done));
        // Referenced again, so that a process with nothing else left waits for the last checkpoint.
        checkpointer.ref();
        checkpointer.postMessage('stop');
        await exited;
        checkpointer = undefined;
      }
    },
  };
}
