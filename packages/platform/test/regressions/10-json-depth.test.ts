import { afterAll, beforeAll, expect, it } from 'vitest';
import { accessToken, startTestPlatform, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
let user: TestUser;
beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.createApp({ platform: 'weapp', cloud: true });
  user = await p.createUser();
});
afterAll(() => p.close());

const deep = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

it('a scenario nested 5,000 deep is a 400, not a stack overflow', async () => {
  for (const body of [deepObject(5000), `{"users":${deep(5000)}}`, `{"apps":[${deepObject(5000)}]}`]) {
    const r = await p.request<{ error?: { code: string; message: string } }>('POST', '/openrun/control/v1/scenario', body, { 'content-type': 'application/json' });
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toContain('deeper than 64');
  }
  expect((await p.control('GET', '/clock')).status).toBe(200);
});

it('every JSON body is bounded: import, runtime routes and the developer API', async () => {
  const body = deepObject(5000);
  const imported = await p.request<{ error?: { code: string } }>('POST', '/openrun/control/v1/import', body, { 'content-type': 'application/json' });
  expect(imported.status).toBe(400);
  const runtime = await p.request<{ error?: { code: string } }>('POST', `/openrun/runtime/v1/apps/${app.appid}/functions/sum`, `{"name":"sum","data":${body}}`, {
    'content-type': 'application/json',
    authorization: `Bearer ${user.deviceToken}`,
  });
  expect(runtime.status).toBe(400);
  expect(runtime.body.error?.code).toMatch(/^OR_ERR_/);
  const token = await accessToken(p, app);
  const wire = await p.request<{ errcode: number }>('POST', `/wxa/getopendata?access_token=${token}`, `{"cloudid_list":${deep(5000)}}`, {
    'content-type': 'application/json',
  });
  expect(wire.status).toBe(200);
  expect(wire.body.errcode).toBe(47001);
});

it('ordinary nesting still passes', async () => {
  const r = await p.control('POST', '/scenario', { apps: [{ appid: 'wx00000000000000aa', platform: 'weapp' }], users: [{ id: 'u1', steps: [] }] });
  expect(r.status).toBe(200);
});
