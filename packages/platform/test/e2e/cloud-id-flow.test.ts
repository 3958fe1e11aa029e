import type { WeRunData } from '@openrun/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessToken, loginAndExchange, startTestPlatform, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
let user: TestUser;
let openid: string;

beforeEach(async () => {
  p = await startTestPlatform();
  await p.freezeClock('2026-06-01T04:00:00Z');
  app = await p.createApp({ platform: 'weapp', cloud: true });
  user = await p.createUser();
  await p.control('PUT', `/users/${user.id}/steps`, { days: [{ date: '2026-06-01', steps: 4321 }] });
  openid = (await loginAndExchange(p, app, user)).openid;
});
afterEach(() => p.close());

interface OpenDataReply {
  errcode: number;
  errmsg: string;
  data_list: { cloud_id: string; json: string }[];
}

async function cloudIdOf(a: TestApp, u: TestUser): Promise<string> {
  const r = await p.runtime<{ cloudID: string }>(u.deviceToken, 'POST', `/apps/${a.appid}/werun`);
  return r.body.cloudID;
}

async function getOpenData(a: TestApp, ids: string[], forOpenid?: string) {
  const token = await accessToken(p, a);
  const q = forOpenid ? `&openid=${forOpenid}` : '';
  return p.request<OpenDataReply>('POST', `/wxa/getopendata?access_token=${token}${q}`, { cloudid_list: ids });
}

describe('cloudID → getopendata', () => {
  it('resolves a fresh cloudID into {cloudID, data}, with json as a string', async () => {
    const id = await cloudIdOf(app, user);
    const r = await getOpenData(app, [id], openid);
    expect(r.status).toBe(200);
    expect(r.body.errcode).toBe(0);
    expect(r.body.errmsg).toBe('ok');
    expect(r.body.data_list).toHaveLength(1);
    expect(r.body.data_list[0]!.cloud_id).toBe(id);
    expect(typeof r.body.data_list[0]!.json).toBe('string');
    const json = JSON.parse(r.body.data_list[0]!.json) as { cloudID: string; data: WeRunData };
    expect(json.cloudID).toBe(id);
    expect(json.data.stepInfoList).toHaveLength(31);
    expect(json.data.stepInfoList.at(-1)!.step).toBe(4321);
    expect(json.data.watermark.appid).toBe(app.appid);
  });

  it('a cloudID still resolves at 299 s and is -601006 "cloudID expired." after 301 s', async () => {
    const id = await cloudIdOf(app, user);
    await p.advance(299);
    expect(JSON.parse((await getOpenData(app, [id], openid)).body.data_list[0]!.json)).toHaveProperty('data');
    await p.advance(2);
    const json = JSON.parse((await getOpenData(app, [id], openid)).body.data_list[0]!.json);
    expect(json).toEqual({ cloudID: id, errCode: -601006, errMsg: 'cloudID expired.' });
  });

  it("another user's cloudID is -601007 for this openid", async () => {
    const other = await p.createUser();
    await loginAndExchange(p, app, other);
    const foreign = await cloudIdOf(app, other);
    const json = JSON.parse((await getOpenData(app, [foreign], openid)).body.data_list[0]!.json);
    expect(json).toEqual({ cloudID: foreign, errCode: -601007, errMsg: 'cloudID not belong to user.' });
  });

  it("another app's cloudID is -601007", async () => {
    const otherApp = await p.createApp({ platform: 'weapp', cloud: true });
    await loginAndExchange(p, otherApp, user);
    const foreign = await cloudIdOf(otherApp, user);
    const json = JSON.parse((await getOpenData(app, [foreign]).then((r) => r.body.data_list[0]!.json)));
    expect(json).toMatchObject({ cloudID: foreign, errCode: -601007 });
  });

  it('answers one entry per id, in order, with -601005 for an unknown id', async () => {
    const a = await cloudIdOf(app, user);
    const b = await cloudIdOf(app, user);
    const r = await getOpenData(app, [b, '12_unknownunknownunknownunknownunknownunknownunknownunknownunkno', a], openid);
    expect(r.body.data_list.map((d) => d.cloud_id)).toEqual([b, '12_unknownunknownunknownunknownunknownunknownunknownunknownunkno', a]);
    expect(JSON.parse(r.body.data_list[1]!.json)).toMatchObject({ errCode: -601005, errMsg: 'invalid cloudID' });
  });

  it('writes the reply as compact JSON, the same bytes for a cloudID resolved again, whatever characters an id holds', async () => {
    const a = await cloudIdOf(app, user);
    const odd = '12_"quoted"\\back\u2028line\u00e9\ud83d\ude00';
    const token = await accessToken(p, app);
    const raw = async (): Promise<string> => {
      const res = await fetch(`${p.baseUrl}/wxa/getopendata?access_token=${token}`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ cloudid_list: [a, odd, a] }),
      });
      return res.text();
    };
    const first = await raw();
    expect(first).toBe(JSON.stringify(JSON.parse(first)));
    const body = JSON.parse(first) as OpenDataReply;
    expect(body.data_list.map((d) => d.cloud_id)).toEqual([a, odd, a]);
    expect(JSON.parse(body.data_list[1]!.json)).toEqual({ cloudID: odd, errCode: -601005, errMsg: 'invalid cloudID' });
    expect(body.data_list[2]!.json).toBe(body.data_list[0]!.json);
    expect(await raw()).toBe(first);
  });

  it('an openid that is not a user of the app is 40003', async () => {
    const id = await cloudIdOf(app, user);
    const r = await getOpenData(app, [id], 'oAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(r.body).toMatchObject({ errcode: 40003 });
    expect(r.body.errmsg).toMatch(/^invalid openid, rid: /);
  });
});
