/**
 * `connect()` and users whose promptAnswer is `ask`, in Node: the `onPrompt` hook answers the consent dialog
 * (default: accept), the answer is remembered by the platform as the grant, and a refusal reads like the phone's.
 */
import { connect, type AuthorizationPrompt } from '@openrun/client';
import { decryptOpenData } from '@openrun/core/cipher';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FROZEN_NOW, startPlatform, type TestApp, type TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;
let app: TestApp;
beforeAll(async () => {
  platform = await startPlatform();
  await platform.control('PUT', '/clock', { now: FROZEN_NOW, frozen: true });
  app = await platform.createApp({ platform: 'weapp', name: '步数挑战' });
});
afterAll(() => platform.close());

const grants = (userId: string) => platform.control<{ authSetting: Record<string, boolean> }>('GET', `/apps/${app.appid}/users/${userId}/grants`);

it('without a hook, Node accepts: the data arrives, decrypts, and the grant is remembered', async () => {
  const user = await platform.createUser({ promptAnswer: 'ask' });
  await platform.putSteps(user.id, [{ date: '2026-03-09', steps: 8123 }]);
  const wx = connect({ baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken, platform: 'weapp' });
  const { code } = await wx.login();
  const res = await wx.getWeRunData();
  const session = await platform.code2Session(app, code);
  const data = decryptOpenData(String(session.body.session_key), res.encryptedData, res.iv) as { stepInfoList: { step: number }[] };
  expect(data.stepInfoList.some((d) => d.step === 8123)).toBe(true);
  expect((await grants(user.id)).authSetting).toEqual({ 'scope.werun': true });
});

it('the hook sees what the dialog shows; a deny fails with "auth deny", then with the remembered -12006 and no dialog', async () => {
  const user = await platform.createUser({ promptAnswer: 'ask' });
  const seen: AuthorizationPrompt[] = [];
  const wx = connect({
    baseUrl: platform.baseUrl,
    appid: app.appid,
    deviceToken: user.deviceToken,
    platform: 'weapp',
    onPrompt: (prompt) => {
      seen.push(prompt);
      return 'deny';
    },
  });
  await wx.login();
  await expect(wx.getWeRunData()).rejects.toEqual({ errMsg: 'getWeRunData:fail auth deny' });
  expect(seen).toEqual([{ api: 'getWeRunData', scope: 'scope.werun', appName: '步数挑战', platform: 'weapp' }]);
  await expect(wx.getWeRunData()).rejects.toEqual({ errMsg: 'getWeRunData:fail 系统错误，错误码：-12006,auth deny' });
  expect(seen).toHaveLength(1);
  expect((await grants(user.id)).authSetting).toEqual({ 'scope.werun': false });
});

it('authorize asks through the hook too (an async answer), and concurrent calls share one dialog', async () => {
  const user = await platform.createUser({ promptAnswer: 'ask' });
  let asked = 0;
  const wx = connect({
    baseUrl: platform.baseUrl,
    appid: app.appid,
    deviceToken: user.deviceToken,
    platform: 'weapp',
    onPrompt: async () => {
      asked += 1;
      await new Promise((resolve) => setTimeout(resolve, 30));
      return 'accept' as const;
    },
  });
  const results = await Promise.all([wx.authorize({ scope: 'scope.werun' }), wx.authorize({ scope: 'scope.werun' })]);
  expect(results).toEqual([{ errMsg: 'authorize:ok' }, { errMsg: 'authorize:ok' }]);
  expect(asked).toBe(1);
  expect((await grants(user.id)).authSetting).toEqual({ 'scope.werun': true });
});

it('a hook that answers something else, or throws, fails the call and remembers nothing', async () => {
  const user = await platform.createUser({ promptAnswer: 'ask' });
  const base = { baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken, platform: 'weapp' as const };
  const odd = connect({ ...base, onPrompt: () => 'yes' as never });
  await expect(odd.authorize({ scope: 'scope.werun' })).rejects.toEqual({
    errMsg: `authorize:fail onPrompt must answer 'accept' or 'deny', got "yes"`,
  });
  const throwing = connect({
    ...base,
    onPrompt: () => {
      throw new Error('the tester walked away');
    },
  });
  await expect(throwing.authorize({ scope: 'scope.werun' })).rejects.toEqual({ errMsg: 'authorize:fail the tester walked away' });
  expect((await grants(user.id)).authSetting).toEqual({});
  expect(() => connect({ ...base, onPrompt: 'accept' as never })).toThrow(/onPrompt must be a function/);
});

it('users with a played answer never reach the hook', async () => {
  const user = await platform.createUser({ promptAnswer: 'deny' });
  let asked = false;
  const wx = connect({
    baseUrl: platform.baseUrl,
    appid: app.appid,
    deviceToken: user.deviceToken,
    platform: 'weapp',
    onPrompt: () => {
      asked = true;
      return 'accept';
    },
  });
  await expect(wx.authorize({ scope: 'scope.werun' })).rejects.toEqual({ errMsg: 'authorize:fail auth deny' });
  expect(asked).toBe(false);
});
