/**
 * The dashboard as a user meets it, in Debian's Chromium (playwright-core): users search/add/delete/paging, the chart's
 * y-axis from 0 with whole end bars, the function-call view, request/response bodies in the inspector, a rejected
 * edit explained once, grants opening on the WeChat app, and a console free of errors (and no overflow) at 390 px and
 * 1280 px. Screenshots go to test-results/dashboard/. Skipped, with a warning, without Chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPlatform, listenPlatform, type PlatformOptions } from '@openrun/platform';
import type { FastifyInstance } from 'fastify';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { controlClient } from './helpers/control.js';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

const CHROMIUM = process.env.OPENRUN_TEST_CHROMIUM?.trim() || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[openrun] SKIPPING the dashboard browser tests: ${CHROMIUM} not found (apt-get install -y chromium, or set OPENRUN_TEST_CHROMIUM).`);
const SHOTS = resolve(__dirname, '../../../test-results/dashboard');
const FROZEN = '2026-03-04T02:00:00Z';

let app: FastifyInstance | undefined;
let baseUrl: string;
let context: BrowserContext | undefined;
let dir: string;

async function platform(options: PlatformOptions = {}): Promise<void> {
  app = buildPlatform({ memory: true, ...options });
  baseUrl = await listenPlatform(app, { host: '127.0.0.1', port: 0 });
  await control('PUT', '/clock', { now: FROZEN, frozen: true });
}

const control = controlClient(() => baseUrl);

/** Opens /ui/#hash and records every console error, page error and failed or 4xx/5xx load. */
async function openUi(hash: string, width = 1280): Promise<{ page: Page; problems: string[] }> {
  const page = await context!.newPage();
  page.setDefaultTimeout(10_000);
  await page.setViewportSize({ width, height: 860 });
  const problems: string[] = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
  page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
  await page.goto(`${baseUrl}/ui/#${hash}`);
  await page.getByTestId('clock-state').waitFor();
  return { page, problems };
}

beforeAll(async () => {
  if (!hasChromium) return;
  if (!existsSync(resolve(__dirname, '../dist/index.html'))) throw new Error('[openrun] the dashboard is not built: run `npm run build` (npm test does it first)');
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'openrun-dashboard-everyday-'));
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});
afterAll(async () => {
  await context?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const p of context?.pages() ?? []) await p.close();
  await app?.close();
  app = undefined;
});

it.skipIf(!hasChromium)('users: pages of 50 through 120 users, search by prefix, add and delete', async () => {
  await platform();
  await control('POST', '/users/generate', { count: 120, days: 0 });
  const { page, problems } = await openUi('users');
  const rows = page.getByTestId('users').locator('li');
  await expect.poll(() => rows.count()).toBe(50);
  await page.getByTestId('users-next').click();
  await expect.poll(() => page.getByTestId('users-page').textContent()).toBe('page 2');
  await page.getByTestId('users-next').click();
  await expect.poll(() => rows.count()).toBe(20);
  expect(await page.getByTestId('users-next').isDisabled()).toBe(true);
  await page.getByTestId('users-prev').click();
  await expect.poll(() => rows.count()).toBe(50);

  // The search is typed while the add is still on its way (a quick hand, or a loaded machine, gives that order): the
  // add finishing must not wipe the search. The POST is held until the search is in, so the test always meets it.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/openrun/control/v1/users', async (route) => {
    if (route.request().method() === 'POST') await held;
    await route.continue();
  });
  await page.getByTestId('user-new-nickname').fill('Zed Walker');
  await page.getByTestId('user-add').click();
  await page.getByTestId('user-search').fill('Zed');
  release();
  await expect.poll(() => rows.count()).toBe(1);
  expect(await page.getByTestId('user-search').inputValue()).toBe('Zed');
  await page.unroute('**/openrun/control/v1/users');
  const zed = (await control<{ users: { id: string; nickname: string }[] }>('GET', '/users?q=Zed')).users;
  expect(zed.map((u) => u.nickname)).toEqual(['Zed Walker']);
  await page.screenshot({ path: join(SHOTS, 'users-search.png') });
  page.once('dialog', (d) => void d.accept());
  await page.getByTestId(`user-delete-${zed[0]!.id}`).click();
  await page.getByTestId('users-empty').waitFor();
  expect((await control<{ users: unknown[] }>('GET', '/users?q=Zed')).users).toEqual([]);
  // With nothing typed meanwhile, an add clears the search so that the new user shows.
  await page.getByTestId('user-new-nickname').fill('Amy Stride');
  await page.getByTestId('user-add').click();
  await expect.poll(() => page.getByTestId('user-search').inputValue()).toBe('');
  await expect.poll(() => rows.count()).toBe(50);
  expect(problems).toEqual([]);
});

