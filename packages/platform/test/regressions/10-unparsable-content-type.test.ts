import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessToken, code2sessionPath, loginCode, startTestPlatform, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';

const lines: string[] = [];
let p: TestPlatform;
let app: TestApp;
let user: TestUser;
beforeAll(async () => {
  p = await startTestPlatform({}, { logStream: { write: (line) => void lines.push(line) } });
  app = await p.createApp({ platform: 'weapp', cloud: true });
  user = await p.createUser();
});
afterAll(() => p.close());

const BAD_TYPES = ['application/json, text/plain', 'bad type', ';;;', 'text/plain; charset=', 'application/x-www-form-urlencoded'];

it('jscode2session with a content type Fastify cannot parse answers as the real host does, never -1', async () => {
  for (const type of BAD_TYPES) {
    const code = await loginCode(p, app, user);
    const r = await p.request<{ openid?: string; errcode?: number }>('GET', code2sessionPath(app, code), undefined, { 'content-type': type });
    expect(r.status, type).toBe(200);
    expect(r.body.openid, type).toMatch(/^o/);
    const missing = await p.request<{ errcode: number }>('GET', '/sns/jscode2session?appid=' + app.appid, undefined, { 'content-type': type });
    expect(missing.body.errcode, type).toBe(41004);
  }
});

it('a POST body is read as JSON whatever its declared type, and an unreadable one is 47001', async () => {
  const token = await accessToken(p, app);
  for (const type of BAD_TYPES) {
    const read = await p.request<{ errcode: number; data_list?: unknown[] }>('POST', `/wxa/getopendata?access_token=${token}`, '{"cloudid_list":["nope"]}', {
      'content-type': type,
    });
    expect(read.status).toBe(200);
    expect(read.body.errcode, type).toBe(0);
    const unreadable = await p.request<{ errcode: number }>('POST', `/wxa/getopendata?access_token=${token}`, 'a=1&b=2', { 'content-type': type });
    expect(unreadable.body.errcode, type).toBe(47001);
  }
  expect(lines.filter((l) => JSON.parse(l).level >= 50)).toEqual([]);
});
