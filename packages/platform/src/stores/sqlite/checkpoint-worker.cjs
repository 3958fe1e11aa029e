// Copies the WAL back into the database file from a worker thread, so that the event loop serving requests never waits
// for a checkpoint (and its fsync). Started by bulk-work.ts with { file, intervalMs }. Messages: 'checkpoint' runs one
// now and answers { checkpointed: true } when it is done (or { error }); 'stop' runs a last one and stops.
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');

const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 1000');
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)');
const timer = setInterval(() => {
  try {
    checkpoint();
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
