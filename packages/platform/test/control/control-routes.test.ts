import { afterEach, beforeEach, expect, it } from 'vitest';
import { accessToken, loginAndExchange, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
beforeEach(async () => {
  p = await startTestPlatform();
});
afterEach(() => p.close());

interface Day {
  date: string;
  steps: number;
}

it('PATCH /apps changes name, cloud, base library and open-platform account, and refuses cloud on QQ', async () => {
  const wx = await p.createApp({ platform: 'weapp' });
  const r = await p.control('PATCH', `/apps/${wx.appid}`, { name: 'Renamed', cloud: true, baseLibVersion: '2.6.0', openPlatformId: 'op1' });
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ name: 'Renamed', cloud: true, baseLibVersion: '2.6.0', openPlatformId: 'op1', cloudEnv: expect.any(String) });
  const off = await p.control('PATCH', `/apps/${wx.appid}`, { cloud: false, openPlatformId: null });
  expect(off.body).toMatchObject({ cloud: false, cloudEnv: null, openPlatformId: null, name: 'Renamed' });
  const qq = await p.createApp({ platform: 'qq' });
  expect((await p.control('PATCH', `/apps/${qq.appid}`, { cloud: true })).status).toBe(400);
  expect((await p.control('PATCH', `/apps/${wx.appid}`, { secret: 'x' })).status).toBe(400);
  expect((await p.control('PATCH', '/apps/wx0000000000000000', { name: 'x' })).status).toBe(404);
});

it('a user with an openid unionid appears once the app has an open-platform account', async () => {
  const wx = await p.createApp({ platform: 'weapp', openPlatformId: 'op1' });
  const u = await p.createUser();
  const session = await loginAndExchange(p, wx, u);
  expect(session).toHaveProperty('unionid');
});

it('DELETE /users removes the user with the history and the openids; a second delete is 404', async () => {
  const wx = await p.createApp({ platform: 'weapp' });
  const u = await p.createUser();
  await p.control('PUT', `/users/${u.id}/steps`, { days: [{ date: '2026-01-01', steps: 5 }] });
  await loginAndExchange(p, wx, u);
  expect((await p.control('DELETE', `/users/${u.id}`)).status).toBe(204);
  expect((await p.control('GET', `/users/${u.id}`)).status).toBe(404);
  expect((await p.control<{ appUsers: unknown[] }>('GET', `/apps/${wx.appid}/users`)).body.appUsers).toEqual([]);
  expect((await p.control('DELETE', `/users/${u.id}`)).status).toBe(404);
});

it('generate writes a seeded history whose today grows as the platform clock moves', async () => {
  await p.freezeClock('2026-03-04T00:30:00Z'); // 08:30 in China, a Wednesday
  const u = await p.createUser();
  const gen = await p.control<{ days: Day[] }>('POST', `/users/${u.id}/steps/generate`, { seed: 7, days: 31 });
  expect(gen.status).toBe(200);
  expect(gen.body.days).toHaveLength(31);
  expect(gen.body.days.at(-1)!.date).toBe('2026-03-04');
  const morning = gen.body.days.at(-1)!.steps;
  await p.advance(10 * 3600); // 18:30
  const evening = (await p.control<{ days: Day[] }>('GET', `/users/${u.id}/steps`)).body.days.at(-1)!;
  expect(evening.date).toBe('2026-03-04');
  expect(evening.steps).toBeGreaterThan(morning);
  await p.advance(86400); // the next day comes from the model too
  expect((await p.control<{ days: Day[] }>('GET', `/users/${u.id}/steps`)).body.days.at(-2)!.steps).toBeGreaterThanOrEqual(evening.steps);
  const again = await p.createUser();
  await p.freezeClock('2026-03-04T00:30:00Z');
  const same = await p.control<{ days: Day[] }>('POST', `/users/${again.id}/steps/generate`, { seed: 7, days: 31 });
  expect(same.body.days).toEqual(gen.body.days);
});

