/**
 * `connect()` for a WeChat app, driven against a real platform on an ephemeral port: login, checkSession, authorize,
 * getSetting, openSetting and getWeRunData with the exact errMsg texts of PROTOCOL.md §2–5.
 */
import {
  CHECK_SESSION_EXPIRED_ERRMSG,
  CLOUD_ID_PATTERN,
  isAuthDenied,
  NO_STEP_COUNTER_REASON,
  NOT_LOGGED_IN_REASON,
  WERUN_DISABLED_REASON,
  authDenyErrMsg,
  failErrMsg,
  rememberedDenyErrMsg,
} from '@openrun/core';
import { decryptOpenData } from '@openrun/core/cipher';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, type CallbackResult, type ConnectOptions, type WxApi } from '../src/index.js';
import { FROZEN_NOW, startPlatform, type TestApp, type TestPlatform, type TestUser } from './helpers/platform.js';

let platform: TestPlatform;
let app: TestApp;
let user: TestUser;

beforeEach(async () => {
  platform = await startPlatform();
  await platform.control('PUT', '/clock', { now: FROZEN_NOW, frozen: true });
  app = await platform.createApp({ platform: 'weapp' });
  user = await platform.createUser({ promptAnswer: 'accept' });
});

afterEach(async () => {
  await platform.close();
});

function wxFor(target: TestApp = app, who: TestUser = user, extra: Partial<ConnectOptions> = {}): WxApi {
  return connect({ baseUrl: platform.baseUrl, appid: target.appid, deviceToken: who.deviceToken, ...extra, platform: 'weapp' });
}

async function sessionKeyOf(target: TestApp, code: string): Promise<string> {
  const { body } = await platform.code2Session(target, code);
  expect(typeof body.session_key).toBe('string');
  return body.session_key as string;
}

async function failureOf(promise: Promise<unknown>): Promise<CallbackResult> {
  return promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (reason: CallbackResult) => reason,
  );
}

