import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
let user: TestUser;
beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.createApp({ platform: 'weapp' });
  user = await p.createUser({ promptAnswer: 'accept' });
  await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/login`);
});
afterAll(() => p.close());

const werun = () => p.runtime<{ error?: { code: string } }>(user.deviceToken, 'POST', `/apps/${app.appid}/werun`);

it('a runtime fault in the documented forms is accepted, normalised, and fires', async () => {
  for (const route of [
    `POST /openrun/runtime/v1/apps/${app.appid}/werun`,
    'POST /openrun/runtime/v1/apps/{appid}/werun',
    'POST /openrun/runtime/v1/apps/:appid/werun',
  ]) {
    const added = await p.control<{ id: string; route: string }>('POST', '/faults', { route, errcode: -1, times: 1 });
    expect(added.status, route).toBe(201);
    expect(added.body.route).toBe('POST /openrun/runtime/v1/apps/:appid/werun');
    const r = await werun();
    expect(r.status, route).toBe(503);
    expect(r.body.error?.code).toBe('OR_ERR_FAULT_INJECTED');
    expect((await werun()).status).toBe(200);
  }
});

it('a route that is not a real operation is a 400 listing the valid routes, and nothing is added', async () => {
  await p.control('DELETE', '/faults');
  for (const route of ['GET /nope', 'POST /sns/jscode2session', 'GET /openrun/control/v1/apps', 'POST /openrun/runtime/v1/apps/{appid}/nope']) {
    const r = await p.control<{ error: { code: string; message: string } }>('POST', '/faults', { route, errcode: -1 });
    expect(r.status, route).toBe(400);
    expect(r.body.error.message).toContain('GET /sns/jscode2session');
    expect(r.body.error.message).toContain('POST /openrun/runtime/v1/apps/:appid/werun');
  }
  expect((await p.control<{ faults: unknown[] }>('GET', '/faults')).body.faults).toEqual([]);
});

it('scenario and import faults are normalised and checked the same way', async () => {
  const doc = (await p.control<Record<string, unknown>>('GET', '/export')).body;
  const bad = await p.control<{ error: { message: string } }>('POST', '/import', { ...doc, faults: [{ id: 'fault_1', route: 'GET /nope', action: { errcode: -1 }, uses: 0 }] });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toContain('faults[0].route');
  const good = await p.control('POST', '/import', {
    ...doc,
    faults: [{ id: 'fault_1', route: `POST /openrun/runtime/v1/apps/${app.appid}/werun`, action: { errcode: -1 }, times: 1, uses: 0 }],
  });
  expect(good.status).toBeLessThan(300);
  expect((await p.control<{ faults: { route: string }[] }>('GET', '/faults')).body.faults[0]?.route).toBe('POST /openrun/runtime/v1/apps/:appid/werun');
  expect((await werun()).status).toBe(503);
});