it('generated histories have a weekday/weekend rhythm and rest days', async () => {
  await p.freezeClock('2026-03-04T15:00:00Z');
  const u = await p.createUser();
  const gen = await p.control<{ days: Day[] }>('POST', `/users/${u.id}/steps/generate`, { seed: 3, days: 365, baseline: 8000, weekendFactor: 1.5, restDayChance: 0.1 });
  const weekend = gen.body.days.filter((d) => [0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay()));
  const weekday = gen.body.days.filter((d) => ![0, 6].includes(new Date(`${d.date}T00:00:00Z`).getUTCDay()));
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  expect(median(weekend.map((d) => d.steps))).toBeGreaterThan(median(weekday.map((d) => d.steps)) * 1.2);
  expect(gen.body.days.filter((d) => d.steps < 2000).length).toBeGreaterThan(10);
});

it('an explicit write overrides a generated day', async () => {
  await p.freezeClock('2026-03-04T04:00:00Z');
  const u = await p.createUser();
  await p.control('POST', `/users/${u.id}/steps/generate`, { seed: 1, days: 5 });
  await p.control('PUT', `/users/${u.id}/steps`, { days: [{ date: '2026-03-04', steps: 4321 }] });
  expect((await p.control<{ days: Day[] }>('GET', `/users/${u.id}/steps`)).body.days.at(-1)).toEqual({ date: '2026-03-04', steps: 4321 });
});

it('POST /users/generate creates many users with histories at once', async () => {
  const r = await p.control<{ created: number; users: { id: string }[] }>('POST', '/users/generate', { count: 25, days: 10, seed: 100 });
  expect(r.status).toBe(201);
  expect(r.body.created).toBe(25);
  const steps = await p.control<{ days: Day[] }>('GET', `/users/${r.body.users[3]!.id}/steps`);
  expect(steps.body.days).toHaveLength(10);
  expect((await p.control('POST', '/users/generate', { count: 0 })).status).toBe(400);
  expect((await p.control('POST', '/users/generate', { count: 10_001 })).status).toBe(400);
});

it('rotate gives a new session_key at once and expire ends the session', async () => {
  const wx = await p.createApp({ platform: 'weapp' });
  const u = await p.createUser();
  const first = await loginAndExchange(p, wx, u);
  const rotated = await p.control<{ sessionKey: string; openid: string }>('POST', `/apps/${wx.appid}/users/${u.id}/session/rotate`);
  expect(rotated.status).toBe(200);
  expect(rotated.body.openid).toBe(first.openid);
  expect(rotated.body.sessionKey).not.toBe(first.session_key);
  expect((await p.control('GET', `/apps/${wx.appid}/users/${u.id}/session`)).body).toMatchObject({ sessionKey: rotated.body.sessionKey });
  const expired = await p.control('POST', `/apps/${wx.appid}/users/${u.id}/session/expire`);
  expect(expired.body).toMatchObject({ sessionKey: null });
  const check = await p.runtime(u.deviceToken, 'POST', `/apps/${wx.appid}/check-session`);
  expect(check.status).toBe(403);
  const stranger = await p.createUser();
  expect((await p.control('POST', `/apps/${wx.appid}/users/${stranger.id}/session/rotate`)).status).toBe(409);
});

it('GET /live lists codes, tokens and cloudIDs with their remaining lifetime', async () => {
  await p.freezeClock('2026-05-01T02:00:00Z');
  const wx = await p.createApp({ platform: 'weapp', cloud: true });
  const u = await p.createUser();
  await loginAndExchange(p, wx, u);
  await accessToken(p, wx);
  const step = await p.runtime<{ cloudID: string }>(u.deviceToken, 'POST', `/apps/${wx.appid}/werun`);
  expect(step.body.cloudID).toEqual(expect.any(String));
  await p.advance(60);
  const live = await p.control<{ loginCodes: { used: boolean; remainingMs: number }[]; accessTokens: { remainingMs: number }[]; cloudIds: { cloudId: string; remainingMs: number }[] }>('GET', '/live');
  expect(live.body.loginCodes).toEqual([expect.objectContaining({ used: true, remainingMs: 240_000 })]);
  expect(live.body.accessTokens).toEqual([expect.objectContaining({ remainingMs: 7140_000 })]);
  expect(live.body.cloudIds).toEqual([expect.objectContaining({ cloudId: step.body.cloudID, remainingMs: 240_000 })]);
  await p.advance(240);
  expect((await p.control<{ cloudIds: unknown[] }>('GET', '/live')).body.cloudIds).toEqual([]);
});

