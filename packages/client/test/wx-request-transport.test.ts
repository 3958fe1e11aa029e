/**
 * The `wx.request` transport against a real platform, through a `wx.request` implemented over real HTTP
 * (`helpers/http-wx-request.ts`: `request:fail <reason>`, `request:fail timeout`, an abortable RequestTask, JSON
 * parsed unless `dataType` says otherwise, or always). Every outcome is compared with the fetch transport's
 * errMsg for the same situation.
 */
import { decryptOpenData } from '@openrun/core/cipher';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connect, type ConnectOptions, type TransportOption, type WxApi, type WxRequestLike } from '../src/index.js';
import { installGlobals, uninstallGlobals } from '../src/testing/index.js';
import { httpWxRequest, type JsonParsing } from './helpers/http-wx-request.js';
import { FROZEN_NOW, startPlatform, type TestApp, type TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;
let app: TestApp;
let extraServer: Server | undefined;

beforeEach(async () => {
  platform = await startPlatform();
  await platform.control('PUT', '/clock', { now: FROZEN_NOW, frozen: true });
  app = await platform.createApp({ platform: 'weapp' });
});

afterEach(async () => {
  uninstallGlobals();
  vi.unstubAllGlobals();
  delete (globalThis as { wx?: unknown }).wx;
  await platform.close();
  if (extraServer) {
    extraServer.closeAllConnections();
    await new Promise((resolve) => extraServer!.close(resolve));
    extraServer = undefined;
  }
});

function wxWith(transport: TransportOption, options: Partial<ConnectOptions> & { deviceToken: string }): WxApi {
  return connect({ baseUrl: platform.baseUrl, appid: app.appid, transport, ...options, platform: 'weapp' });
}

/** The errMsg of a call, success or failure. */
async function errMsgOf(call: Promise<{ errMsg: string }> | undefined): Promise<string> {
  try {
    return (await call!).errMsg;
  } catch (failure) {
    return (failure as { errMsg: string }).errMsg;
  }
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  extraServer = createServer(handler);
  await new Promise<void>((resolve) => extraServer!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(extraServer.address() as AddressInfo).port}`;
}

describe.each<JsonParsing>(['base library', 'always'])('transport: a wx.request that parses JSON as %s', (parsing) => {
  it('runs login → getWeRunData, and the backend decrypts today’s steps', async () => {
    const { request, stats } = httpWxRequest(parsing);
    const user = await platform.createUser({ promptAnswer: 'accept' });
    await platform.putSteps(user.id, [{ date: '2026-03-10', steps: 12_345 }]);
    const wx = wxWith(request, { deviceToken: user.deviceToken });
    const login = await wx.login();
    expect(login.errMsg).toBe('login:ok');
    const data = await wx.getWeRunData();
    expect(data.errMsg).toBe('getWeRunData:ok');
    const { body } = await platform.code2Session(app, login.code);
    const plain = decryptOpenData(body.session_key as string, data.encryptedData, data.iv) as { stepInfoList: Array<{ step: number }> };
    expect(plain.stepInfoList.at(-1)?.step).toBe(12_345);
    expect(stats.requests).toBeGreaterThanOrEqual(2);
  });

  it('gives exactly the fetch transport’s errMsg for denials, a remembered refusal, no login and an unknown token', async () => {
    const { request } = httpWxRequest(parsing);
    const outcomes = async (transport: TransportOption): Promise<string[]> => {
      const denier = await platform.createUser({ promptAnswer: 'deny' });
      const fresh = await platform.createUser({ promptAnswer: 'accept' });
      const denied = wxWith(transport, { deviceToken: denier.deviceToken });
      const notLoggedIn = wxWith(transport, { deviceToken: fresh.deviceToken });
      const stranger = wxWith(transport, { deviceToken: 'ordev_not_a_token' });
      await denied.login();
      return [
        await errMsgOf(denied.getWeRunData()),
        await errMsgOf(denied.getWeRunData()),
        await errMsgOf(denied.authorize({ scope: 'scope.werun' })),
        await errMsgOf(notLoggedIn.getWeRunData()),
        await errMsgOf(notLoggedIn.checkSession()),
        await errMsgOf(stranger.login()),
        JSON.stringify((await denied.getSetting()).authSetting),
      ];
    };
    const viaFetch = await outcomes('fetch');
    const viaWxRequest = await outcomes(request);
    expect(viaWxRequest).toEqual(viaFetch);
    expect(viaWxRequest.slice(0, 2)).toEqual(['getWeRunData:fail auth deny', 'getWeRunData:fail 系统错误，错误码：-12006,auth deny']);
    expect(viaWxRequest[5]).toMatch(/^login:fail OpenRun replied HTTP 401 /);
  });

  it('a platform that is not there fails with <api>:fail network error: <wx.request’s reason>', async () => {
    const { request } = httpWxRequest(parsing);
    const baseUrl = await listen(() => undefined);
    const { port } = extraServer!.address() as AddressInfo;
    await new Promise((resolve) => extraServer!.close(resolve));
    extraServer = undefined;
    const viaWx = connect({ baseUrl, appid: app.appid, deviceToken: 'd', transport: request });
    const viaFetch = connect({ baseUrl, appid: app.appid, deviceToken: 'd' });
    expect(await errMsgOf(viaWx.login())).toBe(`login:fail network error: connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(await errMsgOf(viaFetch.login())).toBe('login:fail network error: fetch failed (ECONNREFUSED)');
  });

  it('a platform that never answers fails with <api>:fail timeout, as with fetch, and the request task is aborted', async () => {
    const { request, stats } = httpWxRequest(parsing);
    const baseUrl = await listen(() => undefined);
    const viaWx = connect({ baseUrl, appid: app.appid, deviceToken: 'd', transport: request });
    const viaFetch = connect({ baseUrl, appid: app.appid, deviceToken: 'd' });
    expect(await errMsgOf(viaWx.getSetting({ timeout: 50 }))).toBe('getSetting:fail timeout');
    expect(await errMsgOf(viaFetch.getSetting({ timeout: 50 }))).toBe('getSetting:fail timeout');
    expect(stats.requests).toBe(1);
  });

  it('a reply that is not a JSON object fails with the same invalid-reply errMsg as fetch', async () => {
    const { request } = httpWxRequest(parsing);
    const baseUrl = await listen((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[1,2]'));
    const viaWx = connect({ baseUrl, appid: app.appid, deviceToken: 'd', transport: request });
    const viaFetch = connect({ baseUrl, appid: app.appid, deviceToken: 'd' });
    expect(await errMsgOf(viaWx.login())).toBe(await errMsgOf(viaFetch.login()));
    expect(await errMsgOf(viaWx.login())).toBe('login:fail invalid reply from OpenRun (HTTP 200, not a JSON object)');
  });
});