it.skipIf(!hasChromium)('the step chart starts its y-axis at 0 and keeps the first and last bars whole; a rejected edit says why once', async () => {
  await platform();
  const user = await control<{ id: string }>('POST', '/users', { nickname: 'Steady' });
  // Every day between 9,000 and 9,030 steps: an auto-ranged axis would start near 9,000.
  const days = Array.from({ length: 31 }, (_, i) => ({ date: `2026-0${i < 3 ? 2 : 3}-${String(i < 3 ? 26 + i : i - 2).padStart(2, '0')}`, steps: 9000 + i }));
  await control('PUT', `/users/${user.id}/steps`, { days });
  const { page, problems } = await openUi('users');
  const chart = page.getByTestId('step-chart');
  await chart.locator('canvas').waitFor();
  await expect.poll(() => chart.getAttribute('data-y-min')).toBe('0');
  expect(await chart.getAttribute('data-x-min')).toBe('-0.5');
  const bars = await page.getByTestId('days').locator('.day').count();
  expect(bars).toBeGreaterThan(2);
  expect(await chart.getAttribute('data-x-max')).toBe(String(bars - 0.5));
  await page.screenshot({ path: join(SHOTS, 'chart-y-from-zero.png') });

  let puts = 0;
  page.on('request', (r) => r.method() === 'PUT' && r.url().includes('/steps') && (puts += 1));
  await page.getByTestId('steps-2026-03-01').click();
  await page.getByTestId('steps-input-2026-03-01').fill('-5');
  await page.getByTestId('steps-input-2026-03-01').press('Enter');
  const error = page.getByTestId('user-error');
  await expect.poll(() => error.textContent()).toBe('Steps on 2026-03-01 are a whole number from 0 to 1,000,000; "-5" was not saved.');
  expect(await page.getByTestId('user-error').count()).toBe(1);
  expect(puts).toBe(0);
  await page.getByTestId('steps-2026-03-01').click();
  await page.getByTestId('steps-input-2026-03-01').fill('12345');
  await page.getByTestId('steps-input-2026-03-01').press('Enter');
  await expect.poll(() => page.getByTestId('steps-2026-03-01').textContent()).toBe('12345');
  expect(puts).toBe(1);
  await expect.poll(() => error.count()).toBe(0);
  await page.screenshot({ path: join(SHOTS, 'chart-after-edit.png') });
  expect(problems).toEqual([]);
});