it('the request log records platform calls with secrets, codes and tokens redacted, filterable by route, status and time', async () => {
  await p.freezeClock('2026-05-01T02:00:00Z');
  const wx = await p.createApp({ platform: 'weapp' });
  const u = await p.createUser();
  const session = await loginAndExchange(p, wx, u);
  await p.control('POST', '/faults', { route: 'GET /cgi-bin/token', errcode: -1, times: 1 });
  await p.advance(60);
  await accessToken(p, wx);
  const all = await p.control<{ requests: { route: string; url: string; status: number; errcode: unknown; faultId: string | null; at: string }[] }>('GET', '/requests');
  const text = JSON.stringify(all.body);
  for (const secret of [wx.secret, session.session_key]) expect(text).not.toContain(secret);
  expect(all.body.requests.map((r) => r.route)).toEqual(['GET /cgi-bin/token', 'GET /sns/jscode2session', 'POST /openrun/runtime/v1/apps/:appid/login']);
  const token = all.body.requests[0]!;
  expect(token).toMatchObject({ status: 200, errcode: -1, faultId: 'fault_1' });
  expect(token.url).toContain('secret=[redacted]');
  expect(token.url).toContain(`appid=${wx.appid}`);
  expect(all.body.requests[1]!.url).toContain('js_code=[redacted]');
  const byRoute = await p.control<{ requests: unknown[] }>('GET', `/requests?route=${encodeURIComponent('GET /sns/jscode2session')}`);
  expect(byRoute.body.requests).toHaveLength(1);
  const since = await p.control<{ requests: unknown[] }>('GET', `/requests?since=${encodeURIComponent('2026-05-01T02:00:30Z')}`);
  expect(since.body.requests).toHaveLength(1);
  expect((await p.control<{ requests: unknown[] }>('GET', '/requests?status=404')).body.requests).toEqual([]);
  expect((await p.control('GET', '/requests?since=soon')).status).toBe(400);
  expect((await p.control('DELETE', '/requests')).status).toBe(204);
  expect((await p.control<{ requests: unknown[] }>('GET', '/requests')).body.requests).toEqual([]);
});

it('the request log redacts a cloudID wherever the body repeats it, as in the json text of a getopendata reply', async () => {
  const wx = await p.createApp({ platform: 'weapp', cloud: true });
  const u = await p.createUser();
  const { openid } = await loginAndExchange(p, wx, u);
  const token = await accessToken(p, wx);
  const werun = await p.runtime<{ cloudID: string }>(u.deviceToken, 'POST', `/apps/${wx.appid}/werun`);
  const reply = await p.request<{ data_list: { json: string }[] }>('POST', `/wxa/getopendata?access_token=${token}&openid=${openid}`, { cloudid_list: [werun.body.cloudID] });
  expect(reply.body.data_list[0]!.json).toContain(werun.body.cloudID);
  const logged = await p.control<{ requests: { route: string; responseBody: string | null }[] }>('GET', `/requests?route=${encodeURIComponent('POST /wxa/getopendata')}`);
  const entry = logged.body.requests[0]!;
  expect(JSON.stringify(logged.body)).not.toContain(werun.body.cloudID);
  // The rest of the json text is kept for the inspector.
  expect(JSON.parse(JSON.parse(entry.responseBody!).data_list[0].json)).toMatchObject({ cloudID: '[redacted]', data: { stepInfoList: expect.any(Array) } });
});

