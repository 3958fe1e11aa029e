import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildPlatform } from '../../src/app.js';
import { startTestPlatform } from '../helpers/platform.js';
import { SQLITE_SCHEMA_VERSION } from '../../src/stores/sqlite/database.js';
import { SQLITE_MIGRATIONS } from '../../src/stores/sqlite/migrations.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'openrun-migrate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a store the way OpenRun wrote it before schema versions: the version-1 tables, user_version 0. */
function writeVersion1Store(dataDir: string): void {
  const db = new Database(join(dataDir, 'openrun.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(SQLITE_MIGRATIONS[0]!);
  db.prepare(`INSERT INTO apps VALUES ('wx0123456789abcdef', '0123456789abcdef0123456789abcdef', 'weapp', 'Demo', 0, NULL, '2.30.0', NULL, 1)`).run();
  // Created out of id order, so the migration must keep creation order, not id order.
  db.prepare(`INSERT INTO users VALUES ('u_zed', 'Zed', 'dev-zed', 1, 1, 'accept', 100)`).run();
  db.prepare(`INSERT INTO users VALUES ('u_amy', 'Amy', 'dev-amy', 1, 0, 'deny', 200)`).run();
  const step = db.prepare('INSERT INTO steps VALUES (?, ?, ?)');
  step.run('u_zed', '2026-02-28', 9000);
  step.run('u_zed', '2026-03-01', 10000);
  step.run('u_amy', '2024-02-29', 42);
  db.prepare(`INSERT INTO step_models VALUES ('u_zed', 7, 8000, 0.7, 0.1, '2026-03-01')`).run();
  db.prepare(`INSERT INTO app_users VALUES ('wx0123456789abcdef', 'u_amy', 'oAmy000000000000000000000000', NULL, 'c2Vzc2lvbg==', 150)`).run();
  db.prepare(`INSERT INTO grants VALUES ('wx0123456789abcdef', 'u_amy', 'scope.werun', 0)`).run();
  db.prepare(`INSERT INTO cloud_ids VALUES ('cid1', 'wx0123456789abcdef', 'oAmy000000000000000000000000', '{}', 5000)`).run();
  db.close();
}

it('a store written before schema versions is migrated to the current layout with everything in it', async () => {
  const dataDir = join(dir, 'v1');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dataDir);
  writeVersion1Store(dataDir);

  const p = await startTestPlatform({ memory: false, dataDir });
  try {
    const get = async (url: string) => (await p.control<Record<string, any>>('GET', url)).body;
    expect((await get('/users')).users.map((u: { id: string }) => u.id)).toEqual(['u_zed', 'u_amy']);
    expect((await get('/users/u_amy')).hasStepCounter).toBe(false);
    expect((await get('/users/u_zed/steps?from=2026-02-27&to=2026-03-01')).days).toEqual([
      { date: '2026-02-28', steps: 9000 },
      { date: '2026-03-01', steps: 10000 },
    ]);
    expect((await get('/users/u_amy/steps?from=2024-02-29&to=2024-02-29')).days).toEqual([{ date: '2024-02-29', steps: 42 }]);
    expect((await get('/apps/wx0123456789abcdef/users')).appUsers).toEqual([
      { userId: 'u_amy', openid: 'oAmy000000000000000000000000', unionid: null, loggedIn: true, authSetting: { 'scope.werun': false } },
    ]);
    const exported = await get('/export');
    expect(exported.users[0].stepModel).toEqual({ seed: 7, baseline: 8000, weekendFactor: 0.7, restDayChance: 0.1, through: '2026-03-01' });
    expect(exported.ephemeral.cloudIds.map((c: { cloudId: string }) => c.cloudId)).toEqual(['cid1']);
    // Deleting a user still takes its days and app users along (the foreign keys survived the rebuild).
    expect((await p.control('DELETE', '/users/u_amy')).status).toBe(204);
    expect((await get('/apps/wx0123456789abcdef/users')).appUsers).toEqual([]);
  } finally {
    await p.close();
  }
  const db = new Database(join(dataDir, 'openrun.sqlite'), { readonly: true });
  expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
  expect(db.pragma('foreign_key_check')).toEqual([]);
  expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'v1_%'`).get()).toEqual({ n: 0 });
  db.close();
});

it('a version-6 store keeps its tokens and cloudIDs: found by their text after the move to issue order and tags', async () => {
  const dataDir = join(dir, 'v6');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dataDir);
  const db = new Database(join(dataDir, 'openrun.sqlite'));
  db.pragma('journal_mode = WAL');
  for (const step of SQLITE_MIGRATIONS.slice(0, 6)) db.exec(step);
  db.pragma('user_version = 6');
  const appid = 'wx0123456789abcdef';
  db.prepare(`INSERT INTO apps VALUES (?, '0123456789abcdef0123456789abcdef', 'weapp', 'Demo', 1, NULL, '2.30.0', NULL, 1)`).run(appid);
  const later = Date.now() + 3_600_000;
  const token = `12_${'t'.repeat(130)}`;
  // Written out of text order, so the migration must keep issue (rowid) order.
  db.prepare('INSERT INTO access_tokens VALUES (?, ?, ?, ?, ?, ?)').run(`12_${'z'.repeat(130)}`, appid, 'normal', 1, later, 2);
  db.prepare('INSERT INTO access_tokens VALUES (?, ?, ?, ?, ?, ?)').run(token, appid, 'normal', 2, later, null);
  db.prepare('INSERT INTO cloud_ids VALUES (?, ?, ?, ?, ?)').run('cid-live', appid, 'o1', '{"stepInfoList":[]}', later);
  db.prepare('INSERT INTO cloud_ids VALUES (?, ?, ?, ?, ?)').run('cid-old', appid, 'o1', '{}', 5000);
  db.close();

  const p = await startTestPlatform({ memory: false, dataDir });
  try {
    const exported = (await p.control<Record<string, any>>('GET', '/export')).body;
    expect(exported.ephemeral.accessTokens.map((t: { issuedAt: number }) => t.issuedAt)).toEqual([1, 2]);
    expect(exported.ephemeral.cloudIds.map((c: { cloudId: string }) => c.cloudId)).toEqual(['cid-live', 'cid-old']);
    const reply = await p.request<Record<string, any>>('POST', `/wxa/getopendata?access_token=${token}`, { cloudid_list: ['cid-live', 'cid-old', 'cid-none'] });
    expect(reply.body.errcode).toBe(0);
    expect(reply.body.data_list.map((d: { json: string }) => JSON.parse(d.json))).toEqual([
      { cloudID: 'cid-live', data: { stepInfoList: [] } },
      { cloudID: 'cid-old', errCode: -601006, errMsg: 'cloudID expired.' },
      { cloudID: 'cid-none', errCode: -601005, errMsg: 'invalid cloudID' },
    ]);
  } finally {
    await p.close();
  }
  const after = new Database(join(dataDir, 'openrun.sqlite'), { readonly: true });
  expect(after.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
  expect(after.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name LIKE 'v6_%'`).get()).toEqual({ n: 0 });
  after.close();
});

it('a store with a newer schema version is refused and left as it is', async () => {
  const dataDir = join(dir, 'future');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dataDir);
  const db = new Database(join(dataDir, 'openrun.sqlite'));
  db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
  db.close();
  const app = buildPlatform({ dataDir });
  await expect(app.ready()).rejects.toThrow(/written by a newer OpenRun/);
  const again = new Database(join(dataDir, 'openrun.sqlite'), { readonly: true });
  expect(again.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION + 1);
  again.close();
});
