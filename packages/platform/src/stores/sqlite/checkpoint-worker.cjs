// Copies the WAL back into the database file from a worker thread, so that the event loop serving requests never waits
// for a checkpoint (and its fsync). Started by bulk-work.ts with { file, intervalMs }. Messages: 'checkpoint' runs one
// now and answers { checkpointed: true } when it is done (or { error }); 'stop' runs a last one and stops. When a timed
// checkpoint finds the WAL longer than { restartFrames } frames it posts { behind: true }: SQLite starts the WAL over
// only when a write begins with all of it copied back, which writes in every turn never let happen, so the main thread
// then holds its writes for one more checkpoint.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    const [{ log }] = checkpoint();
    if (log > workerData.restartFrames) parentPort.postMessage({ behind: true });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message) });
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'checkpoint') {
    try {
      checkpoint();
      parentPort.postMessage({ checkpointed: true });
    } catch (error) {
      parentPort.postMessage({ error: String(error && error.message) });
    }
    return;
  }
  clearInterval(timer);
  try {
    checkpoint();
  } finally {
    db.close();
    parentPort.close();
  }
});
