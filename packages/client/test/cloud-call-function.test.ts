/**
 * `wx.cloud` against a real platform. Until the cloud-functions issue adds `POST …/functions/{name}`, the test
 * registers a stand-in route on the built platform that records the body the platform parsed and answers like a
 * function; replace it with a real function directory when that route lands (Fastify will refuse the duplicate).
 * @see PROTOCOL.md §11
 */
import { CLOUD_ID_PATTERN, readCloudIdMarker } from '@openrun/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CallFunctionError, connect, type WxApi } from '../src/index.js';
import { startPlatform, type TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;
let received: Array<{ name: string; body: unknown; authorization: string | undefined }>;
let wx: WxApi;

beforeEach(async () => {
  received = [];
  platform = await startPlatform((app) => {
    app.post<{ Params: { appid: string; name: string } }>(
      '/openrun/runtime/v1/apps/:appid/functions/:name',
      async (request, reply) => {
        received.push({ name: request.params.name, body: request.body, authorization: request.headers.authorization });
        if (request.params.name === 'missing') {
          return reply.code(404).send({
            error: { code: 'OR_ERR_FUNCTION_NOT_FOUND', message: 'no function', errMsg: 'cloud.callFunction:fail function not found', errCode: -501000 },
          });
        }
        return { result: { echoed: true }, requestID: '0b2c6d1e-0000-4000-8000-000000000001' };
      },
    );
  });
  const app = await platform.createApp({ platform: 'weapp', cloud: true });
  const user = await platform.createUser({ promptAnswer: 'accept' });
  wx = connect({ baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken, platform: 'weapp' });
});

afterEach(async () => {
  await platform.close();
});

describe('wx.cloud on a real platform', () => {
  it('sends a real cloudID as a top-level marker and nested CloudIDs as plain strings', async () => {
    wx.cloud.init({ env: 'test-env' });
    await wx.login();
    const { cloudID } = await wx.getWeRunData();
    expect(cloudID).toMatch(CLOUD_ID_PATTERN);
    await wx.cloud.callFunction({
      name: 'steps',
      data: {
        weRunData: wx.cloud.CloudID(cloudID),
        obj: { shareInfo: new wx.cloud.CloudID(cloudID) },
        list: [wx.cloud.CloudID(cloudID)],
        plain: cloudID,
      },
    });
    const { data } = received[0]?.body as { data: Record<string, unknown> };
    expect(readCloudIdMarker(data.weRunData)).toBe(cloudID);
    expect(data.obj).toEqual({ shareInfo: cloudID });
    expect(data.list).toEqual([cloudID]);
    expect(data.plain).toBe(cloudID);
    expect(received[0]?.name).toBe('steps');
    expect(received[0]?.authorization).toMatch(/^Bearer /);
  });

  it('resolves {errMsg, result, requestID} like the cloud SDK', async () => {
    wx.cloud.init();
    await expect(wx.cloud.callFunction({ name: 'steps' })).resolves.toEqual({
      errMsg: 'cloud.callFunction:ok',
      result: { echoed: true },
      requestID: '0b2c6d1e-0000-4000-8000-000000000001',
    });
    expect(received[0]?.body).toEqual({ data: {} });
  });

  it('fails before wx.cloud.init with a CallFunctionError and sends nothing', async () => {
    const error = await wx.cloud.callFunction({ name: 'steps' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallFunctionError);
    expect(error).toMatchObject({ errCode: -1, errMsg: "cloud.callFunction:fail Cloud API isn't enabled, please call wx.cloud.init first" });
    expect(received).toEqual([]);
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
    expect(seen).toEqual([['fail', -501000, 'cloud.callFunction:fail function not found']]);
  });

  it('fails a missing name, non-object data or unserializable data with a clear errMsg', async () => {
    wx.cloud.init();
    const errMsgs: string[] = [];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const option of [{}, { name: 'steps', data: [1] }, { name: 'steps', data: cyclic }]) {
      const error = await wx.cloud.callFunction(option as { name: string }).catch((e: CallFunctionError) => e);
      errMsgs.push((error as CallFunctionError).errMsg);
    }
    expect(errMsgs[0]).toBe('cloud.callFunction:fail parameter error: parameter.name should be String instead of Undefined;');
    expect(errMsgs[1]).toBe('cloud.callFunction:fail parameter error: parameter.data should be Object instead of Array;');
    expect(errMsgs[2]).toMatch(/^cloud\.callFunction:fail data cannot be sent as JSON: /);
    expect(received).toEqual([]);
  });
});
