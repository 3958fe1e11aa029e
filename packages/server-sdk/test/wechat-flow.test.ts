import { addChinaDays, chinaDateOf } from '@openrun/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeStepHistory, WeChatMiniProgram } from '../src/index.js';
import { startPlatform } from './helpers/platform.js';
import type { TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startPlatform();
});

afterAll(async () => {
  await platform.close();
});

async function setUp(options: { cloud?: boolean; mode?: 'token' | 'stable_token' } = {}) {
  const app = await platform.createApp({ platform: 'weapp', cloud: options.cloud ?? true });
  const today = chinaDateOf(await platform.nowSeconds());
  const user = await platform.createUser([
    { date: addChinaDays(today, -30), steps: 4321 },
    { date: addChinaDays(today, -1), steps: 10_000 },
    { date: today, steps: 2_500 },
  ]);
  await platform.grant(app.appid, user.id, 'scope.werun');
  const client = new WeChatMiniProgram({
    appid: app.appid,
    secret: app.secret,
    baseUrl: platform.baseUrl,
    env: {},
    accessTokenMode: options.mode ?? 'token',
  });
  return { app, user, client, today };
}

describe('WeChat backend flow against a real platform', () => {
  it('logs in, decrypts WeRun data with dates and checks the session key', async () => {
    const { app, user, client, today } = await setUp();
    const code = await platform.login(app.appid, user.deviceToken);
    const session = await client.code2Session(code);
    expect(session.openid).toMatch(/^o/);
    const { encryptedData, iv } = await platform.stepData(app.appid, user.deviceToken, 'werun');
    const snapshot = client.decryptWeRunData(session.sessionKey, encryptedData, iv, {
      maxAgeSeconds: 60,
      nowSeconds: await platform.nowSeconds(),
    });
    expect(snapshot.stepInfoList).toHaveLength(31);
    expect(snapshot.stepInfoList.at(-1)).toMatchObject({ date: today, step: 2_500 });
    expect(snapshot.stepInfoList.at(-2)).toMatchObject({ date: addChinaDays(today, -1), step: 10_000 });
    expect(snapshot.stepInfoList[0]).toMatchObject({ date: addChinaDays(today, -30), step: 4321 });
    expect(snapshot.watermark.appid).toBe(app.appid);
    expect(await client.checkSessionKey(session.openid, session.sessionKey)).toBe(true);
    expect(await client.checkSessionKey(session.openid, Buffer.alloc(16, 1).toString('base64'))).toBe(false);
  });

  it('resolves a WeRun cloudID through getopendata to the same dated steps', async () => {
    const { app, user, client, today } = await setUp();
    const session = await client.code2Session(await platform.login(app.appid, user.deviceToken));
    const { cloudID } = await platform.stepData(app.appid, user.deviceToken, 'werun');
    expect(cloudID).toBeDefined();
    const [result] = await client.getOpenData(session.openid, [cloudID!]);
    expect(result).toMatchObject({ cloudId: cloudID, ok: true });
    const snapshot = await client.getWeRunDataByCloudId(session.openid, cloudID!);
    expect(snapshot.stepInfoList.at(-1)).toMatchObject({ date: today, step: 2_500 });
    expect(snapshot.watermark.appid).toBe(app.appid);
  });

  it('works the same with stable_token', async () => {
    const { app, user, client } = await setUp({ mode: 'stable_token' });
    const session = await client.code2Session(await platform.login(app.appid, user.deviceToken));
    const first = await client.getAccessToken();
    expect(await client.getAccessToken()).toBe(first);
    expect(await client.checkSessionKey(session.openid, session.sessionKey)).toBe(true);
  });

  it('merges snapshots from two days into one history', async () => {
    const { app, user, client, today } = await setUp();
    const session = await client.code2Session(await platform.login(app.appid, user.deviceToken));
    const first = await platform.stepData(app.appid, user.deviceToken, 'werun');
    let history = mergeStepHistory([], client.decryptWeRunData(session.sessionKey, first.encryptedData, first.iv));
    await platform.advanceClock(86_400);
    const second = await platform.stepData(app.appid, user.deviceToken, 'werun');
    history = mergeStepHistory(history, client.decryptWeRunData(session.sessionKey, second.encryptedData, second.iv));
    expect(history).toHaveLength(32);
    expect(history.find((d) => d.date === today)?.step).toBe(2_500);
    expect(history.at(-1)?.date).toBe(addChinaDays(today, 1));
  });
});
