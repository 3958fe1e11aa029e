import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessToken, startTestPlatform, type TestApp, type TestPlatform } from '../../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
let token: string;
beforeAll(async () => {
  p = await startTestPlatform({ bodyLimit: 64 * 1024 });
  app = await p.createApp({ platform: 'weapp', cloud: true });
  token = await accessToken(p, app);
});
afterAll(() => p.close());

describe('bad input on the developer API', () => {
  it('a body that is not JSON is 47001, an empty body 44002, whatever the content type', async () => {
    const url = `/wxa/getopendata?access_token=${token}`;
    expect((await p.request('POST', url, '{"cloudid_list":', { 'content-type': 'application/json' })).body).toMatchObject({ errcode: 47001 });
    expect((await p.request('POST', url, 'cloudid_list=1', { 'content-type': 'application/x-www-form-urlencoded' })).body).toMatchObject({ errcode: 47001 });
    expect((await p.request('POST', url, '', { 'content-type': 'application/json' })).body).toMatchObject({ errcode: 44002 });
    expect((await p.request('POST', url, { cloudid_list: 'not-a-list' })).body).toMatchObject({ errcode: 47001 });
    expect((await p.request('POST', url, JSON.stringify({ cloudid_list: ['1_a'] }), { 'content-type': 'text/plain' })).body).toMatchObject({ errcode: 0 });
  });

  it('GET on a POST-only endpoint is 43002 require POST method', async () => {
    const r = await p.request<{ errcode: number; errmsg: string }>('GET', `/wxa/getopendata?access_token=${token}`);
    expect(r.body.errcode).toBe(43002);
    expect(r.body.errmsg).toMatch(/^require POST method, rid: /);
  });

  it('an oversized body is refused with 47001 and the platform keeps serving', async () => {
    const big = JSON.stringify({ cloudid_list: ['x'.repeat(100 * 1024)] });
    expect((await p.request('POST', `/wxa/getopendata?access_token=${token}`, big)).body).toMatchObject({ errcode: 47001 });
    expect((await p.request('GET', `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`)).body).toHaveProperty('access_token');
  });

  it('never answers hostile query strings with a 5xx or a non-JSON body', async () => {
    const paths = ['/sns/jscode2session', '/cgi-bin/token', '/wxa/checksession', '/qq/sns/jscode2session', '/qq/api/getToken'];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.dictionary(fc.constantFrom('appid', 'secret', 'js_code', 'grant_type', 'access_token', 'openid', 'signature', 'sig_method'), fc.string({ maxLength: 40 })),
        async (path, query) => {
          const r = await p.request<{ errcode?: number }>('GET', `${path}?${new URLSearchParams(query)}`);
          expect(r.status).toBe(200);
          expect(typeof r.body.errcode === 'number' || 'access_token' in r.body || 'openid' in r.body).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('never answers hostile JSON bodies with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
        const a = await p.request<{ errcode?: number }>('POST', `/wxa/getopendata?access_token=${token}`, JSON.stringify(body));
        const b = await p.request<{ errcode?: number }>('POST', '/cgi-bin/stable_token', JSON.stringify(body));
        for (const r of [a, b]) {
          expect(r.status).toBe(200);
          expect(typeof r.body.errcode === 'number' || 'access_token' in r.body).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
