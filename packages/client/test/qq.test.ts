/**
 * `connect()` for a QQ app against a real platform: the qq-shaped object, getQQRunData without cloudID, the QQ scope
 * and QQ's jscode2session host. @see PROTOCOL.md §5.3, §14
 */
import { authDenyErrMsg, rememberedDenyErrMsg } from '@openrun/core';
import { decryptOpenData } from '@openrun/core/cipher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type CallbackResult, type QqApi } from '../src/index.js';
import { FROZEN_NOW, startPlatform, type TestApp, type TestPlatform, type TestUser } from './helpers/platform.js';

let platform: TestPlatform;
let app: TestApp;

beforeEach(async () => {
  platform = await startPlatform();
  await platform.control('PUT', '/clock', { now: FROZEN_NOW, frozen: true });
  app = await platform.createApp({ platform: 'qq' });
});

afterEach(async () => {
  await platform.close();
});

function qqFor(who: TestUser): QqApi {
  return connect({ baseUrl: platform.baseUrl, appid: app.appid, deviceToken: who.deviceToken, platform: 'qq' });
}

describe('qq on a real platform', () => {
  it('is chosen from the QQ appid alone and has getQQRunData but no getWeRunData or cloud', async () => {
    const user = await platform.createUser();
    const api = connect({ baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken });
    expect('getQQRunData' in api && !('getWeRunData' in api) && !('cloud' in api)).toBe(true);
  });

  it('getQQRunData returns steps without a cloudID that decrypt with the session_key from QQ jscode2session', async () => {
    const user = await platform.createUser({ promptAnswer: 'accept' });
    await platform.putSteps(user.id, [{ date: '2026-03-10', steps: 321 }]);
    const qq = qqFor(user);
    const { code } = await qq.login();
    const res = await qq.getQQRunData();
    expect(Object.keys(res).sort()).toEqual(['encryptedData', 'errMsg', 'iv']);
    expect(res.errMsg).toBe('getQQRunData:ok');
    const { body } = await platform.code2Session(app, code);
    const data = decryptOpenData(body.session_key as string, res.encryptedData, res.iv) as {
      stepInfoList: Array<{ step: number }>;
      watermark: { appid: string };
    };
    expect(data.stepInfoList.at(-1)?.step).toBe(321);
    expect(data.watermark.appid).toBe(app.appid);
  });

  it('a QQ user who denies scope.qqrun gets the QQ-prefixed denial, then the remembered refusal', async () => {
    const qq = qqFor(await platform.createUser({ promptAnswer: 'deny' }));
    await qq.login();
    const errMsgs: string[] = [];
    for (let i = 0; i < 2; i++) errMsgs.push(await qq.getQQRunData().then(() => 'ok', (r: CallbackResult) => r.errMsg));
    expect(errMsgs).toEqual([authDenyErrMsg('getQQRunData'), rememberedDenyErrMsg('getQQRunData')]);
    await expect(qq.getSetting()).resolves.toMatchObject({ authSetting: { 'scope.qqrun': false } });
  });

  it('authorize knows scope.qqrun and refuses the WeChat step scope', async () => {
    const qq = qqFor(await platform.createUser({ promptAnswer: 'accept' }));
    await expect(qq.authorize({ scope: 'scope.qqrun' })).resolves.toEqual({ errMsg: 'authorize:ok' });
    await expect(qq.authorize({ scope: 'scope.werun' })).rejects.toEqual({ errMsg: 'authorize:fail invalid scope' });
  });
});