describe("transport: 'wx.request' (the global one)", () => {
  it('works where there is no fetch, AbortController, Request, Response or Headers at all', async () => {
    const { request, stats } = httpWxRequest('base library');
    const showLoading = vi.fn();
    const user = await platform.createUser({ promptAnswer: 'accept' });
    (globalThis as { wx?: unknown }).wx = { request, showLoading };
    for (const name of ['fetch', 'AbortController', 'Request', 'Response', 'Headers']) vi.stubGlobal(name, undefined);
    const options = { baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken };
    expect(() => connect(options)).toThrow(/no global fetch; pass options\.fetch, or transport: 'wx\.request'/);
    // The page's own wx (request, showLoading) keeps working beside OpenRun's APIs.
    const { wx } = installGlobals({ wx: { ...options, transport: 'wx.request' } });
    expect((await wx!.login()).errMsg).toBe('login:ok');
    expect((await wx!.getWeRunData()).errMsg).toBe('getWeRunData:ok');
    expect(stats.requests).toBe(2);
    expect((globalThis as { wx?: { showLoading: unknown } }).wx!.showLoading).toBe(showLoading);
  });

  it('a wx.request that ignores its timeout is aborted at the deadline, which fails the call with <api>:fail timeout', async () => {
    let aborted = 0;
    const silent: WxRequestLike = () => ({ abort: () => void (aborted += 1) });
    const wx = connect({ baseUrl: platform.baseUrl, appid: app.appid, deviceToken: 'd', transport: silent });
    expect(await errMsgOf(wx.login({ timeout: 30 }))).toBe('login:fail timeout');
    expect(aborted).toBe(1);
  });

  it('a wx.request that throws fails the call with a network errMsg instead of throwing', async () => {
    const throwing: WxRequestLike = () => {
      throw new Error('url not in domain list');
    };
    const wx = connect({ baseUrl: platform.baseUrl, appid: app.appid, deviceToken: 'd', transport: throwing });
    expect(await errMsgOf(wx.login())).toBe('login:fail network error: url not in domain list');
  });

  it('without a global wx.request fails the call with a clear errMsg', async () => {
    const wx = connect({ baseUrl: platform.baseUrl, appid: app.appid, deviceToken: 'd', transport: 'wx.request' });
    expect(await errMsgOf(wx.login())).toBe("login:fail network error: transport 'wx.request' needs a global wx.request, and there is none");
  });

  it('refuses an unknown transport and a fetch given with another transport', () => {
    const base = { baseUrl: platform.baseUrl, appid: app.appid, deviceToken: 'd' };
    expect(() => connect({ ...base, transport: 'xhr' as TransportOption })).toThrow(/transport must be 'fetch', 'wx\.request' or a function.*got 'xhr'/);
    expect(() => connect({ ...base, transport: 'wx.request', fetch: globalThis.fetch })).toThrow(/options\.fetch is only used by the fetch transport/);
  });
});
