import { afterAll, beforeAll, expect, it } from 'vitest';
import { errmsgText, startTestPlatform, type TestApp, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.createApp({ platform: 'weapp' });
});
afterAll(() => p.close());

const long = 'a'.repeat(700);

it('a broken %-escape or an over-long segment on the developer API is HTTP 200 with errcode and rid', async () => {
  for (const path of ['/sns/jscode2session/%zz', '/cgi-bin/%zz?appid=x', '/%zz', '/qq/sns/%zz', '/tcb/%zz']) {
    const r = await p.request<{ errcode: number; errmsg: string }>('GET', path);
    expect(r.status, path).toBe(200);
    expect(r.headers.get('content-type'), path).toBe('application/json; encoding=utf-8');
    expect(r.body.errcode, path).toBe(40066);
    expect(r.body.errmsg, path).toMatch(/^invalid url, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(errmsgText(r.body.errmsg)).toBe('invalid url');
  }
});

it('on OpenRun\'s own APIs the same failures are a 4xx in the {error:{code,message}} shape', async () => {
  const cases: [string, number, string][] = [
    ['/openrun/control/v1/users/%zz', 400, 'OR_ERR_REQUEST_BAD_URL'],
    [`/openrun/control/v1/users/${long}`, 414, 'OR_ERR_REQUEST_URL_TOO_LONG'],
    ['/openrun/runtime/v1/apps/%zz/setting', 400, 'OR_ERR_REQUEST_BAD_URL'],
    [`/openrun/runtime/v1/apps/${long}/setting`, 414, 'OR_ERR_REQUEST_URL_TOO_LONG'],
    ['/ui/%zz', 400, 'OR_ERR_REQUEST_BAD_URL'],
  ];
  for (const [path, status, code] of cases) {
    const r = await p.request<{ error: { code: string; message: string } }>('GET', path);
    expect(r.status, path).toBe(status);
    expect(r.body.error.code, path).toBe(code);
    expect(r.body.error.message.length).toBeGreaterThan(10);
    expect(r.body).not.toHaveProperty('statusCode');
  }
  const runtime = await p.request('GET', '/openrun/runtime/v1/apps/%zz/setting');
  expect(runtime.headers.get('access-control-allow-origin')).toBe('*');
});

it('the platform keeps serving after routing failures', async () => {
  expect((await p.control('GET', `/apps/${app.appid}`)).status).toBe(200);
});
