/**
 * The in-page authorization sheet in Debian's Chromium: a user whose promptAnswer is `ask` sees WeChat's dialog (the
 * mini program's name, "获取你的微信运动步数", 拒绝 / 允许); 允许 delivers the data and 拒绝 gives `auth deny`, and the
 * platform remembers either as the grant. Screenshots go to test-results/client/. Skipped with a warning without Chromium.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decryptOpenData } from '@openrun/core/cipher';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, serveBrowserPage, CHROMIUM, type BrowserPage } from './helpers/browser-page.js';
import { FROZEN_NOW, startPlatform, type TestApp, type TestPlatform } from './helpers/platform.js';

if (!hasChromium) console.warn(`[openrun] SKIPPING the authorization sheet test: ${CHROMIUM} not found (apt-get install -y chromium).`);

const SHOTS = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../test-results/client');
let platform: TestPlatform;
let app: TestApp;
let page: BrowserPage;

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  platform = await startPlatform();
  await platform.control('PUT', '/clock', { now: FROZEN_NOW, frozen: true });
  app = await platform.createApp({ platform: 'weapp', name: '步数挑战' });
  page = await serveBrowserPage(fileURLToPath(new URL('./browser/prompt-page.ts', import.meta.url)));
});

afterAll(async () => {
  if (!hasChromium) return;
  await page?.close();
  await platform?.close();
});

async function openAs(token: string) {
  const tab = await page.context.newPage();
  await tab.setViewportSize({ width: 390, height: 760 });
  const query = new URLSearchParams({ baseUrl: platform.baseUrl, appid: app.appid, token });
  await tab.goto(`${page.origin}/?${query}`);
  return tab;
}

const result = (tab: Awaited<ReturnType<typeof openAs>>) =>
  tab.waitForFunction(() => (window as unknown as { __openrunResult?: unknown }).__openrunResult).then((h) => h.jsonValue() as Promise<Record<string, string>>);

describe.skipIf(!hasChromium)('authorization sheet', () => {
  it('允许 shows the data and is remembered as the grant', async () => {
    const user = await platform.createUser({ promptAnswer: 'ask' });
    await platform.putSteps(user.id, [{ date: '2026-03-09', steps: 4321 }]);
    const tab = await openAs(user.deviceToken);
    const dialog = tab.getByRole('dialog');
    await dialog.waitFor();
    await expect(dialog.textContent()).resolves.toContain('步数挑战');
    await expect(dialog.textContent()).resolves.toContain('获取你的微信运动步数');
    await tab.screenshot({ path: `${SHOTS}/authorization-sheet.png` });
    await tab.getByRole('button', { name: '允许' }).click();
    const res = await result(tab);
    const session = await platform.code2Session(app, res.code!);
    const data = decryptOpenData(String(session.body.session_key), res.encryptedData!, res.iv!) as { stepInfoList: { step: number }[] };
    expect(data.stepInfoList.some((d) => d.step === 4321)).toBe(true);
    expect(await tab.locator('openrun-authorization').count()).toBe(0); // the sheet is gone
    const grants = await platform.control('GET', `/apps/${app.appid}/users/${user.id}/grants`);
    expect(grants).toEqual({ authSetting: { 'scope.werun': true } });
    await tab.close();
  });

  it('拒绝 gives "auth deny", then the remembered refusal without a sheet', async () => {
    const user = await platform.createUser({ promptAnswer: 'ask' });
    const tab = await openAs(user.deviceToken);
    await tab.getByRole('button', { name: '拒绝' }).click();
    const res = await result(tab);
    expect(res.errMsg).toBe('getWeRunData:fail auth deny');
    expect(res.again).toBe('getWeRunData:fail 系统错误，错误码：-12006,auth deny');
    expect(await tab.locator('openrun-authorization').count()).toBe(0);
    const grants = await platform.control('GET', `/apps/${app.appid}/users/${user.id}/grants`);
    expect(grants).toEqual({ authSetting: { 'scope.werun': false } });
    await tab.screenshot({ path: `${SHOTS}/authorization-denied.png` });
    await tab.close();
  });
});
