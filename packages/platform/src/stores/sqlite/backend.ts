/**
 * The embedded backend: one SQLite file (or an in-memory database) holding both stores, so a whole-state import or a
 * reset is one transaction over both, run in slices on the bulk connection (bulk-work.ts).
 */
import { cacheDurableReads, ownedDurableVersion } from '../durable-read-cache.js';
import type { StateStore } from '../state-store.js';
import type { StoreBackend } from '../store-backend.js';
import { createSqliteHandle } from './bulk-work.js';
import { openSqliteDatabase } from './database.js';
import { createSqliteDurableStore } from './durable-store.js';
import { createSqliteEphemeralStore } from './ephemeral-store.js';
import { createSqliteStateStore } from './state-store.js';

/** Opens the embedded store in `dataDir` (or in memory). */
export function openSqliteBackend(options: { memory: boolean; dataDir: string }): StoreBackend {
  const db = openSqliteDatabase(options);
  const handle = createSqliteHandle(db);
  // Single-record reads come from memory until a change, made here or (seen from the next turn) elsewhere.
  const version = ownedDurableVersion(() => handle.outsideChanges());
  const durable = cacheDurableReads(createSqliteDurableStore(handle), version);
  const ephemeral = createSqliteEphemeralStore(handle);
  const records = createSqliteStateStore(handle);
  const state: StateStore = {
    openSnapshot: () => records.openSnapshot(),
    replaceState: (batches, tail) => version.during(() => records.replaceState(batches, tail)),
  };
  return {
    kind: options.memory ? 'memory' : 'sqlite',
    description: options.memory ? 'in memory (nothing is kept)' : `SQLite in ${options.dataDir}`,
    durable,
    ephemeral,
    state,
    async reset() {
      // The records go as an import of nothing (one transaction, in slices); the clock and the control token stay.
      await state.replaceState([]);
      await ephemeral.clearFaults();
      await ephemeral.clearRequests();
    },
    settled: handle.settled,
    async close() {
      await handle.close();
      db.close();
    },
  };
}
