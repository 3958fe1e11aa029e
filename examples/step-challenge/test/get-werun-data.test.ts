/**
 * The app's own unit test: `Taro.login` and `Taro.getWeRunData`, exactly as the pages call them, reach OpenRun
 * through @openrun/taro's Vitest entry (see vitest.config.ts), and the backend decrypts what they return. OpenRun is
 * started for the test with the example's scenario (the checkout's CLI, `@openrun/cli`, or `OPENRUN_CLI`).
 */
import Taro from '@tarojs/taro';
import { configureOpenRunTaro } from '@openrun/taro/vitest';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildBackend } from '../server/app.mjs';
import { startOpenRun, weappOf, type Started, type WeApp } from '../scripts/processes.mjs';

let openrun: Started;
let weapp: WeApp;
let backend: ReturnType<typeof buildBackend>;

beforeAll(async () => {
  openrun = await startOpenRun();
  weapp = await weappOf(openrun.url);
  backend = buildBackend({ appid: weapp.appid, secret: weapp.secret, baseUrl: openrun.url });
});

afterAll(async () => {
  await backend?.close();
  await openrun?.stop();
});

async function post<T>(url: string, body: object, token?: string): Promise<{ status: number; body: T }> {
  const reply = await backend.inject({
    method: 'POST',
    url,
    payload: body,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: reply.statusCode, body: reply.json() as T };
}

it("Taro.getWeRunData through @openrun/taro/vitest returns data the backend decrypts to the platform's 31 days", async () => {
  configureOpenRunTaro({ baseUrl: openrun.url, appid: weapp.appid, deviceToken: 'dev-chen-0001' });
  const { code } = await Taro.login();
  const session = await post<{ token: string; openid: string }>('/api/login', { code, team: 'blue' });
  expect(session.status).toBe(200);

  const result = await Taro.getWeRunData();
  expect(result.errMsg).toBe('getWeRunData:ok');
  const { status, body } = await post<{ days: { date: string; step: number }[] }>(
    '/api/werun',
    { encryptedData: result.encryptedData, iv: result.iv },
    session.body.token,
  );
  expect(status).toBe(200);
  expect(body.days).toHaveLength(31);

  const first = body.days[0]!.date;
  const last = body.days[30]!.date;
  const platform = (await (await fetch(`${openrun.url}/openrun/control/v1/users/chen/steps?from=${first}&to=${last}`)).json()) as {
    days: { date: string; steps: number }[];
  };
  expect(body.days).toEqual(platform.days.map((d) => ({ date: d.date, step: d.steps })));
});

it('a remembered refusal: the promise rejects without callbacks; with them fail and complete run and it resolves, as Taro does', async () => {
  configureOpenRunTaro({ baseUrl: openrun.url, appid: weapp.appid, deviceToken: 'dev-dan-0001' });
  await Taro.login();
  // Dan refused before (the scenario's grant): the platform answers at once, without a dialog.
  const remembered = 'getWeRunData:fail 系统错误，错误码：-12006,auth deny';
  await expect(Taro.getWeRunData()).rejects.toMatchObject({ errMsg: remembered });
  const calls: string[] = [];
  const answer = await Taro.getWeRunData({
    fail: (e) => calls.push(`fail ${e.errMsg}`),
    complete: () => calls.push('complete'),
  });
  expect(answer).toMatchObject({ errMsg: remembered });
  expect(calls).toEqual([`fail ${remembered}`, 'complete']);
});

it("another user's data does not decrypt with this session's key", async () => {
  configureOpenRunTaro({ baseUrl: openrun.url, appid: weapp.appid, deviceToken: 'dev-chen-0001' });
  const { code } = await Taro.login();
  const session = await post<{ token: string }>('/api/login', { code, team: 'red' });
  const other = await fetch(`${openrun.url}/openrun/control/v1/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ nickname: 'Eve', promptAnswer: 'accept' }),
  });
  const { deviceToken } = (await other.json()) as { deviceToken: string };
  configureOpenRunTaro({ deviceToken });
  await Taro.login();
  const alice = await Taro.getWeRunData();
  const { status, body } = await post<{ error: { code: string } }>(
    '/api/werun',
    { encryptedData: alice.encryptedData, iv: alice.iv },
    session.body.token,
  );
  expect(status).toBe(400);
  expect(body.error.code).toBe('decrypt_failed');
});
