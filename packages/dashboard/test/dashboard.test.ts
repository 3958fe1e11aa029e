/**
 * The dashboard in a real browser: Debian's Chromium (driven by playwright-core, never a downloaded browser) opens
 * /ui/ of a platform on loopback, edits a user's steps and sees the chart change, advances the clock and watches a
 * cloudID expire, and adds a fault and sees it hit a call in the request inspector. Screenshots are kept in
 * test-results/dashboard/. Without Chromium (env OPENRUN_TEST_CHROMIUM or /usr/bin/chromium) the tests are skipped
 * with a warning; `.ci/run` installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPlatform, listenPlatform } from '@openrun/platform';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { controlClient } from './helpers/control.js';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';

const CHROMIUM = process.env.OPENRUN_TEST_CHROMIUM?.trim() || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(`[openrun] SKIPPING the dashboard browser tests: ${CHROMIUM} not found. Install Debian's Chromium (apt-get install -y chromium) or set OPENRUN_TEST_CHROMIUM.`);
}
const SHOTS = resolve(__dirname, '../../../test-results/dashboard');
const FROZEN = '2026-03-04T02:00:00Z'; // 10:00 in China

let app: FastifyInstance;
let baseUrl: string;
let context: BrowserContext | undefined;
let profileDir: string;

const control = controlClient(() => baseUrl);

async function openUi(hash: string): Promise<Page> {
  const page = await context!.newPage();
  page.setDefaultTimeout(10_000);
  await page.setViewportSize({ width: 1280, height: 860 });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}/ui/#${hash}`);
  await page.getByTestId('clock-state').waitFor();
  expect(errors).toEqual([]);
  return page;
}

beforeAll(async () => {
  if (!hasChromium) return;
  if (!existsSync(resolve(__dirname, '../dist/index.html'))) {
    throw new Error('[openrun] the dashboard is not built: run `npm run build` (npm test does it first)');
  }
  mkdirSync(SHOTS, { recursive: true });
  profileDir = mkdtempSync(join(tmpdir(), 'openrun-dashboard-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await context?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

beforeEach(async () => {
  if (!hasChromium) return;
  app = buildPlatform({ memory: true });
  baseUrl = await listenPlatform(app, { host: '127.0.0.1', port: 0 });
  await control('PUT', '/clock', { now: FROZEN, frozen: true });
  // Each test's page polls its own platform: closed with it, so no page is left polling a platform that is gone.
  return async () => {
    for (const p of context?.pages() ?? []) await p.close();
    await app.close();
  };
});

it.skipIf(!hasChromium)('editing a day of a user\'s steps redraws the 31-day chart with the new count', async () => {
  const user = await control<{ id: string }>('POST', '/users', { nickname: 'Xiao Ming' });
  await control('POST', `/users/${user.id}/steps/generate`, { seed: 4, days: 31 });
  const page = await openUi('users');
  const chart = page.getByTestId('step-chart');
  await chart.locator('canvas').waitFor();
  const before = Number(await chart.getAttribute('data-total'));
  await page.screenshot({ path: join(SHOTS, 'users-before-edit.png') });
  await page.getByTestId('steps-2026-03-01').click();
  await page.getByTestId('steps-input-2026-03-01').fill('25000');
  await page.getByTestId('steps-input-2026-03-01').press('Enter');
  await expect.poll(() => page.getByTestId('steps-2026-03-01').textContent(), { timeout: 10_000 }).toBe('25000');
  await expect.poll(async () => Number(await chart.getAttribute('data-total')), { timeout: 10_000 }).not.toBe(before);
  const stored = await control<{ days: { date: string; steps: number }[] }>('GET', `/users/${user.id}/steps?from=2026-03-01&to=2026-03-01`);
  expect(stored.days).toEqual([{ date: '2026-03-01', steps: 25000 }]);
  await page.screenshot({ path: join(SHOTS, 'users-after-edit.png') });
});

it.skipIf(!hasChromium)('advancing the clock by 5 minutes expires a live cloudID in the live view', async () => {
  const wx = await control<{ appid: string }>('POST', '/apps', { platform: 'weapp', cloud: true });
  const user = await control<{ id: string; deviceToken: string }>('POST', '/users', {});
  const runtime = (path: string) =>
    fetch(`${baseUrl}/openrun/runtime/v1/apps/${wx.appid}${path}`, { method: 'POST', headers: { authorization: `Bearer ${user.deviceToken}` } });
  await runtime('/login');
  const step = (await (await runtime('/werun')).json()) as { cloudID: string };
  expect(step.cloudID).toEqual(expect.any(String));
  const page = await openUi('live');
  await expect.poll(() => page.getByTestId('cloud-id-ttl').textContent(), { timeout: 10_000 }).toBe('5:00');
  await page.getByTestId('clock-1d').waitFor();
  await control('POST', '/clock/advance', { seconds: 60 });
  await expect.poll(() => page.getByTestId('cloud-id-ttl').textContent(), { timeout: 10_000 }).toBe('4:00');
  await page.screenshot({ path: join(SHOTS, 'live-cloudid-ttl.png') });
  await page.getByTestId('clock-5m').click();
  await page.getByTestId('no-cloud-ids').waitFor();
  await expect(page.getByTestId('cloud-id-row').count()).resolves.toBe(0);
  await page.screenshot({ path: join(SHOTS, 'live-cloudid-expired.png') });
});

it.skipIf(!hasChromium)('a fault added in the faults view shows on the call it hit in the request inspector', async () => {
  const wx = await control<{ appid: string; secret: string }>('POST', '/apps', { platform: 'weapp' });
  const page = await openUi('faults');
  await page.getByTestId('fault-route').fill('GET /cgi-bin/token');
  await page.getByTestId('fault-value').fill('-1');
  await page.getByTestId('fault-times').fill('1');
  await page.getByTestId('fault-add').click();
  await page.getByTestId('fault-row').waitFor();
  const faults = await control<{ faults: { id: string; route: string; action: unknown }[] }>('GET', '/faults');
  expect(faults.faults).toEqual([expect.objectContaining({ id: 'fault_1', route: 'GET /cgi-bin/token', action: { errcode: -1 } })]);
  const token = await fetch(`${baseUrl}/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
  expect(((await token.json()) as { errcode: number }).errcode).toBe(-1);
  await expect.poll(() => page.getByTestId('fault-uses').textContent(), { timeout: 10_000 }).toBe('1');
  await page.screenshot({ path: join(SHOTS, 'faults.png') });
  await page.getByTestId('tab-requests').click();
  const row = page.getByTestId('request-row').first();
  await expect.poll(() => row.getByTestId('request-fault').textContent(), { timeout: 10_000 }).toBe('fault_1');
  expect(await row.getByTestId('request-errcode').textContent()).toBe('-1');
  const text = (await page.getByTestId('requests').textContent()) ?? '';
  expect(text).toContain('secret=[redacted]');
  expect(text).not.toContain(wx.secret);
  await page.screenshot({ path: join(SHOTS, 'requests.png') });
});

it.skipIf(!hasChromium)("the dialog answer can be set to 'ask', so the user answers the authorization sheet on the device", async () => {
  const user = await control<{ id: string }>('POST', '/users', { nickname: 'Xiao Hong' });
  const page = await openUi('users');
  const select = page.getByTestId('prompt-answer');
  await select.waitFor();
  await select.selectOption('ask');
  await expect.poll(async () => (await control<{ promptAnswer: string }>('GET', `/users/${user.id}`)).promptAnswer, { timeout: 10_000 }).toBe('ask');
  await expect.poll(() => select.inputValue(), { timeout: 10_000 }).toBe('ask');
  await page.screenshot({ path: join(SHOTS, 'users-prompt-ask.png') });
});
