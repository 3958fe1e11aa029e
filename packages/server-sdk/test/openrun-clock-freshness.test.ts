/**
 * What the server SDK README promises about freshness after `openrun clock advance`: the watermark carries the
 * platform's time, so a check against the system clock fails, and `nowSeconds` read from OpenRun's clock passes.
 */
import { addChinaDays, chinaDateOf } from '@openrun/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WatermarkFromFutureError, WeChatMiniProgram } from '../src/index.js';
import { startPlatform, type TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startPlatform();
});
afterAll(() => platform.close());

it('after clock advance 1d, decryptWeRunData checks freshness against OpenRun\'s clock given as nowSeconds', async () => {
  const app = await platform.createApp({ platform: 'weapp' });
  const today = chinaDateOf(await platform.nowSeconds());
  const user = await platform.createUser([{ date: addChinaDays(today, 1), steps: 777 }]);
  await platform.grant(app.appid, user.id, 'scope.werun');
  const client = new WeChatMiniProgram({ appid: app.appid, secret: app.secret, baseUrl: platform.baseUrl, env: {} });
  const { sessionKey } = await client.code2Session(await platform.login(app.appid, user.deviceToken));
  await platform.advanceClock(86_400);
  const { encryptedData, iv } = await platform.stepData(app.appid, user.deviceToken, 'werun');

  expect(() => client.decryptWeRunData(sessionKey, encryptedData, iv, { maxAgeSeconds: 600 })).toThrow(WatermarkFromFutureError);
  // As in the README: read OpenRun's clock and pass it.
  const { nowMs } = (await (await fetch(`${platform.baseUrl}/openrun/control/v1/clock`)).json()) as { nowMs: number };
  const snapshot = client.decryptWeRunData(sessionKey, encryptedData, iv, { maxAgeSeconds: 600, nowSeconds: Math.floor(nowMs / 1000) });
  expect(snapshot.stepInfoList.at(-1)).toMatchObject({ date: addChinaDays(today, 1), step: 777 });
});