describe('wx on a real platform', () => {
  it('login gives a code that jscode2session exchanges for an openid and session_key', async () => {
    const res = await wxFor().login();
    expect(res.errMsg).toBe('login:ok');
    const { status, body } = await platform.code2Session(app, res.code);
    expect(status).toBe(200);
    expect(body).toEqual({ openid: expect.stringMatching(/^o/), session_key: expect.any(String) });
  });

  it('getWeRunData after login returns 31 days that decrypt with the session_key from jscode2session', async () => {
    await platform.putSteps(user.id, [
      { date: '2026-03-10', steps: 8123 },
      { date: '2026-03-09', steps: 4567 },
    ]);
    const wx = wxFor();
    const { code } = await wx.login();
    const res = await wx.getWeRunData();
    expect(res.errMsg).toBe('getWeRunData:ok');
    expect('cloudID' in res).toBe(false);
    const data = decryptOpenData(await sessionKeyOf(app, code), res.encryptedData, res.iv) as {
      stepInfoList: Array<{ timestamp: number; step: number }>;
      watermark: { appid: string };
    };
    expect(data.stepInfoList).toHaveLength(31);
    expect(data.stepInfoList.slice(-2).map((d) => d.step)).toEqual([4567, 8123]);
    expect(data.watermark.appid).toBe(app.appid);
  });

  it('getWeRunData without a prior login fails with the not-logged-in errMsg', async () => {
    const failure = await failureOf(wxFor().getWeRunData());
    expect(failure).toEqual({ errMsg: failErrMsg('getWeRunData', NOT_LOGGED_IN_REASON) });
  });

  it('a denial in the dialog fails with auth deny, and the remembered refusal with the -12006 text', async () => {
    const denier = await platform.createUser({ promptAnswer: 'deny' });
    const wx = wxFor(app, denier);
    await wx.login();
    const first = await failureOf(wx.getWeRunData());
    const second = await failureOf(wx.getWeRunData());
    expect(first.errMsg).toBe('getWeRunData:fail auth deny');
    expect(second.errMsg).toBe('getWeRunData:fail 系统错误，错误码：-12006,auth deny');
    expect([isAuthDenied(first.errMsg), isAuthDenied(second.errMsg)]).toEqual([true, true]);
    expect((await wx.getSetting()).authSetting).toEqual({ 'scope.werun': false });
  });

  it('authorize grants once, and a refused scope fails at once with the remembered-refusal text', async () => {
    const wx = wxFor();
    await expect(wx.authorize({ scope: 'scope.werun' })).resolves.toEqual({ errMsg: 'authorize:ok' });
    await expect(wx.getSetting()).resolves.toEqual({
      errMsg: 'getSetting:ok',
      authSetting: { 'scope.werun': true },
      subscriptionsSetting: { mainSwitch: true },
    });

    const denier = await platform.createUser({ promptAnswer: 'deny' });
    const refused = wxFor(app, denier);
    expect((await failureOf(refused.authorize({ scope: 'scope.werun' }))).errMsg).toBe(authDenyErrMsg('authorize'));
    expect((await failureOf(refused.authorize({ scope: 'scope.werun' }))).errMsg).toBe(rememberedDenyErrMsg('authorize'));
  });

  it('a refusal set through the control API fails getWeRunData without a dialog', async () => {
    await platform.control('PUT', `/apps/${app.appid}/users/${user.id}/grants`, { 'scope.werun': false });
    const wx = wxFor();
    await wx.login();
    expect((await failureOf(wx.getWeRunData())).errMsg).toBe(rememberedDenyErrMsg('getWeRunData'));
  });

  it('authorize of an unknown scope fails with a clear errMsg', async () => {
    expect((await failureOf(wxFor().authorize({ scope: 'scope.teleport' }))).errMsg).toBe('authorize:fail invalid scope');
  });

  it('openSetting lets the configured user turn a refused scope back on, and getWeRunData then succeeds', async () => {
    await platform.control('PUT', `/apps/${app.appid}/users/${user.id}/grants`, { 'scope.werun': false });
    const seen: unknown[] = [];
    const wx = wxFor(app, user, {
      onOpenSetting: (current) => {
        seen.push(current);
        return { ...current, 'scope.werun': true };
      },
    });
    const res = await wx.openSetting();
    expect(seen).toEqual([{ 'scope.werun': false }]);
    expect(res).toMatchObject({ errMsg: 'openSetting:ok', authSetting: { 'scope.werun': true } });
    await wx.login();
    await expect(wx.getWeRunData()).resolves.toMatchObject({ errMsg: 'getWeRunData:ok' });
  });

  it('openSetting without a configured user changes nothing', async () => {
    await platform.control('PUT', `/apps/${app.appid}/users/${user.id}/grants`, { 'scope.werun': false });
    await expect(wxFor().openSetting()).resolves.toMatchObject({ errMsg: 'openSetting:ok', authSetting: { 'scope.werun': false } });
  });

  it('checkSession fails with the -13001 text before any login and succeeds after one', async () => {
    const wx = wxFor();
    expect(await failureOf(wx.checkSession())).toEqual({ errMsg: CHECK_SESSION_EXPIRED_ERRMSG });
    await wx.login();
    await expect(wx.checkSession()).resolves.toEqual({ errMsg: 'checkSession:ok' });
  });

  it('after a session_key rotation checkSession still succeeds and new data decrypts only with the new key', async () => {
    const wx = wxFor();
    const oldKey = await sessionKeyOf(app, (await wx.login()).code);
    await platform.control('POST', '/clock/advance', { seconds: 301 });
    const newKey = await sessionKeyOf(app, (await wx.login()).code);
    expect(newKey).not.toBe(oldKey);
    await expect(wx.checkSession()).resolves.toEqual({ errMsg: 'checkSession:ok' });
    const res = await wx.getWeRunData();
    expect(() => decryptOpenData(oldKey, res.encryptedData, res.iv)).toThrow();
    expect(decryptOpenData(newKey, res.encryptedData, res.iv)).toMatchObject({ watermark: { appid: app.appid } });
  });

  it('returns a cloudID only for a cloud app whose base library is at least 2.7.0', async () => {
    const cloudApp = await platform.createApp({ platform: 'weapp', cloud: true, baseLibVersion: '2.7.0' });
    const oldCloudApp = await platform.createApp({ platform: 'weapp', cloud: true, baseLibVersion: '2.6.9' });
    const results = [];
    for (const [target, extra] of [
      [cloudApp, {}],
      [oldCloudApp, {}],
      [cloudApp, { baseLibVersion: '2.6.0' }],
    ] as const) {
      const wx = wxFor(target, user, extra);
      await wx.login();
      const res = await new Promise<Record<string, unknown>>((resolve, reject) =>
        wx.getWeRunData({ success: (r) => resolve({ ...r }), fail: reject }),
      );
      results.push(res.cloudID);
    }
    expect(results[0]).toMatch(CLOUD_ID_PATTERN);
    expect(results.slice(1)).toEqual([undefined, undefined]);
  });

  it('getWeRunData fails with the WeRun-disabled and no-step-counter texts for such users', async () => {
    const disabled = await platform.createUser({ promptAnswer: 'accept', werunEnabled: false });
    const noCounter = await platform.createUser({ promptAnswer: 'accept', hasStepCounter: false });
    const a = wxFor(app, disabled);
    const b = wxFor(app, noCounter);
    await a.login();
    await b.login();
    expect((await failureOf(a.getWeRunData())).errMsg).toBe(failErrMsg('getWeRunData', WERUN_DISABLED_REASON));
    expect((await failureOf(b.getWeRunData())).errMsg).toBe(failErrMsg('getWeRunData', NO_STEP_COUNTER_REASON));
  });

  it('calls success then complete and returns nothing when callbacks are passed', async () => {
    const wx = wxFor();
    const order: string[] = [];
    const returned = await new Promise<unknown>((resolve) => {
      const r = wx.login({
        success: (res) => order.push(`success ${res.errMsg}`),
        complete: (res) => {
          order.push(`complete ${res.errMsg}`);
          resolve(r);
        },
      });
    });
    expect(returned).toBeUndefined();
    expect(order).toEqual(['success login:ok', 'complete login:ok']);
  });

  it('calls fail then complete on a failure and leaves no rejected Promise behind', async () => {
    const order: string[] = [];
    await new Promise<void>((resolve) => {
      wxFor().getWeRunData({
        fail: (res) => order.push(`fail ${res.errMsg}`),
        complete: (res) => {
          order.push(`complete ${res.errMsg}`);
          resolve();
        },
      });
    });
    const errMsg = failErrMsg('getWeRunData', NOT_LOGGED_IN_REASON);
    expect(order).toEqual([`fail ${errMsg}`, `complete ${errMsg}`]);
  });

  it('returns no Promise from getWeRunData when configured to follow the doc, and none at all before base library 2.10.2', async () => {
    const docStyle = wxFor(app, user, { weRunPromise: false });
    expect(docStyle.getWeRunData()).toBeUndefined();
    const old = wxFor(app, user, { baseLibVersion: '2.10.1' });
    expect(old.login()).toBeUndefined();
    const code = await new Promise<string>((resolve) => old.login({ success: (r) => resolve(r.code) }));
    expect(code).not.toBe('');
  });

  it('fails a call with the timeout option when the platform is slower, with <api>:fail timeout', async () => {
    await platform.control('POST', '/faults', { route: 'POST /openrun/runtime/v1/apps/:appid/login', delayMs: 1500, times: 1 });
    expect(await failureOf(wxFor().login({ timeout: 30 }))).toEqual({ errMsg: 'login:fail timeout' });
  });

  it('fails with the connection default timeout when the call sets none', async () => {
    await platform.control('POST', '/faults', { route: 'POST /openrun/runtime/v1/apps/:appid/werun', delayMs: 1500, times: 1 });
    expect(await failureOf(wxFor(app, user, { timeout: 30 }).getWeRunData())).toEqual({ errMsg: 'getWeRunData:fail timeout' });
  });

  it('reports the platform errMsg of an injected platform fault', async () => {
    await platform.control('POST', '/faults', { route: 'POST /openrun/runtime/v1/apps/:appid/login', errcode: -1, times: 1 });
    const failure = await failureOf(wxFor().login());
    expect(failure.errMsg).toBe('login:fail system error');
  });

  it('fails with a network error when the platform drops the connection', async () => {
    await platform.control('POST', '/faults', { route: 'POST /openrun/runtime/v1/apps/:appid/login', drop: true, times: 1 });
    expect((await failureOf(wxFor().login())).errMsg).toMatch(/^login:fail network error: /);
  });

  it('fails every API with a clear errMsg once the device token is revoked', async () => {
    const wx = wxFor();
    await wx.login();
    await platform.control('POST', '/reset');
    const failure = await failureOf(wx.getWeRunData());
    expect(failure.errMsg).toMatch(/^getWeRunData:fail OpenRun replied HTTP 401 OR_ERR_\w+: /);
  });

  it('fails wrong option types with the base library parameter error, before any request', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    const wx = wxFor(app, user, { fetch });
    const bad = { timeout: '5s' } as unknown as { timeout: number };
    expect(await failureOf(wx.login(bad))).toEqual({
      errMsg: 'login:fail parameter error: parameter.timeout should be Number instead of String;',
    });
    expect(await failureOf(wx.authorize({} as { scope: string }))).toEqual({
      errMsg: 'authorize:fail parameter error: parameter.scope should be String instead of Undefined;',
    });
    expect(fetch).not.toHaveBeenCalled();
  });
});
