import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestApp, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.createApp({ platform: 'weapp' });
});
afterAll(() => p.close());

const PROTOTYPE_NAMES = ['constructor', 'hasOwnProperty', 'toString', '__proto__', 'valueOf'];

const putSetting = (token: string, authSetting: string) =>
  p.request<{ authSetting?: Record<string, boolean>; error?: { code: string; message: string } }>(
    'PUT',
    `/openrun/runtime/v1/apps/${app.appid}/setting`,
    `{"authSetting":${authSetting}}`,
    { authorization: `Bearer ${token}` },
  );

it('openSetting with an Object.prototype name as scope is a 4xx naming it, for a new and for a known user', async () => {
  const fresh = await p.createUser();
  const known = await p.createUser({ promptAnswer: 'accept' });
  await p.runtime(known.deviceToken, 'POST', `/apps/${app.appid}/authorize`, { scope: 'scope.werun' });
  for (const name of PROTOTYPE_NAMES) {
    for (const user of [fresh, known]) {
      const r = await putSetting(user.deviceToken, `{${JSON.stringify(name)}:true}`);
      expect(r.status, name).toBe(400);
      expect(r.body.error?.code).toBe('OR_ERR_RUNTIME_INVALID_SCOPE');
      expect(r.body.error?.message).toContain(`"${name}"`);
    }
  }
  const setting = await p.runtime<{ authSetting: Record<string, boolean> }>(known.deviceToken, 'GET', `/apps/${app.appid}/setting`);
  expect(setting.body.authSetting).toEqual({ 'scope.werun': true });
  expect((await p.runtime(fresh.deviceToken, 'GET', `/apps/${app.appid}/setting`)).body).toEqual({ authSetting: {} });
});

it('openSetting still toggles a known scope that was asked before, and ignores a known one never asked', async () => {
  const user = await p.createUser({ promptAnswer: 'accept' });
  await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/authorize`, { scope: 'scope.werun' });
  const r = await putSetting(user.deviceToken, '{"scope.werun":false,"scope.camera":true}');
  expect(r.status).toBe(200);
  expect(r.body.authSetting).toEqual({ 'scope.werun': false });
});

it('the control API and a whole-state import refuse prototype names as scopes', async () => {
  const user = await p.createUser();
  for (const name of PROTOTYPE_NAMES) {
    const r = await p.request('PUT', `/openrun/control/v1/apps/${app.appid}/users/${user.id}/grants`, `{${JSON.stringify(name)}:true}`, {
      'content-type': 'application/json',
    });
    expect(r.status, name).toBe(400);
  }
  await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/login`);
  const doc = (await p.control<Record<string, unknown> & { appUsers: { grants: Record<string, boolean> }[] }>('GET', '/export')).body;
  const text = JSON.stringify(doc).replace('"grants":{}', '"grants":{"constructor":true}');
  expect(text).toContain('"constructor":true');
  const r = await p.request<{ error?: { message: string } }>('POST', '/openrun/control/v1/import', text, { 'content-type': 'application/json' });
  expect(r.status).toBe(400);
  expect(r.body.error?.message).toContain('constructor');
});

it('a developer-API parameter named like an Object.prototype member is an ordinary parameter error', async () => {
  for (const name of PROTOTYPE_NAMES) {
    const r = await p.request<{ errcode: number }>('POST', '/wxa/getopendata?access_token=x', `{${JSON.stringify(name)}:1}`, {
      'content-type': 'application/json',
    });
    expect(r.status).toBe(200);
    expect(r.body.errcode).toBeGreaterThan(0);
  }
});