it('the request log keeps a dropped connection with status 0', async () => {
  await p.control('POST', '/faults', { route: 'GET /qq/api/getToken', drop: true, times: 1 });
  await expect(fetch(`${p.baseUrl}/qq/api/getToken?grant_type=client_credential&appid=1&secret=2`)).rejects.toThrow();
  let entries: { status: number; faultId: string | null }[] = [];
  for (let i = 0; i < 50 && entries.length === 0; i++) {
    entries = (await p.control<{ requests: { status: number; faultId: string | null }[] }>('GET', '/requests')).body.requests;
    if (entries.length === 0) await new Promise((r) => setTimeout(r, 20));
  }
  expect(entries).toEqual([expect.objectContaining({ status: 0, faultId: 'fault_1' })]);
});

it('export, reset, import gives an identical export', async () => {
  await p.freezeClock('2026-05-01T02:00:00Z');
  const wx = await p.createApp({ platform: 'weapp', cloud: true, openPlatformId: 'op' });
  await p.createApp({ platform: 'qq' });
  const u = await p.createUser({ nickname: 'Ann' });
  await p.control('POST', `/users/${u.id}/steps/generate`, { seed: 5, days: 40 });
  await p.control('POST', '/users/generate', { count: 3, days: 5 });
  await loginAndExchange(p, wx, u);
  await accessToken(p, wx);
  await p.runtime(u.deviceToken, 'POST', `/apps/${wx.appid}/werun`);
  await p.control('POST', '/faults', { route: 'GET /sns/jscode2session', errcode: -1, times: 2 });
  const first = await p.control<Record<string, unknown>>('GET', '/export');
  expect(first.status).toBe(200);
  expect(first.body).toMatchObject({ format: 'openrun-state', version: 1 });
  expect((await p.control('POST', '/reset')).status).toBe(204);
  await p.control('PUT', '/clock', { now: '2030-01-01T00:00:00Z' });
  const imported = await p.control('POST', '/import', first.body);
  expect(imported.status).toBe(200);
  expect(imported.body).toEqual({ imported: { app: 2, user: 4, appUser: 1, loginCode: 1, accessToken: 1, cloudId: 1, counter: expect.any(Number) } });
  expect((await p.control('GET', '/export')).body).toEqual(first.body);
  // The imported platform works: the cloudID still resolves, the fault is still armed.
  const code = await p.runtime<{ code: string }>(u.deviceToken, 'POST', `/apps/${wx.appid}/login`);
  const denied = await p.request<{ errcode: number }>('GET', `/sns/jscode2session?appid=${wx.appid}&secret=${wx.secret}&js_code=${code.body.code}&grant_type=authorization_code`);
  expect(denied.body.errcode).toBe(-1);
});

it('import refuses a broken document with its JSON path and changes nothing', async () => {
  await p.freezeClock('2026-05-01T02:00:00Z');
  const wx = await p.createApp({ platform: 'weapp' });
  const u = await p.createUser();
  await p.control('PUT', `/users/${u.id}/steps`, { days: [{ date: '2026-01-01', steps: 5 }] });
  const doc = (await p.control<{ users: { steps: Day[] }[]; appUsers: unknown[] }>('GET', '/export')).body;
  const before = JSON.stringify(doc);
  const badDate = structuredClone(doc);
  badDate.users[0]!.steps[0]!.date = '2026-02-30';
  const r1 = await p.control<{ error: { code: string; message: string } }>('POST', '/import', badDate);
  expect(r1.status).toBe(400);
  expect(r1.body.error).toMatchObject({ code: 'OR_ERR_CONTROL_IMPORT_INVALID', message: expect.stringContaining('users[0].steps[0].date') });
  const badRef = structuredClone(doc);
  badRef.appUsers.push({ appid: wx.appid, userId: 'ghost', openid: 'o1', unionid: null, sessionKey: null, sessionRotatedAt: null, grants: {} });
  const r2 = await p.control<{ error: { message: string } }>('POST', '/import', badRef);
  expect(r2.body.error.message).toContain('appUsers[0].userId');
  const badShape = await p.control<{ error: { message: string } }>('POST', '/import', { ...doc, users: [{ id: 1 }] });
  expect(badShape.status).toBe(400);
  expect(badShape.body.error.message).toContain('/users/0');
  expect(JSON.stringify((await p.control('GET', '/export')).body)).toBe(before);
});

