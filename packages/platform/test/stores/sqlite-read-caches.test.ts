/**
 * The embedded store reads tokens, cloudIDs and single durable records through caches: what another connection to the
 * file commits (another process, here a second connection), a reset, and this store's own token rotation are all seen
 * by the next read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { openSqliteBackend } from '../../src/stores/sqlite/backend.js';
import type { StoreBackend } from '../../src/stores/store-backend.js';
import type { AccessTokenRecord } from '../../src/stores/records.js';

const T0 = Date.UTC(2026, 4, 1);
const APPID = 'wx00000000000000a1';
const token = (name: string): AccessTokenRecord => ({
  token: `1_${name.padEnd(24, 'x')}`, appid: APPID, kind: 'normal', issuedAt: T0, expiresAt: T0 + 7_200_000, supersededUntil: null,
});
const CLOUD_ID = `27_${'c'.repeat(59)}`;
const nextTurn = (): Promise<void> => new Promise((done) => setImmediate(done));

let dir: string;
let backend: StoreBackend;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openrun-read-caches-'));
  backend = openSqliteBackend({ memory: false, dataDir: dir });
  await backend.ephemeral.issueAccessToken(token('a'), T0 + 300_000);
  await backend.ephemeral.issueCloudId({ cloudId: CLOUD_ID, appid: APPID, openid: 'o'.repeat(28), payload: '{"n":1}', expiresAt: T0 + 300_000 });
});
afterEach(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `sql` on a second connection to the file, as another process would. */
const elsewhere = (sql: string): void => {
  const db = new Database(join(dir, 'openrun.sqlite'));
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
};

it('sees what another connection committed from the next turn on', async () => {
  expect((await backend.ephemeral.getAccessToken(token('a').token))?.supersededUntil).toBeNull();
  expect((await backend.ephemeral.getCloudId(CLOUD_ID))?.payload).toBe('{"n":1}');
  await nextTurn();
  elsewhere(`UPDATE access_tokens SET superseded_until = ${T0 + 1}; UPDATE cloud_ids SET payload = '{"n":2}'`);
  await nextTurn();
  expect((await backend.ephemeral.getAccessToken(token('a').token))?.supersededUntil).toBe(T0 + 1);
  expect((await backend.ephemeral.getCloudId(CLOUD_ID))?.payload).toBe('{"n":2}');
  await nextTurn();
  elsewhere('DELETE FROM access_tokens; DELETE FROM cloud_ids');
  await nextTurn();
  expect(await backend.ephemeral.getAccessToken(token('a').token)).toBeUndefined();
  expect(await backend.ephemeral.getCloudId(CLOUD_ID)).toBeUndefined();
});

it("sees its own rotation, purge and reset at once", async () => {
  expect((await backend.ephemeral.getAccessToken(token('a').token))?.supersededUntil).toBeNull();
  await backend.ephemeral.issueAccessToken(token('b'), T0 + 300_000);
  expect((await backend.ephemeral.getAccessToken(token('a').token))?.supersededUntil).toBe(T0 + 300_000);
  expect(await backend.ephemeral.getCloudId(CLOUD_ID)).toBeDefined();
  await backend.ephemeral.purgeExpired(T0 + 300_001, 100);
  expect(await backend.ephemeral.getCloudId(CLOUD_ID)).toBeUndefined();
  expect(await backend.ephemeral.getAccessToken(token('b').token)).toBeDefined();
  await backend.reset();
  expect(await backend.ephemeral.getAccessToken(token('b').token)).toBeUndefined();
});

it('sees a durable record another connection changed from the next turn on, well before the cache ages out', async () => {
  await backend.durable.createApp({
    appid: APPID, platform: 'weapp', secret: 's'.repeat(32), name: 'before', cloud: false, cloudEnv: null, baseLibVersion: '3.4.0', openPlatformId: null, createdAt: T0,
  });
  expect((await backend.durable.getApp(APPID))?.name).toBe('before');
  expect((await backend.durable.getApp(APPID))?.name).toBe('before');
  await nextTurn();
  elsewhere(`UPDATE apps SET name = 'after' WHERE appid = '${APPID}'`);
  await nextTurn();
  expect((await backend.durable.getApp(APPID))?.name).toBe('after');
});

it('keeps the clock and the absence of fault rules across turns, and sees them change elsewhere from the next turn on', async () => {
  expect(await backend.ephemeral.getClock()).toEqual({ offsetMs: 0, frozenAt: null });
  expect(await backend.ephemeral.takeFault('GET /sns/jscode2session', 0)).toBeUndefined();
  await nextTurn();
  expect(await backend.ephemeral.getClock()).toEqual({ offsetMs: 0, frozenAt: null });
  elsewhere(`INSERT OR REPLACE INTO clock (id, offset_ms, frozen_at) VALUES (1, 5000, ${T0});
    INSERT INTO faults (seq, id, route, action, times, probability, uses) VALUES (1, 'f_1', 'GET /sns/jscode2session', '{"errcode":-1}', NULL, NULL, 0)`);
  await nextTurn();
  expect(await backend.ephemeral.getClock()).toEqual({ offsetMs: 5000, frozenAt: T0 });
  expect((await backend.ephemeral.takeFault('GET /sns/jscode2session', 0))?.id).toBe('f_1');
  await backend.ephemeral.advanceClock(1000);
  expect(await backend.ephemeral.getClock()).toEqual({ offsetMs: 5000, frozenAt: T0 + 1000 });
});
