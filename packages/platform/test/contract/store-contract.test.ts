/**
 * Runs the store contract against every backend: SQLite in memory, SQLite in a file, and PostgreSQL + Redis (when
 * OPENRUN_TEST_POSTGRES_URL and OPENRUN_TEST_REDIS_URL name the test servers; otherwise it says loudly that it skipped).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { openScaleOutBackend } from '../../src/stores/scale-out-backend.js';
import { openSqliteBackend } from '../../src/stores/sqlite/backend.js';
import { createScaleOutPlace, scaleOutServers, warnScaleOutSkipped, type ScaleOutPlace } from '../helpers/scale-out-servers.js';
import { runStoreContract } from './store-contract.js';

runStoreContract('SQLite in memory', {
  durable: false,
  open: async () => openSqliteBackend({ memory: true, dataDir: '' }),
  reopen: async () => openSqliteBackend({ memory: true, dataDir: '' }),
  cleanup: async () => undefined,
});

let dir = '';
runStoreContract('SQLite file', {
  durable: true,
  async open() {
    dir = mkdtempSync(join(tmpdir(), 'openrun-contract-'));
    return openSqliteBackend({ memory: false, dataDir: dir });
  },
  reopen: async () => openSqliteBackend({ memory: false, dataDir: dir }),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});

const servers = scaleOutServers();
if (servers) {
  let place: ScaleOutPlace | undefined;
  const quiet = { down: () => undefined, up: () => undefined };
  const open = () => openScaleOutBackend({ postgresUrl: place!.postgresUrl, redisUrl: place!.redisUrl, outages: quiet });
  runStoreContract('PostgreSQL + Redis', {
    durable: true,
    async open() {
      place = await createScaleOutPlace(servers);
      return open();
    },
    reopen: open,
    cleanup: async () => place?.drop(),
  });
} else {
  warnScaleOutSkipped('the store contract');
  describe('store contract: PostgreSQL + Redis', () => {
    it.skip('SKIPPED: set OPENRUN_TEST_POSTGRES_URL and OPENRUN_TEST_REDIS_URL to run the contract on PostgreSQL + Redis', () => undefined);
  });
}
