/**
 * `wx.cloud` against a real platform running a real cloud function (`fixtures/functions/echo`, wx-server-sdk 4.x):
 * the CloudID encoding shared through `@openrun/core` is replaced by the platform at the top level only.
 * @see PROTOCOL.md §11
 */
import { CLOUD_ID_PATTERN } from '@openrun/core';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallFunctionError, connect, type WxApi } from '../src/index.js';
import { startPlatform, type TestApp, type TestPlatform } from './helpers/platform.js';

const FUNCTIONS = fileURLToPath(new URL('./fixtures/functions', import.meta.url));

let platform: TestPlatform;
let app: TestApp;
let wx: WxApi;

beforeEach(async () => {
  platform = await startPlatform(undefined, { functionsDir: FUNCTIONS });
  app = await platform.createApp({ platform: 'weapp', cloud: true });
  const user = await platform.createUser({ promptAnswer: 'accept' });
  wx = connect({ baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken, platform: 'weapp' });
});

afterEach(async () => {
  await platform.close();
});

interface Echo {
  event: Record<string, unknown>;
  wxContext: Record<string, unknown>;
}

describe('wx.cloud on a real platform', () => {
  it('has a top-level CloudID replaced with the open data while nested CloudIDs arrive as plain strings', async () => {
    wx.cloud.init({ env: 'test-env' });
    await wx.login();
    const { cloudID } = await wx.getWeRunData();
    expect(cloudID).toMatch(CLOUD_ID_PATTERN);
    const { result } = await wx.cloud.callFunction({
      name: 'echo',
      data: {
        weRunData: wx.cloud.CloudID(cloudID),
        obj: { shareInfo: new wx.cloud.CloudID(cloudID) },
        list: [wx.cloud.CloudID(cloudID)],
        plain: cloudID,
      },
    });
    const { event, wxContext } = result as unknown as Echo;
    expect(event.weRunData).toMatchObject({ cloudID, data: { stepInfoList: expect.any(Array), watermark: { appid: app.appid } } });
    expect(event.obj).toEqual({ shareInfo: cloudID });
    expect(event.list).toEqual([cloudID]);
    expect(event.plain).toBe(cloudID);
    expect(wxContext).toMatchObject({ APPID: app.appid, OPEN_DATA_INFO: '{"keys":["weRunData"]}', SOURCE: 'wx_client' });
  });

  it('resolves {errMsg, result, requestID} like the cloud SDK', async () => {
    wx.cloud.init();
    const res = await wx.cloud.callFunction({ name: 'echo' });
    expect(res.errMsg).toBe('cloud.callFunction:ok');
    expect(res.requestID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((res.result as unknown as Echo).event).toEqual({ userInfo: { appId: app.appid, openId: expect.any(String) } });
  });

  it('fails before wx.cloud.init with a CallFunctionError and sends nothing', async () => {
    const error = await wx.cloud.callFunction({ name: 'echo' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallFunctionError);
    expect(error).toMatchObject({ errCode: -1, errMsg: "cloud.callFunction:fail Cloud API isn't enabled, please call wx.cloud.init first" });
    const log = await platform.control<{ calls: unknown[] }>('GET', '/functions/calls');
    expect(log.calls).toEqual([]);
  });

  it('passes the platform errMsg and errCode of a failed call to fail and complete', async () => {
    wx.cloud.init();
    const seen: unknown[] = [];
    await new Promise<void>((resolve) =>
      wx.cloud.callFunction({
        name: 'missing',
        fail: (e) => seen.push(['fail', e.errCode, e.errMsg]),
        complete: () => resolve(),
      }),
    );
    expect(seen).toEqual([
      [
        'fail',
        -501000,
        expect.stringMatching(/^cloud\.callFunction:fail requestID \S+, cloud function service error code -501000, error message FunctionName parameter could not be found/),
      ],
    ]);
  });

  it('fails a missing name, non-object data or unserializable data with a clear errMsg', async () => {
    wx.cloud.init();
    const errMsgs: string[] = [];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const option of [{}, { name: 'echo', data: [1] }, { name: 'echo', data: cyclic }]) {
      const error = await wx.cloud.callFunction(option as { name: string }).catch((e: CallFunctionError) => e);
      errMsgs.push((error as CallFunctionError).errMsg);
    }
    expect(errMsgs[0]).toBe('cloud.callFunction:fail parameter error: parameter.name should be String instead of Undefined;');
    expect(errMsgs[1]).toBe('cloud.callFunction:fail parameter error: parameter.data should be Object instead of Array;');
    expect(errMsgs[2]).toMatch(/^cloud\.callFunction:fail data cannot be sent as JSON: /);
    const log = await platform.control<{ calls: unknown[] }>('GET', '/functions/calls');
    expect(log.calls).toEqual([]);
  });
});
