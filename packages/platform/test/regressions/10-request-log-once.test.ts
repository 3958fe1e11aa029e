/**
 * The request log records each call once (issue 10). Under `platform.inject` a finished reply closes without
 * `writableFinished`, which the log used to read as a dropped connection: every injected call was logged twice, once
 * with its status and once with status 0. A connection really dropped by a fault is still logged, once, with status 0.
 */
import { buildPlatform } from '@openrun/platform';
import { afterEach, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../helpers/platform.js';

const TOKEN = 'orctl_test';
const AUTH = { authorization: `Bearer ${TOKEN}` };

interface Entry {
  route: string;
  status: number;
  errcode: number | string | null;
  faultId: string | null;
}

let app: ReturnType<typeof buildPlatform> | undefined;
let listening: TestPlatform | undefined;
afterEach(async () => {
  await app?.close();
  await listening?.close();
  app = undefined;
  listening = undefined;
});

it('an injected call is logged once, with the status it was answered with', async () => {
  app = buildPlatform({ memory: true, controlToken: TOKEN });
  const wx = (await app.inject({ method: 'POST', url: '/openrun/control/v1/apps', headers: AUTH, payload: { platform: 'weapp' } })).json<{
    appid: string;
    secret: string;
  }>();
  const token = await app.inject(`/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
  expect(token.json()).toHaveProperty('access_token');
  const refused = await app.inject(`/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=wrong`);
  expect(refused.json()).toMatchObject({ errcode: 40001 });
  // Past the turn in which a close without writableFinished is looked at.
  await new Promise((done) => setTimeout(done, 20));

  const log = (await app.inject({ url: '/openrun/control/v1/requests?route=GET%20/cgi-bin/token', headers: AUTH })).json<{ requests: Entry[] }>()
    .requests;
  expect(log).toEqual([
    expect.objectContaining({ route: 'GET /cgi-bin/token', status: 200, errcode: 40001 }),
    expect.objectContaining({ route: 'GET /cgi-bin/token', status: 200, errcode: null }),
  ]);
});

it('a connection dropped by a fault is logged once, with status 0', async () => {
  listening = await startTestPlatform();
  await listening.control('POST', '/faults', { route: 'GET /cgi-bin/token', drop: true, times: 1 });
  await expect(fetch(`${listening.baseUrl}/cgi-bin/token?grant_type=client_credential&appid=1&secret=2`)).rejects.toThrow();
  let entries: Entry[] = [];
  for (let i = 0; i < 50 && entries.length === 0; i++) {
    entries = (await listening.control<{ requests: Entry[] }>('GET', '/requests?route=GET%20/cgi-bin/token')).body.requests;
    if (entries.length === 0) await new Promise((done) => setTimeout(done, 20));
  }
  await new Promise((done) => setTimeout(done, 50));
  entries = (await listening.control<{ requests: Entry[] }>('GET', '/requests?route=GET%20/cgi-bin/token')).body.requests;
  expect(entries).toEqual([expect.objectContaining({ status: 0, faultId: 'fault_1' })]);
});
