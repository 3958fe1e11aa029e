/**
 * Two platform instances on one PostgreSQL + Redis, driven over real HTTP: whatever one instance does, the other sees
 * — codes, tokens, cloudIDs, the clock, faults, the request log — and a kill -9 of one during a large import leaves
 * the history whole or untouched while the other keeps serving.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { code2sessionPath, errmsgText, loginCode, startTestPlatform, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';
import { createScaleOutPlace, scaleOutServers, startCliInstance, waitForInsert, warnScaleOutSkipped, type ScaleOutPlace } from '../helpers/scale-out-servers.js';

const servers = scaleOutServers();
if (!servers) warnScaleOutSkipped('the two-instance tests');

describe.skipIf(!servers)('two instances on one PostgreSQL + Redis', () => {
  let place: ScaleOutPlace;
  let a: TestPlatform;
  let b: TestPlatform;
  let app: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    place = await createScaleOutPlace(servers!);
    const options = { memory: false, postgresUrl: place.postgresUrl, redisUrl: place.redisUrl };
    a = await startTestPlatform(options);
    b = await startTestPlatform(options);
    await a.freezeClock('2026-06-01T04:00:00Z');
    app = await a.createApp({ platform: 'weapp', cloud: true });
    user = await b.createUser();
    await a.control('PUT', `/users/${user.id}/steps`, { days: [{ date: '2026-06-01', steps: 4321 }] });
  });
  // jscode2session counts calls per user and minute (45011): each case starts in a fresh minute.
  beforeEach(async () => {
    await b.advance(60);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await place?.drop();
  });

  const exchange = (p: TestPlatform, code: string) => p.request<{ openid?: string; session_key?: string; errcode?: number }>('GET', code2sessionPath(app, code));
  const tokenOn = async (p: TestPlatform) =>
    (await p.request<{ access_token: string }>('GET', `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`)).body.access_token;
  const openData = (p: TestPlatform, token: string, ids: string[], openid?: string) =>
    p.request<{ errcode: number; data_list?: { json: string }[] }>(
      'POST', `/wxa/getopendata?access_token=${token}${openid ? `&openid=${openid}` : ''}`, { cloudid_list: ids },
    );

  it('a code issued on A is exchanged on B, once', async () => {
    const code = await loginCode(a, app, user);
    const first = await exchange(b, code);
    expect(first.body.openid).toMatch(/^o/);
    const again = await exchange(a, code);
    expect(again.body.errcode).toBe(40163);
  });

  it('1,000 concurrent exchanges of 100 codes spread over A and B give exactly 100 successes', async () => {
    const users = [user, await a.createUser(), await b.createUser(), await a.createUser()];
    const codes: string[] = [];
    for (let i = 0; i < 100; i += 20) {
      codes.push(...(await Promise.all(Array.from({ length: 20 }, (_, j) => loginCode(i + j < 50 ? a : b, app, users[(i + j) % 4]!)))));
    }
    const replies = await Promise.all(Array.from({ length: 1000 }, (_, i) => exchange(i % 2 ? a : b, codes[i % 100]!)));
    const ok = replies.filter((r) => r.body.session_key);
    expect(ok).toHaveLength(100);
    expect(replies.filter((r) => r.body.errcode === 40163)).toHaveLength(900);
  }, 60_000);

  it('a token from A works on B, keeps working there for 300 s after B issued a new one, then is 40001', async () => {
    const old = await tokenOn(a);
    expect((await openData(b, old, ['1_x'])).body.errcode).toBe(0);
    const fresh = await tokenOn(b);
    await a.advance(299);
    expect((await openData(b, old, ['1_x'])).body.errcode).toBe(0);
    await b.advance(2);
    expect((await openData(a, old, ['1_x'])).body.errcode).toBe(40001);
    expect((await openData(b, old, ['1_x'])).body.errcode).toBe(40001);
    expect((await openData(a, fresh, ['1_x'])).body.errcode).toBe(0);
  });

  it('a cloudID issued on A resolves on B, and expires on both after POST /clock/advance {seconds: 301} on A', async () => {
    const code = await loginCode(a, app, user);
    const { openid } = (await exchange(a, code)).body;
    const id = (await a.runtime<{ cloudID: string }>(user.deviceToken, 'POST', `/apps/${app.appid}/werun`)).body.cloudID;
    const token = await tokenOn(b);
    const resolved = JSON.parse((await openData(b, token, [id], openid!)).body.data_list![0]!.json);
    expect(resolved.data.stepInfoList.at(-1).step).toBe(4321);
    expect((await a.control('POST', '/clock/advance', { seconds: 301 })).status).toBe(200);
    const token2 = await tokenOn(a);
    for (const p of [a, b]) {
      expect(JSON.parse((await openData(p, token2, [id], openid!)).body.data_list![0]!.json)).toMatchObject({ errCode: -601006 });
    }
    const clocks = await Promise.all([a, b].map(async (p) => (await p.control<{ nowMs: number; frozen: boolean }>('GET', '/clock')).body));
    expect(clocks[1]).toEqual(clocks[0]);
  });

  it('a times: 1 fault added on A fires exactly once across both', async () => {
    const added = await a.control<{ id: string }>('POST', '/faults', { route: 'GET /sns/jscode2session', errcode: -1, times: 1 });
    expect(added.status).toBe(201);
    const replies = await Promise.all(Array.from({ length: 40 }, (_, i) => exchange(i % 2 ? a : b, 'no-such-code')));
    const faulted = replies.filter((r) => r.body.errcode === -1);
    expect(faulted).toHaveLength(1);
    expect(errmsgText((faulted[0]!.body as { errmsg?: string }).errmsg)).toBe('system error');
    const listed = await b.control<{ faults: { id: string; uses: number }[] }>('GET', '/faults');
    expect(listed.body.faults.find((f) => f.id === added.body.id)?.uses).toBe(1);
    await b.control('DELETE', '/faults');
    expect((await a.control<{ faults: unknown[] }>('GET', '/faults')).body.faults).toEqual([]);
  });

  // Each instance answers single-record reads from its memory while the versions it reads with the clock hold: a
  // change on A must reach B's next request even though B read the same records just before.
  it('a fault added on A for a route B has just served fires on B at its next call', async () => {
    expect((await exchange(b, 'no-such-code')).body.errcode).toBe(40029);
    const added = await a.control<{ id: string }>('POST', '/faults', { route: 'GET /sns/jscode2session', errcode: -1, times: 1 });
    expect((await exchange(b, 'no-such-code')).body.errcode).toBe(-1);
    expect((await exchange(b, 'no-such-code')).body.errcode).toBe(40029);
    await a.control('DELETE', `/faults/${added.body.id}`);
  });

  it('a user, an app, a history and a session changed on A are what B reads next, though B had just read them', async () => {
    const code = await loginCode(b, app, user);
    const { openid } = (await exchange(b, code)).body;
    const cloudSteps = async (p: TestPlatform): Promise<number> => {
      const id = (await p.runtime<{ cloudID: string }>(user.deviceToken, 'POST', `/apps/${app.appid}/werun`)).body.cloudID;
      const json = (await openData(p, await tokenOn(p), [id], openid!)).body.data_list![0]!.json;
      return (JSON.parse(json) as { data: { stepInfoList: { step: number }[] } }).data.stepInfoList.at(-1)!.step;
    };
    expect((await b.control<{ nickname: string }>('GET', `/users/${user.id}`)).body.nickname).not.toBe('Renamed on A');
    expect((await b.control<{ name: string }>('GET', `/apps/${app.appid}`)).body.name).not.toBe('Renamed app');
    expect(await cloudSteps(b)).toBe(4321);

    await a.control('PATCH', `/users/${user.id}`, { nickname: 'Renamed on A' });
    await a.control('PATCH', `/apps/${app.appid}`, { name: 'Renamed app' });
    await a.control('PUT', `/users/${user.id}/steps`, { days: [{ date: '2026-06-01', steps: 999 }] });
    expect((await b.control<{ nickname: string }>('GET', `/users/${user.id}`)).body.nickname).toBe('Renamed on A');
    expect((await b.control<{ name: string }>('GET', `/apps/${app.appid}`)).body.name).toBe('Renamed app');
    expect(await cloudSteps(b)).toBe(999);

    // A session ended on A is ended for B's runtime at once.
    await a.control('POST', `/apps/${app.appid}/users/${user.id}/session/expire`);
    const after = await b.runtime<{ error: { code: string } }>(user.deviceToken, 'POST', `/apps/${app.appid}/werun`);
    expect(after.body.error.code).toBe('OR_ERR_RUNTIME_NOT_LOGGED_IN');
    await a.control('PUT', `/users/${user.id}/steps`, { days: [{ date: '2026-06-01', steps: 4321 }] });
  });

  it('a reset on A ends the tokens and cloudIDs B had just resolved', async () => {
    const code = await loginCode(a, app, user);
    const { openid } = (await exchange(a, code)).body;
    const id = (await b.runtime<{ cloudID: string }>(user.deviceToken, 'POST', `/apps/${app.appid}/werun`)).body.cloudID;
    const token = await tokenOn(b);
    expect(JSON.parse((await openData(b, token, [id], openid!)).body.data_list![0]!.json)).toHaveProperty('data');
    const state = (await a.control<Record<string, unknown>>('GET', '/export')).body;
    expect((await a.control('POST', '/reset')).status).toBeLessThan(300);
    expect((await openData(b, token, [id], openid!)).body.errcode).toBe(40001);
    expect((await b.control('GET', `/apps/${app.appid}`)).status).toBe(404);
    // The state comes back through an import on A; B answers from it at once.
    expect((await a.control('POST', '/import', state)).status).toBe(200);
    expect(JSON.parse((await openData(b, token, [id], openid!)).body.data_list![0]!.json)).toHaveProperty('data');
    expect((await b.control('GET', `/apps/${app.appid}`)).status).toBe(200);
  });

  it("B's request log shows A's calls within 2 s", async () => {
    const marker = `marker-${Date.now()}`;
    await a.request('GET', `/sns/jscode2session?appid=${app.appid}&grant_type=${marker}`);
    const deadline = Date.now() + 2000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      const log = await b.control<{ requests: { url: string }[] }>('GET', '/requests?route=GET%20/sns/jscode2session');
      seen = log.body.requests.some((r) => r.url.includes(marker));
      if (!seen) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(true);
  });

  it('kill -9 of an instance during a large steps import leaves all or nothing, and B keeps serving', async () => {
    const instance = await startCliInstance(place);
    try {
      const victim = await b.createUser();
      const days = 40_000;
      const start = Date.UTC(1900, 0, 1);
      const csv = Array.from({ length: days }, (_, i) => `${new Date(start + i * 86_400_000).toISOString().slice(0, 10)},${(i % 30_000) + 1}`).join('\n');
      const upload = fetch(`${instance.baseUrl}/openrun/control/v1/users/${victim.id}/steps/import?format=csv`, { method: 'POST', body: csv }).catch(() => undefined);
      // Kill the instance while its transaction is writing the steps.
      const writing = await waitForInsert(servers!, place, 'steps');
      await instance.kill9();
      await upload;
      expect(writing).toBe(true);
      const stored = await b.control<{ days: unknown[] }>('GET', `/users/${victim.id}/steps?from=1900-01-01&to=2030-01-01`);
      expect(stored.status).toBe(200);
      expect([0, days]).toContain(stored.body.days.length);
      // B keeps serving the developer API.
      const code = await loginCode(b, app, user);
      expect((await exchange(b, code)).body.session_key).toBeTruthy();
    } finally {
      await instance.kill9();
    }
  }, 60_000);
});