it.skipIf(!hasChromium)('the functions view shows each call with its result or error, duration and console output', async () => {
  const functions = join(dir, 'functions');
  mkdirSync(join(functions, 'hello'), { recursive: true });
  writeFileSync(join(functions, 'hello', 'index.js'), "exports.main = async (event) => { console.log('walking', event.n); return { total: event.n * 2 }; };\n");
  mkdirSync(join(functions, 'broken'), { recursive: true });
  writeFileSync(join(functions, 'broken', 'index.js'), "exports.main = async () => { console.error('about to fail'); throw new Error('no steps today'); };\n");
  await platform({ functionsDir: functions });
  const wx = await control<{ appid: string }>('POST', '/apps', { platform: 'weapp', cloud: true });
  const user = await control<{ deviceToken: string }>('POST', '/users', {});
  for (const name of ['hello', 'broken']) {
    await fetch(`${baseUrl}/openrun/runtime/v1/apps/${wx.appid}/functions/${name}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${user.deviceToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ data: { n: 21 } }),
    });
  }
  const { page, problems } = await openUi('functions');
  const calls = page.getByTestId('function-call');
  await expect.poll(() => calls.count()).toBe(2);
  expect(await page.getByTestId('function-names').textContent()).toContain('hello');
  const broken = calls.nth(0);
  const hello = calls.nth(1);
  expect(await hello.getByTestId('function-call-name').textContent()).toBe('hello');
  expect(await hello.getByTestId('function-call-duration').textContent()).toMatch(/^[\d.]+ ms$/);
  await hello.locator('summary').click();
  expect(JSON.parse((await hello.getByTestId('function-call-result').textContent())!)).toEqual({ total: 42 });
  expect(await hello.getByTestId('function-call-logs').textContent()).toBe('log   walking 21');
  await broken.locator('summary').click();
  expect(await broken.getByTestId('function-call-outcome').textContent()).toMatch(/^failed: /);
  expect(await broken.getByTestId('function-call-error').textContent()).toContain('no steps today');
  expect(await broken.getByTestId('function-call-logs').textContent()).toContain('error about to fail');
  await page.screenshot({ path: join(SHOTS, 'functions.png'), fullPage: true });
  expect(problems).toEqual([]);
});

it.skipIf(!hasChromium)('the request inspector expands a call to its request and response bodies, redacted', async () => {
  await platform();
  const wx = await control<{ appid: string; secret: string }>('POST', '/apps', { platform: 'weapp' });
  await fetch(`${baseUrl}/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid: wx.appid, secret: wx.secret }),
  });
  const { page, problems } = await openUi('requests');
  const row = page.getByTestId('request-row').first();
  await row.waitFor();
  expect(await page.getByTestId('request-bodies').count()).toBe(0);
  await row.getByTestId('request-body-toggle').click();
  const request = JSON.parse((await page.getByTestId('request-body').textContent())!) as Record<string, string>;
  expect(request).toEqual({ grant_type: 'client_credential', appid: wx.appid, secret: '[redacted]' });
  const response = JSON.parse((await page.getByTestId('response-body').textContent())!) as Record<string, unknown>;
  expect(response).toMatchObject({ access_token: '[redacted]', expires_in: 7200 });
  expect((await page.getByTestId('requests').textContent()) ?? '').not.toContain(wx.secret);
  await page.screenshot({ path: join(SHOTS, 'requests-bodies.png') });
  await row.getByTestId('request-body-toggle').click();
  expect(await page.getByTestId('request-bodies').count()).toBe(0);
  expect(problems).toEqual([]);
});

it.skipIf(!hasChromium)('grants open on the first WeChat app even when a QQ app came first', async () => {
  await platform();
  await control('POST', '/apps', { platform: 'qq', name: 'QQ first' });
  const wx = await control<{ appid: string }>('POST', '/apps', { platform: 'weapp', name: 'WeChat second' });
  await control('POST', '/users', {});
  const { page, problems } = await openUi('grants');
  await expect.poll(() => page.locator('section select').first().inputValue()).toBe(wx.appid);
  expect(await page.getByTestId('grants').locator('th').nth(3).textContent()).toBe('scope.werun');
  expect(problems).toEqual([]);
});

for (const width of [390, 1280]) {
  it.skipIf(!hasChromium)(`at ${width} px every view loads without console errors, 404s or horizontal overflow, navigation in a <nav>`, async () => {
    await platform();
    await control('POST', '/apps', { platform: 'weapp', cloud: true });
    const user = await control<{ id: string }>('POST', '/users', { nickname: 'Xiao Ming' });
    await control('POST', `/users/${user.id}/steps/generate`, { seed: 3, days: 31 });
    const { page, problems } = await openUi('users', width);
    await page.getByTestId('step-chart').locator('canvas').waitFor();
    expect(await page.locator('nav a[data-testid^="tab-"]').count()).toBe(7);
    expect(await page.evaluate(() => (document.querySelector('link[rel=icon]') as HTMLLinkElement | null)?.href ?? '')).toMatch(/favicon\.svg$/);
    for (const tab of ['users', 'apps', 'grants', 'live', 'requests', 'functions', 'faults']) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${tab} at ${width} px`).toBeLessThanOrEqual(0);
      if (tab === 'users' || tab === 'requests') await page.screenshot({ path: join(SHOTS, `${tab}-${width}px.png`), fullPage: true });
    }
    // The favicon was really fetched (Chromium asks for it once the page loaded).
    const icon = await fetch(`${baseUrl}/ui/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(problems).toEqual([]);
  });
}
