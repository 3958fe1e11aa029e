/**
 * The embedded backend: one SQLite file (or an in-memory database) holding both stores, so a whole-state import or a
 * reset is one transaction over both.
 */
import type { StoreBackend } from '../store-backend.js';
import { openSqliteDatabase } from './database.js';
import { createSqliteDurableStore } from './durable-store.js';
import { createSqliteEphemeralStore } from './ephemeral-store.js';

/** Opens the embedded store in `dataDir` (or in memory). */
export function openSqliteBackend(options: { memory: boolean; dataDir: string }): StoreBackend {
  const db = openSqliteDatabase(options);
  const durable = createSqliteDurableStore(db);
  const ephemeral = createSqliteEphemeralStore(db);
  const importBoth = db.transaction((d: Parameters<StoreBackend['importState']>[0], e: Parameters<StoreBackend['importState']>[1]) => {
    durable.importSync(d);
    ephemeral.importSync(e);
  });
  const resetBoth = db.transaction(() => {
    ephemeral.resetSync();
    durable.resetSync();
  });
  return {
    kind: options.memory ? 'memory' : 'sqlite',
    description: options.memory ? 'in memory (nothing is kept)' : `SQLite in ${options.dataDir}`,
    durable,
    ephemeral,
    async importState(d, e) {
      importBoth.immediate(d, e);
    },
    async reset() {
      resetBoth.immediate();
    },
    async close() {
      db.close();
    },
  };
}
