import { chinaDateOf } from '@openrun/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodeUsedError, InvalidCodeError, InvalidSecretError, QQMiniProgram, WatermarkAppIdMismatchError } from '../src/index.js';
import { startPlatform } from './helpers/platform.js';
import type { TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startPlatform();
});

afterAll(async () => {
  await platform.close();
});

async function setUp() {
  const app = await platform.createApp({ platform: 'qq' });
  const today = chinaDateOf(await platform.nowSeconds());
  const user = await platform.createUser([{ date: today, steps: 7_777 }]);
  await platform.grant(app.appid, user.id, 'scope.qqrun');
  const client = new QQMiniProgram({ appid: app.appid, secret: app.secret, env: { OPENRUN_EMULATOR_HOST: platform.baseUrl } });
  return { app, user, client, today };
}

describe('QQ backend flow against a real platform', () => {
  it('reaches OpenRun under /qq through OPENRUN_EMULATOR_HOST alone', async () => {
    const { client } = await setUp();
    expect(client.baseUrl).toBe(`${platform.baseUrl}/qq`);
  });

  it('logs in and decrypts QQ Run data with dates', async () => {
    const { app, user, client, today } = await setUp();
    const session = await client.code2Session(await platform.login(app.appid, user.deviceToken));
    const { encryptedData, iv } = await platform.stepData(app.appid, user.deviceToken, 'qqrun');
    const snapshot = client.decryptQQRunData(session.sessionKey, encryptedData, iv);
    expect(snapshot.stepInfoList.at(-1)).toMatchObject({ date: today, step: 7_777 });
    expect(snapshot.watermark.appid).toBe(app.appid);
  });

  it('gets and caches an access token from /api/getToken', async () => {
    const { client } = await setUp();
    const token = await client.getAccessToken();
    expect(token.length).toBeGreaterThan(0);
    expect(await client.getAccessToken()).toBe(token);
  });

  it('reports a reused code as CodeUsedError and an unknown one as InvalidCodeError', async () => {
    const { app, user, client } = await setUp();
    const code = await platform.login(app.appid, user.deviceToken);
    await client.code2Session(code);
    await expect(client.code2Session(code)).rejects.toMatchObject({ constructor: CodeUsedError, errcode: 40163 });
    await expect(client.code2Session('0'.repeat(32))).rejects.toMatchObject({ constructor: InvalidCodeError, errcode: 40029 });
  });

  it('reports a wrong secret as InvalidSecretError', async () => {
    const { app } = await setUp();
    const wrong = new QQMiniProgram({ appid: app.appid, secret: 'f'.repeat(32), baseUrl: `${platform.baseUrl}/qq`, env: {} });
    await expect(wrong.getAccessToken()).rejects.toBeInstanceOf(InvalidSecretError);
  });

  it("rejects QQ data decrypted by another app's client as a watermark appid mismatch", async () => {
    const a = await setUp();
    const b = await setUp();
    const session = await a.client.code2Session(await platform.login(a.app.appid, a.user.deviceToken));
    const { encryptedData, iv } = await platform.stepData(a.app.appid, a.user.deviceToken, 'qqrun');
    expect(() => b.client.decryptQQRunData(session.sessionKey, encryptedData, iv)).toThrow(WatermarkAppIdMismatchError);
  });
});
