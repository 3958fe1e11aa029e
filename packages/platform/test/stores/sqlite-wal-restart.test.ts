/**
 * The embedded store's WAL starts over under a steady stream of writes: the checkpoint worker copies it back while
 * writes keep appending, so SQLite never finds it all copied when a write begins, and without the store's own restart
 * the WAL grew by every write for as long as the writes went on (1.5 GB next to a 26 MB file in the token bench).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteBackend } from '../../src/stores/sqlite/backend.js';
import type { StoreBackend } from '../../src/stores/store-backend.js';

const T0 = Date.UTC(2026, 4, 1);
let dir: string;
let backend: StoreBackend;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'openrun-wal-restart-'));
  backend = openSqliteBackend({ memory: false, dataDir: dir });
});
afterEach(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The WAL header's checkpoint sequence number: SQLite adds one each time the WAL starts over. */
const walSequence = (): number => {
  const fd = openSync(join(dir, 'openrun.sqlite-wal'), 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    closeSync(fd);
  }
};

it('starts the WAL over while a write lands in every turn', async () => {
  let n = 0;
  const issue = () =>
    backend.ephemeral.issueAccessToken(
      { token: `1_${String(n++).padStart(30, '0')}`, appid: 'wx00000000000000a1', kind: 'normal', issuedAt: T0, expiresAt: T0 + 7_200_000, supersededUntil: null },
      T0 + 300_000,
    );
  await issue();
  const first = walSequence();
  // Writes without a pause until the WAL has started over, or give up after many checkpoint intervals.
  const giveUp = Date.now() + 20_000;
  while (walSequence() === first && Date.now() < giveUp) {
    for (let k = 0; k < 100; k++) await issue();
  }
  expect(walSequence()).toBeGreaterThan(first);
  // Every write still landed.
  expect((await backend.ephemeral.getAccessToken(`1_${String(n - 1).padStart(30, '0')}`))?.appid).toBe('wx00000000000000a1');
}, 30_000);
