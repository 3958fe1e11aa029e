/**
 * CloudID replacement before a call: top-level markers become `{cloudID, data}` or a per-id error; nested CloudIDs and
 * plain strings stay strings; at most 5 are replaced (later ones arrive as plain strings, OpenRun's documented choice).
 * @see PROTOCOL.md §11.2, §11.3, §11.5
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loginAndExchange } from '../helpers/platform.js';
import { callFunction, cloudIdOf, marker, startCloudSetup, type CloudSetup } from './helpers.js';

let s: CloudSetup;
beforeEach(async () => {
  s = await startCloudSetup();
});
afterEach(() => s.p.close());

interface EchoResult {
  event: Record<string, unknown>;
  wxContext: Record<string, unknown>;
}

async function echo(data: Record<string, unknown>, user = s.user): Promise<EchoResult> {
  const r = await callFunction(s, 'echo', data, user);
  if (r.status !== 200) throw new Error(JSON.stringify(r.body));
  return r.body.result as unknown as EchoResult;
}

it('replaces a cloudID still valid at 299 s and answers -601006 "cloudID expired." after 301 s', async () => {
  const id = await cloudIdOf(s.p, s.app, s.user);
  await s.p.advance(299);
  expect((await echo({ weRunData: marker(id) })).event.weRunData).toHaveProperty('data');
  await s.p.advance(2);
  const { event, wxContext } = await echo({ weRunData: marker(id) });
  expect(event.weRunData).toEqual({ cloudID: id, errCode: -601006, errMsg: 'cloudID expired.' });
  expect(wxContext.OPEN_DATA_INFO).toBe('{"keys":["weRunData"]}');
});

it("answers -601007 for another user's cloudID and for another app's cloudID", async () => {
  const other = await s.p.createUser();
  await loginAndExchange(s.p, s.app, other);
  const otherUsers = await cloudIdOf(s.p, s.app, other);
  const otherApp = await s.p.createApp({ platform: 'weapp', cloud: true });
  await loginAndExchange(s.p, otherApp, s.user);
  const otherApps = await cloudIdOf(s.p, otherApp, s.user);
  const { event } = await echo({ a: marker(otherUsers), b: marker(otherApps) });
  expect(event.a).toEqual({ cloudID: otherUsers, errCode: -601007, errMsg: 'cloudID not belong to user.' });
  expect(event.b).toEqual({ cloudID: otherApps, errCode: -601007, errMsg: 'cloudID not belong to user.' });
});

it('answers -601005 for an unknown cloudID', async () => {
  const unknown = `12_${'x'.repeat(59)}`;
  expect((await echo({ weRunData: marker(unknown) })).event.weRunData).toEqual({ cloudID: unknown, errCode: -601005, errMsg: 'invalid cloudID' });
});

it('leaves nested CloudIDs and plain cloudID strings as strings, and lists only replaced keys in OPEN_DATA_INFO', async () => {
  const id = await cloudIdOf(s.p, s.app, s.user);
  const { event, wxContext } = await echo({ weRunData: marker(id), obj: { shareInfo: id }, list: [id], plain: id });
  expect(event.weRunData).toMatchObject({ cloudID: id, data: { watermark: { appid: s.app.appid } } });
  expect(event.obj).toEqual({ shareInfo: id });
  expect(event.list).toEqual([id]);
  expect(event.plain).toBe(id);
  expect(wxContext.OPEN_DATA_INFO).toBe('{"keys":["weRunData"]}');
});

it('replaces the first 5 top-level CloudIDs and passes a 6th and 7th as plain strings', async () => {
  const id = await cloudIdOf(s.p, s.app, s.user);
  const data = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((k) => [k, marker(id)]));
  const { event, wxContext } = await echo(data);
  for (const k of ['a', 'b', 'c', 'd', 'e']) expect(event[k]).toMatchObject({ cloudID: id, data: { stepInfoList: expect.any(Array) } });
  expect(event.f).toBe(id);
  expect(event.g).toBe(id);
  expect(wxContext.OPEN_DATA_INFO).toBe('{"keys":["a","b","c","d","e"]}');
});

it('omits OPEN_DATA_INFO when nothing was replaced and overwrites a userInfo sent by the client', async () => {
  const { event, wxContext } = await echo({ userInfo: { appId: 'wx0000000000000000', openId: 'forged' } });
  expect(event.userInfo).toEqual({ appId: s.app.appid, openId: s.openid });
  expect(wxContext).not.toHaveProperty('OPEN_DATA_INFO');
});
