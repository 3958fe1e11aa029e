/**
 * Unmodified `wx-server-sdk` functions (4.x and the 2.x line) called by the mini program through the runtime API and by
 * the backend through /tcb/invokecloudfunction: getWXContext, getOpenData({list}), openapi.cloudbase.getOpenData and
 * callFunction all reach the platform's cloud gateway and answer correctly.
 * @see PROTOCOL.md §11–§13
 */
import type { WeRunData } from '@openrun/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callFunction, cloudIdOf, invokeCloudFunction, marker, startCloudSetup, type CloudSetup } from './helpers.js';

let s: CloudSetup;
let cloudID: string;
beforeEach(async () => {
  s = await startCloudSetup();
  cloudID = await cloudIdOf(s.p, s.app, s.user);
});
afterEach(() => s.p.close());

interface WerunResult {
  event: Record<string, unknown>;
  wxContext: Record<string, unknown>;
  requestId: string;
  openData: { list: Array<{ cloudID: string; data: WeRunData }>; errMsg: string; errCode: number };
  openapi: { dataList: Array<{ cloudId: string; json: string }>; errMsg: string; errCode: number };
  called: { result: { event: Record<string, unknown>; wxContext: Record<string, unknown> }; requestID: string; errMsg?: string };
}

function expectWeRun(data: WeRunData | undefined): void {
  expect(data?.stepInfoList).toHaveLength(31);
  expect(data?.stepInfoList.at(-1)?.step).toBe(4321);
  expect(data?.watermark.appid).toBe(s.app.appid);
}

describe.each([
  ['4.x', 'werun-sdk4'],
  ['2.x', 'werun-sdk2'],
])('wx-server-sdk %s', (_line, fn) => {
  it('a mini-program call gets the replaced CloudID, userInfo and its context, and resolves cloudIDs and calls another function', async () => {
    const r = await callFunction(s, fn, { weRunData: marker(cloudID), list: [cloudID], cloudidList: [cloudID], callName: 'echo' });
    expect(r.status).toBe(200);
    expect(r.body.requestID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    const result = r.body.result as unknown as WerunResult;
    expect(result.requestId).toBe(r.body.requestID);

    const weRunData = result.event.weRunData as { cloudID: string; data: WeRunData };
    expect(weRunData.cloudID).toBe(cloudID);
    expectWeRun(weRunData.data);
    expect(result.event.list).toEqual([cloudID]);
    expect(result.event.userInfo).toEqual({ appId: s.app.appid, openId: s.openid });
    expect(result.wxContext).toEqual({
      OPENID: s.openid,
      APPID: s.app.appid,
      CLIENTIP: '127.0.0.1',
      OPEN_DATA_INFO: '{"keys":["weRunData"]}',
      ENV: s.app.cloudEnv,
      SOURCE: 'wx_client',
    });

    expect(result.openData.errMsg).toBe('getOpenData:ok');
    expect(result.openData.errCode).toBe(0);
    expect(result.openData.list[0]?.cloudID).toBe(cloudID);
    expectWeRun(result.openData.list[0]?.data);

    expect(result.openapi.errMsg).toBe('openapi.cloudbase.getOpenData:ok');
    expect(result.openapi.errCode).toBe(0);
    expect(result.openapi.dataList[0]?.cloudId).toBe(cloudID);
    expect(typeof result.openapi.dataList[0]?.json).toBe('string');
    const json = JSON.parse(result.openapi.dataList[0]!.json) as { cloudID: string; data: WeRunData };
    expect(json.cloudID).toBe(cloudID);
    expectWeRun(json.data);

    expect(result.called.result.event).toEqual({ from: 'werun', userInfo: { appId: s.app.appid, openId: s.openid } });
    expect(result.called.result.wxContext).toMatchObject({ OPENID: s.openid, APPID: s.app.appid, SOURCE: 'wx_client,scf' });
    expect(result.called.requestID).not.toBe(r.body.requestID);
  });

  it('a backend call through /tcb/invokecloudfunction runs without a user and still resolves the app\'s cloudIDs', async () => {
    const r = await invokeCloudFunction(s, fn, { list: [cloudID], cloudidList: [cloudID], callName: 'echo' });
    expect(r.status).toBe(200);
    expect(r.body.errcode).toBe(0);
    expect(r.body.errmsg).toBe('ok');
    expect(typeof r.body.resp_data).toBe('string');
    const result = JSON.parse(r.body.resp_data!) as WerunResult;
    expect(result.event).toEqual({ list: [cloudID], cloudidList: [cloudID], callName: 'echo' });
    expect(result.wxContext).toEqual({ APPID: s.app.appid, CLIENTIP: '127.0.0.1', ENV: s.app.cloudEnv, SOURCE: 'wx_http' });
    expect(result.openData.list[0]?.cloudID).toBe(cloudID);
    expectWeRun(result.openData.list[0]?.data);
    expectWeRun((JSON.parse(result.openapi.dataList[0]!.json) as { data: WeRunData }).data);
    expect(result.called.result.event).toEqual({ from: 'werun' });
    expect(result.called.result.wxContext).toMatchObject({ APPID: s.app.appid, SOURCE: 'wx_http,scf' });
  });
});

it('sets each call\'s WX_OPENID before it runs, so one warm worker serves different users correctly', async () => {
  const other = await s.p.createUser();
  const a = await callFunction(s, 'echo', { from: 'a' });
  const b = await callFunction(s, 'echo', { from: 'b' }, other);
  const openidA = (a.body.result?.wxContext as { OPENID: string }).OPENID;
  const openidB = (b.body.result?.wxContext as { OPENID: string }).OPENID;
  expect(openidA).toBe(s.openid);
  expect(openidB).toMatch(/^o[A-Za-z0-9_-]{27}$/);
  expect(openidB).not.toBe(openidA);
  expect((b.body.result?.event as { userInfo: unknown }).userInfo).toEqual({ appId: s.app.appid, openId: openidB });
});

it('keeps each call\'s console output in the call log', async () => {
  const r = await callFunction(s, 'echo', { from: 'the log test' });
  const log = await s.p.control<{ functions: string[]; calls: Array<{ requestId: string; name: string; ok: boolean; logs: unknown[] }> }>(
    'GET',
    '/functions/calls',
  );
  expect(log.body.functions).toContain('echo');
  expect(log.body.functions).toContain('werun-sdk2');
  const call = log.body.calls.find((c) => c.requestId === r.body.requestID);
  expect(call).toMatchObject({ name: 'echo', ok: true, logs: [{ level: 'log', text: 'echo called from the log test' }] });
});

it('keeps at most 500 console lines of a call and says how many more there were', async () => {
  const r = await callFunction(s, 'chatty');
  expect(r.body.result).toEqual({ logged: 600 });
  const log = await s.p.control<{ calls: Array<{ requestId: string; logs: Array<{ level: string; text: string }> }> }>('GET', '/functions/calls');
  const call = log.body.calls.find((c) => c.requestId === r.body.requestID);
  expect(call?.logs).toHaveLength(501);
  expect(call?.logs[499]).toEqual({ level: 'log', text: 'step 499' });
  expect(call?.logs[500]).toEqual({ level: 'warn', text: '[openrun] 100 more console lines were not kept' });
});
