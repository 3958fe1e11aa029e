import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginCode, startTestPlatform, type TestApp, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
beforeEach(async () => {
  p = await startTestPlatform();
});
afterEach(() => p.close());

interface RuntimeError {
  error: { code: string; message: string; errMsg: string };
}

const FLAVOURS = [
  { platform: 'weapp', scope: 'scope.werun', path: 'werun', api: 'getWeRunData' },
  { platform: 'qq', scope: 'scope.qqrun', path: 'qqrun', api: 'getQQRunData' },
] as const;

describe.each(FLAVOURS)('authorization of $scope', ({ platform, scope, path, api }) => {
  let app: TestApp;
  beforeEach(async () => {
    app = await p.createApp({ platform });
  });

  it('a first call asks, the user accepts, and the grant is remembered', async () => {
    const user = await p.createUser();
    await loginCode(p, app, user);
    expect((await p.runtime(user.deviceToken, 'GET', `/apps/${app.appid}/setting`)).body).toEqual({ authSetting: {} });
    expect((await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`)).status).toBe(200);
    expect((await p.runtime(user.deviceToken, 'GET', `/apps/${app.appid}/setting`)).body).toEqual({ authSetting: { [scope]: true } });
  });

  it('a user who denies in the dialog gets "auth deny", then the remembered -12006 refusal without a dialog', async () => {
    const user = await p.createUser({ promptAnswer: 'deny' });
    await loginCode(p, app, user);
    const first = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`);
    expect(first.status).toBe(403);
    expect(first.body.error.errMsg).toBe(`${api}:fail auth deny`);
    // The user would now accept, but no dialog appears again.
    await p.control('PATCH', `/users/${user.id}`, { promptAnswer: 'accept' });
    const again = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`);
    expect(again.body.error.errMsg).toBe(`${api}:fail 系统错误，错误码：-12006,auth deny`);
    expect(again.body.error.code).toBe('OR_ERR_RUNTIME_AUTH_DENIED');
    expect((await p.runtime(user.deviceToken, 'GET', `/apps/${app.appid}/setting`)).body).toEqual({ authSetting: { [scope]: false } });
  });

  it('authorize follows the same rules with the authorize: prefix', async () => {
    const user = await p.createUser({ promptAnswer: 'deny' });
    const first = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/authorize`, { scope });
    expect(first.body.error.errMsg).toBe('authorize:fail auth deny');
    const again = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/authorize`, { scope });
    expect(again.body.error.errMsg).toBe('authorize:fail 系统错误，错误码：-12006,auth deny');
  });

  it('openSetting turns a refusal back into a grant, and the control API can forget it', async () => {
    const user = await p.createUser();
    await loginCode(p, app, user);
    await p.control('PUT', `/apps/${app.appid}/users/${user.id}/grants`, { [scope]: false });
    expect((await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`)).status).toBe(403);
    const toggled = await p.runtime(user.deviceToken, 'PUT', `/apps/${app.appid}/setting`, { authSetting: { [scope]: true, 'scope.camera': true } });
    expect(toggled.body).toEqual({ authSetting: { [scope]: true } });
    expect((await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`)).status).toBe(200);
    const forgotten = await p.control('PUT', `/apps/${app.appid}/users/${user.id}/grants`, { [scope]: null });
    expect(forgotten.body).toEqual({ authSetting: {} });
  });

  it('a device without a step counter fails authorize and the step API', async () => {
    const user = await p.createUser({ hasStepCounter: false });
    await loginCode(p, app, user);
    const r = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`);
    expect(r.body.error).toMatchObject({ code: 'OR_ERR_RUNTIME_NO_STEP_COUNTER', errMsg: `${api}:fail device not support` });
    const a = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/authorize`, { scope });
    expect(a.body.error.errMsg).toBe('authorize:fail device not support');
  });

  it('a user without WeRun / QQ Run enabled gets the not-enabled failure', async () => {
    const user = await p.createUser({ werunEnabled: false });
    await loginCode(p, app, user);
    const r = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`);
    expect(r.status).toBe(403);
    expect(r.body.error.errMsg).toBe(`${api}:fail 开发者未开通微信运动，请关注“微信运动”公众号后重试`);
  });

  it('the step API before any login fails with "please call login first"', async () => {
    const user = await p.createUser();
    const r = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`);
    expect(r.status).toBe(403);
    expect(r.body.error.errMsg).toBe(`${api}:fail please call login first`);
  });
});

describe('runtime API guards', () => {
  it('answers a missing or unknown device token with 401', async () => {
    const app = await p.createApp({ platform: 'weapp' });
    expect((await p.request('POST', `/openrun/runtime/v1/apps/${app.appid}/login`)).status).toBe(401);
    const r = await p.runtime<RuntimeError>('ordev_nobody', 'POST', `/apps/${app.appid}/login`);
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('OR_ERR_RUNTIME_DEVICE_TOKEN');
  });

  it('answers an unknown app with 404, the other platform\'s API with 400, an unknown scope with 400', async () => {
    const user = await p.createUser();
    expect((await p.runtime(user.deviceToken, 'POST', '/apps/wx0000000000000000/login')).status).toBe(404);
    const qq = await p.createApp({ platform: 'qq' });
    await loginCode(p, qq, user);
    const wrong = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${qq.appid}/werun`);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.errMsg).toMatch(/^getWeRunData:fail/);
    const scope = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${qq.appid}/authorize`, { scope: 'scope.werun' });
    expect(scope.status).toBe(400);
    expect(scope.body.error.errMsg).toBe('authorize:fail invalid scope');
    const bad = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${qq.appid}/authorize`, { scope: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.errMsg).toMatch(/^authorize:fail parameter error/);
  });

  it('answers a preflight for browser builds with CORS headers', async () => {
    const res = await fetch(`${p.baseUrl}/openrun/runtime/v1/apps/wx1/login`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
  });
});

describe('checkSession', () => {
  it('succeeds after a login and fails with the -13001 text before any login', async () => {
    const app = await p.createApp({ platform: 'weapp' });
    const user = await p.createUser();
    const before = await p.runtime<RuntimeError>(user.deviceToken, 'POST', `/apps/${app.appid}/check-session`);
    expect(before.status).toBe(403);
    expect(before.body.error.errMsg).toBe('checkSession:fail 系统错误，错误码：-13001,session time out, need relogin');
    await loginCode(p, app, user);
    expect((await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/check-session`)).status).toBe(200);
  });
});
