import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errmsgText, startTestPlatform, type TestApp, type TestPlatform } from '../../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
beforeEach(async () => {
  p = await startTestPlatform();
  await p.freezeClock('2026-05-01T00:00:00Z');
  app = await p.createApp({ platform: 'weapp', cloud: true });
});
afterEach(() => p.close());

interface TokenReply {
  access_token?: string;
  expires_in?: number;
  errcode?: number;
  errmsg?: string;
}

const token = (query: string) => p.request<TokenReply>('GET', `/cgi-bin/token?${query}`);
const normal = () => token(`grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`);
const stable = (body: Record<string, unknown> = {}) =>
  p.request<TokenReply>('POST', '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: app.appid, secret: app.secret, ...body });

/** Uses a token on a token-protected API and returns the errcode (0 when accepted). */
async function use(accessToken: string | undefined): Promise<number> {
  const q = accessToken === undefined ? '' : `access_token=${encodeURIComponent(accessToken)}&`;
  const r = await p.request<{ errcode: number }>('POST', `/wxa/getopendata?${q}`, { cloudid_list: ['1_x'] });
  return r.body.errcode;
}

describe('GET /cgi-bin/token', () => {
  it('answers {access_token, expires_in: 7200} with no errcode', async () => {
    const r = await normal();
    expect(Object.keys(r.body).sort()).toEqual(['access_token', 'expires_in']);
    expect(r.body.expires_in).toBe(7200);
    expect(r.body.access_token!.length).toBeLessThanOrEqual(512);
  });

  it('a new token leaves the previous one valid for 300 s, then 40001', async () => {
    const old = (await normal()).body.access_token!;
    await p.advance(10);
    const fresh = (await normal()).body.access_token!;
    expect(fresh).not.toBe(old);
    await p.advance(299);
    expect(await use(old)).toBe(0);
    await p.advance(1);
    expect(await use(old)).toBe(40001);
    expect(await use(fresh)).toBe(0);
  });

  it('a token is 42001 access_token expired after 7200 s', async () => {
    const t = (await normal()).body.access_token!;
    await p.advance(7199);
    expect(await use(t)).toBe(0);
    await p.advance(1);
    const r = await p.request<{ errcode: number; errmsg: string }>('POST', `/wxa/getopendata?access_token=${t}`, { cloudid_list: ['1_x'] });
    expect(r.body.errcode).toBe(42001);
    expect(errmsgText(r.body.errmsg)).toBe('access_token expired');
  });

  it('a missing token is 41001, a malformed one 40014, an unknown one 40001', async () => {
    expect(await use(undefined)).toBe(41001);
    expect(await use('')).toBe(41001);
    expect(await use('not a token!')).toBe(40014);
    expect(await use(`12_${'a'.repeat(100)}`)).toBe(40001);
  });

  it('checks grant_type (40002), appid (41002, 40013) and secret (41004, 40001)', async () => {
    expect((await token(`grant_type=authorization_code&appid=${app.appid}&secret=${app.secret}`)).body.errcode).toBe(40002);
    expect((await token(`grant_type=client_credential&secret=${app.secret}`)).body.errcode).toBe(41002);
    expect((await token(`grant_type=client_credential&appid=${app.appid}`)).body.errcode).toBe(41004);
    expect((await token(`grant_type=client_credential&appid=wx0000000000000000&secret=${app.secret}`)).body.errcode).toBe(40013);
    const wrong = await token(`grant_type=client_credential&appid=${app.appid}&secret=${'f'.repeat(32)}`);
    expect(wrong.body.errcode).toBe(40001);
    expect(errmsgText(wrong.body.errmsg)).toBe('invalid credential, access_token is invalid or not latest');
  });
});

describe('POST /cgi-bin/stable_token', () => {
  it('returns the same token with a decreasing expires_in until its last 300 s', async () => {
    const a = (await stable()).body;
    expect(a.expires_in).toBe(7200);
    await p.advance(1000);
    const b = (await stable()).body;
    expect(b.access_token).toBe(a.access_token);
    expect(b.expires_in).toBe(6200);
    await p.advance(6000); // 200 s left: a new token, the old one still works until it expires
    const c = (await stable()).body;
    expect(c.access_token).not.toBe(a.access_token);
    expect(c.expires_in).toBe(7200);
    expect(await use(a.access_token)).toBe(0);
    await p.advance(200);
    expect(await use(a.access_token)).toBe(42001);
    expect(await use(c.access_token)).toBe(0);
  });

  it('is independent of /cgi-bin/token', async () => {
    const s = (await stable()).body.access_token!;
    await normal();
    await normal();
    await p.advance(600);
    expect(await use(s)).toBe(0);
    expect((await stable()).body.access_token).toBe(s);
  });

  it('force_refresh replaces the token at once, but not twice within 30 s', async () => {
    const a = (await stable()).body.access_token!;
    await p.advance(31);
    const b = (await stable({ force_refresh: true })).body.access_token!;
    expect(b).not.toBe(a);
    expect(await use(a)).toBe(40001);
    await p.advance(10);
    expect((await stable({ force_refresh: true })).body.access_token).toBe(b);
  });

  it('allows 20 force refreshes a day, then 45009', async () => {
    for (let i = 0; i < 20; i++) {
      await p.advance(31);
      expect((await stable({ force_refresh: true })).body.access_token).toBeDefined();
    }
    await p.advance(31);
    expect((await stable({ force_refresh: true })).body.errcode).toBe(45009);
  });

  it('answers bad bodies with the real codes', async () => {
    expect((await p.request('POST', '/cgi-bin/stable_token', '{not json')).body).toMatchObject({ errcode: 47001 });
    expect((await p.request('POST', '/cgi-bin/stable_token', '')).body).toMatchObject({ errcode: 44002 });
    expect((await stable({ grant_type: 'x' })).body.errcode).toBe(40002);
    expect((await stable({ secret: 'e'.repeat(32) })).body.errcode).toBe(40001);
    expect((await p.request('POST', '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: app.appid })).body).toMatchObject({ errcode: 41004 });
    expect((await p.request('GET', '/cgi-bin/stable_token')).body).toMatchObject({ errcode: 43002 });
  });
});
