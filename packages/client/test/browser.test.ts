/**
 * The client in a real browser: a page bundled with esbuild runs login → getWeRunData in Debian's Chromium (driven by
 * playwright-core, never a downloaded browser) against a platform on another loopback origin (so CORS is exercised),
 * and the backend half decrypts the result with the session_key from jscode2session.
 * Without /usr/bin/chromium (a laptop) the test is skipped with a warning; `.ci/run` installs it.
 */
import { fileURLToPath } from 'node:url';
import { CLOUD_ID_PATTERN } from '@openrun/core';
import { decryptOpenData } from '@openrun/core/cipher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, serveBrowserPage, type BrowserPage } from './helpers/browser-page.js';
import { FROZEN_NOW, startPlatform, type TestPlatform } from './helpers/platform.js';

if (!hasChromium) {
  console.warn(
    `[openrun] SKIPPING the client browser test: ${CHROMIUM} not found. Install Debian's Chromium (apt-get install -y chromium) to run it.`,
  );
}

let platform: TestPlatform;
let browser: BrowserPage | undefined;

beforeAll(async () => {
  if (!hasChromium) return;
  platform = await startPlatform();
  browser = await serveBrowserPage(fileURLToPath(new URL('./browser/page.ts', import.meta.url)));
});

afterAll(async () => {
  if (!hasChromium) return;
  await browser?.close();
  await platform?.close();
});

describe('client in Chromium', () => {
  it.skipIf(!hasChromium)('a bundled page logs in and reads steps cross-origin, and the backend decrypts them', async () => {
    await platform.control('PUT', '/clock', { now: FROZEN_NOW, frozen: true });
    const app = await platform.createApp({ platform: 'weapp', cloud: true, baseLibVersion: '2.30.0' });
    const user = await platform.createUser({ promptAnswer: 'accept' });
    const denier = await platform.createUser({ promptAnswer: 'deny' });
    await platform.putSteps(user.id, [{ date: '2026-03-10', steps: 7777 }]);

    const page = await browser!.context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const query = new URLSearchParams({ baseUrl: platform.baseUrl, appid: app.appid, token: user.deviceToken, denyToken: denier.deviceToken });
    await page.goto(`${browser!.origin}/?${query}`);
    await page
      .waitForFunction(() => (window as unknown as { __openrunResult?: unknown }).__openrunResult !== undefined, undefined, {
        timeout: 10_000,
      })
      .catch((error: unknown) => {
        throw new Error(`the page published no result (page errors: ${pageErrors.join('; ') || 'none'})`, { cause: error });
      });
    const result = (await page.evaluate(() => (window as unknown as { __openrunResult: unknown }).__openrunResult)) as {
      code: string;
      encryptedData: string;
      iv: string;
      cloudID: string;
      deniedErrMsg: string;
      error?: string;
    };
    expect(result.error).toBeUndefined();
    expect(result.cloudID).toMatch(CLOUD_ID_PATTERN);
    expect(result.deniedErrMsg).toBe('getWeRunData:fail auth deny');

    const { body } = await platform.code2Session(app, result.code);
    const data = decryptOpenData(body.session_key as string, result.encryptedData, result.iv) as {
      stepInfoList: Array<{ step: number }>;
      watermark: { appid: string };
    };
    expect(data.stepInfoList).toHaveLength(31);
    expect(data.stepInfoList.at(-1)?.step).toBe(7777);
    expect(data.watermark.appid).toBe(app.appid);
  });
});
