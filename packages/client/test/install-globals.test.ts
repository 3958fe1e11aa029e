/**
 * The README's guide as a test: a component that uses the global `wx` is tested with `installGlobals()` against a
 * real platform, with a backend half that decrypts the steps using the session_key from jscode2session.
 */
import { decryptOpenData } from '@openrun/core/cipher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installGlobals, uninstallGlobals } from '../src/testing/index.js';
import { loadStepCard, type StepBackend } from './fixtures/step-card.js';
import { FROZEN_NOW, startPlatform, type TestApp, type TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;
let app: TestApp;

beforeEach(async () => {
  platform = await startPlatform();
  await platform.control('PUT', '/clock', { now: FROZEN_NOW, frozen: true });
  app = await platform.createApp({ platform: 'weapp' });
});

afterEach(async () => {
  uninstallGlobals();
  await platform.close();
});

const backend: StepBackend = async ({ code, encryptedData, iv }) => {
  const { body } = await platform.code2Session(app, code);
  const data = decryptOpenData(body.session_key as string, encryptedData, iv) as { stepInfoList: Array<{ step: number }> };
  return data.stepInfoList.at(-1)?.step ?? 0;
};

describe('installGlobals in a component test', () => {
  it('a component reading steps through the global wx shows today’s count', async () => {
    const user = await platform.createUser({ promptAnswer: 'accept' });
    await platform.putSteps(user.id, [{ date: '2026-03-10', steps: 10_001 }]);
    installGlobals({ wx: { baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken } });
    await expect(loadStepCard(backend)).resolves.toEqual({ steps: 10_001, error: undefined });
  });

  it('a component shows the denial errMsg when the user refuses scope.werun', async () => {
    const user = await platform.createUser({ promptAnswer: 'deny' });
    installGlobals({ wx: { baseUrl: platform.baseUrl, appid: app.appid, deviceToken: user.deviceToken } });
    await expect(loadStepCard(backend)).resolves.toEqual({ steps: undefined, error: 'getWeRunData:fail auth deny' });
  });
});
