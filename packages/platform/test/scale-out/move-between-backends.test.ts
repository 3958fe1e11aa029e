/**
 * Moving a state between backends over HTTP: `GET /export` from an embedded SQLite instance imports into a
 * PostgreSQL + Redis instance and back, unchanged; a whole-state import on PostgreSQL + Redis that fails part-way, or
 * whose instance is killed mid-import, leaves the old state or the new one, never a mix.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginCode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createScaleOutPlace, scaleOutServers, startCliInstance, waitForInsert, warnScaleOutSkipped, type ScaleOutPlace } from '../helpers/scale-out-servers.js';

const servers = scaleOutServers();
if (!servers) warnScaleOutSkipped('moving states between backends');

type Doc = Record<string, unknown> & { users: unknown[]; apps: unknown[]; appUsers: unknown[]; ephemeral: Record<string, unknown[]> };

describe.skipIf(!servers)('moving a state between SQLite and PostgreSQL + Redis', () => {
  let place: ScaleOutPlace;
  let dir: string;
  let embedded: TestPlatform;
  let scaled: TestPlatform;

  beforeAll(async () => {
    place = await createScaleOutPlace(servers!);
    dir = mkdtempSync(join(tmpdir(), 'openrun-move-'));
    embedded = await startTestPlatform({ memory: false, dataDir: dir });
    scaled = await startTestPlatform({ memory: false, postgresUrl: place.postgresUrl, redisUrl: place.redisUrl });
  });
  afterAll(async () => {
    await embedded?.close();
    await scaled?.close();
    await place?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const exportOf = async (p: TestPlatform) => (await p.control<Doc>('GET', '/export')).body;

  it('export from SQLite imports into PostgreSQL + Redis and back, unchanged', async () => {
    await embedded.freezeClock('2026-06-01T04:00:00Z');
    const app = await embedded.createApp({ platform: 'weapp', cloud: true });
    const qq = await embedded.createApp({ platform: 'qq' });
    for (let i = 0; i < 5; i++) {
      const user = await embedded.createUser({ nickname: `Walker ${i}` });
      await embedded.control('POST', `/users/${user.id}/steps/generate`, { days: 40, seed: i + 1 });
      await loginCode(embedded, i % 2 ? app : qq, user);
      await embedded.control('PUT', `/apps/${app.appid}/users/${user.id}/grants`, { 'scope.werun': i % 2 === 0 });
    }
    await embedded.control('POST', '/faults', { route: 'GET /sns/jscode2session', errcode: -1, times: 3 });
    await embedded.request('GET', `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`);
    const original = await exportOf(embedded);
    expect(original.users).toHaveLength(5);
    expect((original.ephemeral.loginCodes as unknown[]).length).toBe(5);

    expect((await scaled.control('POST', '/import', original)).status).toBe(200);
    expect(await exportOf(scaled)).toEqual(original);

    await embedded.control('POST', '/reset');
    expect((await embedded.control('POST', '/import', await exportOf(scaled))).status).toBe(200);
    expect(await exportOf(embedded)).toEqual(original);
  });

  it('an import that fails part-way on PostgreSQL + Redis leaves the old state', async () => {
    const before = await exportOf(scaled);
    const broken = structuredClone(before);
    broken.ephemeral.loginCodes = [];
    // The document passes every check, but PostgreSQL cannot store a NUL character: the last user's row fails.
    (broken.users.at(-1) as { nickname: string }).nickname = 'nul\u0000name';
    const r = await scaled.control('POST', '/import', broken);
    expect(r.status).toBeGreaterThanOrEqual(400);
    expect(await exportOf(scaled)).toEqual(before);
  });

  it('kill -9 of an instance during a large whole-state import leaves the old state or the new one', async () => {
    const before = await exportOf(scaled);
    const big = structuredClone(before);
    const template = before.users[0] as { steps: { date: string; steps: number }[] };
    const start = Date.UTC(2000, 0, 1);
    big.users = Array.from({ length: 3000 }, (_, i) => ({
      ...template, id: `u_big_${i}`, deviceToken: `dt_big_${i}`, nickname: `Big ${i}`, stepModel: null,
      steps: Array.from({ length: 30 }, (_, d) => ({ date: new Date(start + (i * 30 + d) * 86_400_000).toISOString().slice(0, 10), steps: d })),
    }));
    big.appUsers = [];
    big.ephemeral = { loginCodes: [], accessTokens: [], cloudIds: [], counters: [] };
    const instance = await startCliInstance(place);
    try {
      const upload = fetch(`${instance.baseUrl}/openrun/control/v1/import`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(big),
      }).catch(() => undefined);
      const writing = await waitForInsert(servers!, place, 'steps');
      await instance.kill9();
      await upload;
      expect(writing).toBe(true);
      // Any pending Redis part is applied within a second by the surviving instance.
      await new Promise((r) => setTimeout(r, 1500));
      const after = await exportOf(scaled);
      const same = (doc: Doc) => JSON.stringify({ ...after, clock: null }) === JSON.stringify({ ...doc, clock: null });
      expect(same(before) || same(big)).toBe(true);
    } finally {
      await instance.kill9();
    }
  }, 60_000);
});
