import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
beforeEach(async () => {
  p = await startTestPlatform();
});
afterEach(() => p.close());

interface ErrorBody {
  error: { code: string; message: string };
}

describe('apps and users', () => {
  it('creates and lists apps with generated credentials in the real formats', async () => {
    const wx = await p.control<Record<string, unknown>>('POST', '/apps', { platform: 'weapp', name: 'Walk', cloud: true, baseLibVersion: '2.30.0' });
    expect(wx.status).toBe(201);
    expect(wx.body).toMatchObject({ platform: 'weapp', name: 'Walk', cloud: true, baseLibVersion: '2.30.0' });
    expect(wx.body.appid).toMatch(/^wx[0-9a-f]{16}$/);
    expect(wx.body.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(wx.body.cloudEnv).toEqual(expect.any(String));
    const list = await p.control<{ apps: { appid: string }[] }>('GET', '/apps');
    expect(list.body.apps.map((a) => a.appid)).toEqual([wx.body.appid]);
    expect((await p.control('GET', `/apps/${String(wx.body.appid)}`)).body).toEqual(wx.body);
  });

  it('creates, reads, patches and lists users', async () => {
    const u = await p.control<Record<string, unknown>>('POST', '/users', { nickname: 'Ann', werunEnabled: false });
    expect(u.body).toMatchObject({ nickname: 'Ann', werunEnabled: false, hasStepCounter: true, promptAnswer: 'accept' });
    const patched = await p.control('PATCH', `/users/${String(u.body.id)}`, { werunEnabled: true, promptAnswer: 'deny' });
    expect(patched.body).toMatchObject({ werunEnabled: true, promptAnswer: 'deny', nickname: 'Ann' });
    expect((await p.control<{ users: unknown[] }>('GET', '/users')).body.users).toHaveLength(1);
  });

  it('refuses bad input with 4xx JSON errors', async () => {
    const cases: [string, string, unknown, number, string][] = [
      ['POST', '/apps', { platform: 'alipay' }, 400, 'OR_ERR_REQUEST_INVALID'],
      ['POST', '/apps', { platform: 'weapp', extra: 1 }, 400, 'OR_ERR_REQUEST_INVALID'],
      ['POST', '/apps', '{bad json', 400, 'OR_ERR_REQUEST_INVALID'],
      ['GET', '/apps/wx0000000000000000', undefined, 404, 'OR_ERR_APP_NOT_FOUND'],
      ['PATCH', '/users/nobody', { nickname: 'x' }, 404, 'OR_ERR_USER_NOT_FOUND'],
      ['GET', '/nothing-here', undefined, 404, 'OR_ERR_ROUTE_NOT_FOUND'],
    ];
    for (const [method, path, body, status, code] of cases) {
      const r = await p.control<ErrorBody>(method, path, body);
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(r.body.error.code).toBe(code);
      expect(r.body.error.message).toEqual(expect.any(String));
    }
  });
});

describe('steps', () => {
  it('writes days in one transaction and reads a range, oldest first', async () => {
    const u = await p.createUser();
    const put = await p.control('PUT', `/users/${u.id}/steps`, {
      days: [
        { date: '2026-01-02', steps: 200 },
        { date: '2026-01-01', steps: 100 },
      ],
    });
    expect(put.body).toEqual({ days: [{ date: '2026-01-01', steps: 100 }, { date: '2026-01-02', steps: 200 }] });
    await p.control('PUT', `/users/${u.id}/steps`, { days: [{ date: '2026-01-02', steps: 250 }] });
    const got = await p.control('GET', `/users/${u.id}/steps?from=2026-01-01&to=2026-01-31`);
    expect(got.body).toEqual({ days: [{ date: '2026-01-01', steps: 100 }, { date: '2026-01-02', steps: 250 }] });
  });

  it('rejects impossible dates, negative or absurd counts and duplicates without writing anything', async () => {
    const u = await p.createUser();
    const bad = [
      [{ date: '2026-02-30', steps: 1 }],
      [{ date: '2026-02-01', steps: -1 }],
      [{ date: '2026-02-01', steps: 5_000_000 }],
      [{ date: '2026-02-01', steps: 1.5 }],
      [{ date: '2026-02-01', steps: 1 }, { date: '2026-02-01', steps: 2 }],
    ];
    for (const days of bad) {
      const r = await p.control('PUT', `/users/${u.id}/steps`, { days: [{ date: '2026-02-02', steps: 7 }, ...days] });
      expect(r.status).toBe(400);
    }
    expect((await p.control('GET', `/users/${u.id}/steps?from=2026-02-01&to=2026-02-28`)).body).toEqual({ days: [] });
  });

  it('defaults the read range to the 31-day window ending today on the platform clock', async () => {
    await p.freezeClock('2026-07-31T17:00:00Z'); // 2026-08-01 01:00 in China
    const u = await p.createUser();
    await p.control('PUT', `/users/${u.id}/steps`, {
      days: [{ date: '2026-07-01', steps: 1 }, { date: '2026-07-02', steps: 2 }, { date: '2026-08-01', steps: 3 }],
    });
    expect((await p.control('GET', `/users/${u.id}/steps`)).body).toEqual({
      days: [{ date: '2026-07-02', steps: 2 }, { date: '2026-08-01', steps: 3 }],
    });
  });
});

describe('grants', () => {
  it('takes only the platform\'s own scope name', async () => {
    const qq = await p.createApp({ platform: 'qq' });
    const u = await p.createUser();
    expect((await p.control('PUT', `/apps/${qq.appid}/users/${u.id}/grants`, { 'scope.werun': true })).status).toBe(400);
    expect((await p.control('PUT', `/apps/${qq.appid}/users/${u.id}/grants`, { 'scope.qqrun': true })).body).toEqual({
      authSetting: { 'scope.qqrun': true },
    });
  });
});

describe('clock', () => {
  it('freezes, sets (also backwards, ISO or epoch ms) and advances', async () => {
    const frozen = await p.control<{ now: string; frozen: boolean; nowMs: number }>('PUT', '/clock', { now: '2030-01-01T00:00:00Z', frozen: true });
    expect(frozen.body).toEqual({ now: '2030-01-01T00:00:00.000Z', nowMs: Date.parse('2030-01-01T00:00:00Z'), frozen: true });
    const back = await p.control('PUT', '/clock', { now: Date.parse('2020-05-05T05:05:05Z') });
    expect(back.body).toMatchObject({ now: '2020-05-05T05:05:05.000Z', frozen: true });
    const advanced = await p.control('POST', '/clock/advance', { seconds: 86400 });
    expect(advanced.body).toMatchObject({ now: '2020-05-06T05:05:05.000Z' });
    expect((await p.control('GET', '/clock')).body).toMatchObject({ now: '2020-05-06T05:05:05.000Z' });
    const running = await p.control<{ frozen: boolean; nowMs: number }>('PUT', '/clock', { frozen: false });
    expect(running.body.frozen).toBe(false);
    expect(Math.abs(running.body.nowMs - Date.parse('2020-05-06T05:05:05Z'))).toBeLessThan(60_000);
    expect((await p.control('PUT', '/clock', { now: 'yesterday-ish' })).status).toBe(400);
  });
});

describe('faults', () => {
  it('makes the next call of a route answer an errcode, counts its use, and can be cleared', async () => {
    const app = await p.createApp({ platform: 'weapp' });
    const added = await p.control<{ id: string }>('POST', '/faults', { route: 'GET /cgi-bin/token', errcode: -1, times: 1 });
    expect(added.status).toBe(201);
    const url = `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`;
    const failed = await p.request<{ errcode: number; errmsg: string }>('GET', url);
    expect(failed.body.errcode).toBe(-1);
    expect(failed.body.errmsg).toMatch(/^system error, rid: /);
    expect((await p.request('GET', url)).body).toHaveProperty('access_token');
    expect((await p.control<{ faults: { uses: number }[] }>('GET', '/faults')).body.faults[0]!.uses).toBe(1);
    await p.control('DELETE', '/faults');
    expect((await p.control<{ faults: unknown[] }>('GET', '/faults')).body.faults).toEqual([]);
  });

  it('a drop fault closes the connection without a reply', async () => {
    await p.control('POST', '/faults', { route: 'GET /qq/api/getToken', drop: true, times: 1 });
    await expect(fetch(`${p.baseUrl}/qq/api/getToken?grant_type=client_credential&appid=1&secret=2`)).rejects.toThrow();
    expect((await p.request('GET', '/qq/api/getToken?grant_type=client_credential&appid=1&secret=2')).body).toMatchObject({ errcode: 40013 });
  });
});

describe('reset and OpenAPI', () => {
  it('reset forgets apps, users and faults', async () => {
    await p.createApp({ platform: 'weapp' });
    await p.createUser();
    await p.control('POST', '/faults', { route: 'GET /cgi-bin/token', errcode: -1 });
    expect((await p.control('POST', '/reset')).status).toBe(204);
    expect((await p.control('GET', '/apps')).body).toEqual({ apps: [] });
    expect((await p.control('GET', '/users')).body).toEqual({ users: [] });
    expect((await p.control('GET', '/faults')).body).toEqual({ faults: [] });
  });

  it('publishes an OpenAPI document listing every control and runtime route', async () => {
    const doc = await p.request<{ openapi: string; paths: Record<string, Record<string, unknown>> }>('GET', '/openrun/openapi.json');
    expect(doc.body.openapi).toMatch(/^3\./);
    for (const path of [
      '/openrun/control/v1/apps',
      '/openrun/control/v1/users/{id}/steps',
      '/openrun/control/v1/apps/{appid}/users/{id}/grants',
      '/openrun/control/v1/clock/advance',
      '/openrun/runtime/v1/apps/{appid}/werun',
      '/openrun/runtime/v1/apps/{appid}/qqrun',
      '/sns/jscode2session',
      '/wxa/getopendata',
    ]) {
      expect(doc.body.paths, path).toHaveProperty([path]);
    }
  });
});