it('the OpenAPI document lists the new control routes', async () => {
  const doc = await p.request<{ paths: Record<string, Record<string, unknown>> }>('GET', '/openrun/openapi.json');
  const expected: [string, string][] = [
    ['/openrun/control/v1/apps/{appid}', 'patch'],
    ['/openrun/control/v1/users/{id}', 'delete'],
    ['/openrun/control/v1/users/{id}/steps/generate', 'post'],
    ['/openrun/control/v1/users/{id}/steps/import', 'post'],
    ['/openrun/control/v1/users/generate', 'post'],
    ['/openrun/control/v1/apps/{appid}/users', 'get'],
    ['/openrun/control/v1/apps/{appid}/users/{id}/session', 'get'],
    ['/openrun/control/v1/apps/{appid}/users/{id}/session/rotate', 'post'],
    ['/openrun/control/v1/apps/{appid}/users/{id}/session/expire', 'post'],
    ['/openrun/control/v1/live', 'get'],
    ['/openrun/control/v1/requests', 'get'],
    ['/openrun/control/v1/export', 'get'],
    ['/openrun/control/v1/import', 'post'],
  ];
  for (const [path, method] of expected) expect(doc.body.paths[path], `${method} ${path}`).toHaveProperty([method]);
});

it('GET /apps/{appid}/users lists the app\'s users with openid, login state and grants', async () => {
  const wx = await p.createApp({ platform: 'weapp' });
  const ann = await p.createUser();
  const bob = await p.createUser();
  const session = await loginAndExchange(p, wx, ann);
  await p.control('PUT', `/apps/${wx.appid}/users/${bob.id}/grants`, { 'scope.werun': false });
  const r = await p.control<{ appUsers: unknown[] }>('GET', `/apps/${wx.appid}/users`);
  expect(r.body.appUsers).toEqual([
    { userId: ann.id, openid: session.openid, unionid: null, loggedIn: true, authSetting: {} },
    { userId: bob.id, openid: expect.stringMatching(/^o/), unionid: null, loggedIn: false, authSetting: { 'scope.werun': false } },
  ]);
  expect((await p.control('GET', '/apps/wx0000000000000000/users')).status).toBe(404);
});

it('DELETE /faults/{id} removes one rule and a delay fault is logged with at least its delay', async () => {
  const wx = await p.createApp({ platform: 'weapp' });
  const slow = await p.control<{ id: string }>('POST', '/faults', { route: 'GET /cgi-bin/token', delayMs: 50, times: 1 });
  const broken = await p.control<{ id: string }>('POST', '/faults', { route: 'GET /wxa/checksession', errcode: -1 });
  expect((await p.control('DELETE', `/faults/${broken.body.id}`)).status).toBe(204);
  expect((await p.control('DELETE', `/faults/${broken.body.id}`)).status).toBe(400);
  expect((await p.control<{ faults: { id: string }[] }>('GET', '/faults')).body.faults.map((f) => f.id)).toEqual([slow.body.id]);
  expect(await accessToken(p, wx)).toEqual(expect.any(String));
  const [entry] = (await p.control<{ requests: { durationMs: number; faultId: string; status: number }[] }>('GET', '/requests')).body.requests;
  expect(entry).toMatchObject({ faultId: slow.body.id, status: 200 });
  expect(entry!.durationMs).toBeGreaterThanOrEqual(49);
});
