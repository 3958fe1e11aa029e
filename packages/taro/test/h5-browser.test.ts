/**
 * The H5 override module in Debian's Chromium: a sample page compiled by Taro's transform calls Taro.login,
 * getWeRunData, cloud.callFunction… against a real platform; the stubs never run; Taro's calling convention;
 * `?openrun_user=` switches user and is remembered; an unknown one shows who exists; the authorization sheet for an
 * `ask` user; an unreachable platform gives `network error`; the dev overlay. Screenshots in test-results/taro/.
 * Skipped with a warning without /usr/bin/chromium.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decryptOpenData } from '@openrun/core/cipher';
import { buildPlatform, listenPlatform } from '@openrun/platform';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleTaroPage, compileTaroPage, fixture } from './helpers/compile-taro-page.js';

const CHROMIUM = process.env.OPENRUN_TEST_CHROMIUM?.trim() || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[openrun] SKIPPING the @openrun/taro browser test: ${CHROMIUM} not found (apt-get install -y chromium).`);

const SHOTS = fileURLToPath(new URL('../../../test-results/taro/', import.meta.url));
const APPID = 'wx0123456789abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';
const FOOTER = `
import { stubCalls } from './taro-h5-stand-in.js';
import TaroDefault from '@tarojs/taro';
window.__page = { steps, stubCalls, canUseWeRun, Taro: TaroDefault };
`;

let platform: ReturnType<typeof buildPlatform>;
let baseUrl: string;
let server: Server;
let origin: string;
let context: BrowserContext;
let profile: string;

const control = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> => {
  const r = await fetch(`${baseUrl}/openrun/control/v1${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return (await r.json()) as T;
};

beforeAll(async () => {
  if (!hasChromium) return;
  mkdirSync(SHOTS, { recursive: true });
  platform = buildPlatform({ memory: true, functionsDir: fixture('functions') });
  baseUrl = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
  await control('POST', '/scenario', {
    clock: { now: '2026-03-10T12:00:00+08:00', frozen: true },
    apps: [{ platform: 'weapp', appid: APPID, secret: SECRET, name: '步数挑战', cloud: true }],
    users: [
      { id: 'ann', nickname: 'Ann', deviceToken: 'dev-ann-0001', steps: [{ date: '2026-03-09', steps: 9001 }] },
      { id: 'bob', nickname: 'Bob', deviceToken: 'dev-bob-0001', steps: [{ date: '2026-03-09', steps: 4002 }] },
      { id: 'cat', nickname: 'Cat', deviceToken: 'dev-cat-0001', promptAnswer: 'ask' },
    ],
  });
  const config = { baseUrl, appid: APPID, deviceToken: 'dev-ann-0001', overlay: true };
  const js = await bundleTaroPage((await compileTaroPage(fixture('step-page.js'))) + FOOTER, { __OPENRUN_TARO__: JSON.stringify(config) });
  const html = '<!doctype html><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Taro H5</title><div id="app"></div><script type="module" src="/page.js"></script>';
  server = createServer((req, res) => {
    if (req.url?.startsWith('/page.js')) res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(js);
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = mkdtempSync(join(tmpdir(), 'openrun-taro-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
});

afterAll(async () => {
  if (!hasChromium) return;
  await context?.close();
  await new Promise((resolve) => server?.close(resolve));
  await platform?.close();
  rmSync(profile, { recursive: true, force: true });
});

async function open(query = ''): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 390, height: 760 });
  await page.goto(`${origin}/${query}`);
  await page.waitForFunction(() => 'steps' in ((window as unknown as { __page?: object }).__page ?? {}));
  return page;
}

type Steps = Record<string, (...args: unknown[]) => Promise<Record<string, unknown>>>;
const call = (page: Page, name: string, ...args: unknown[]) =>
  page.evaluate(
    ([n, a]) => {
      const w = window as unknown as { __page: { steps: Steps } };
      return w.__page.steps[n as string]!(...(a as unknown[])).then(
        (res) => ({ ok: true, res: JSON.parse(JSON.stringify(res)) as Record<string, unknown> }),
        (res: unknown) => ({ ok: false, res: JSON.parse(JSON.stringify(res)) as Record<string, unknown> }),
      );
    },
    [name, args] as const,
  );

const sessionKey = async (code: string): Promise<string> => {
  const r = await fetch(`${baseUrl}/sns/jscode2session?appid=${APPID}&secret=${SECRET}&js_code=${code}&grant_type=authorization_code`);
  return String(((await r.json()) as { session_key: string }).session_key);
};

describe.skipIf(!hasChromium)('@openrun/taro H5 module in Chromium', () => {
  it("Taro.login and Taro.getWeRunData reach OpenRun (never the stubs); canIUse and Taro.cloud work", async () => {
    const page = await open();
    const login = await call(page, 'login');
    expect(login).toMatchObject({ ok: true, res: { errMsg: 'login:ok' } });
    const data = await call(page, 'getWeRunData');
    expect(data.res.errMsg).toBe('getWeRunData:ok');
    const steps = decryptOpenData(await sessionKey(String(login.res.code)), String(data.res.encryptedData), String(data.res.iv)) as {
      stepInfoList: { step: number }[];
    };
    expect(steps.stepInfoList.at(-2)?.step).toBe(9001);
    const donated = await call(page, 'donate', data.res.cloudID);
    expect(donated).toMatchObject({ ok: true, res: { errMsg: 'cloud.callFunction:ok' } });
    expect(JSON.stringify(donated.res.result)).toContain('9001'); // the CloudID was replaced with the open data
    expect(await call(page, 'toast')).toEqual({ ok: true, res: { errMsg: 'showToast:ok hi' } }); // other APIs untouched
    const facts = await page.evaluate(() => {
      const p = (window as unknown as { __page: { stubCalls: string[]; canUseWeRun: boolean; Taro: Record<string, unknown> } }).__page;
      return { stubCalls: p.stubCalls, canUseWeRun: p.canUseWeRun, cloud: typeof p.Taro.cloud, onDefault: typeof p.Taro.getWeRunData };
    });
    expect(facts).toEqual({ stubCalls: [], canUseWeRun: true, cloud: 'object', onDefault: 'function' });
    await page.getByTestId('openrun-user').waitFor();
    expect(await page.getByTestId('openrun-user').textContent()).toBe('Ann (ann)');
    await page.screenshot({ path: `${SHOTS}/overlay.png` });
    await page.close();
  });

  it("Taro's calling convention: callbacks run and the Promise resolves; with a fail callback a failure resolves too", async () => {
    const page = await open();
    const result = await page.evaluate(async () => {
      const taro = (window as unknown as { __page: { Taro: Record<string, (o?: unknown) => Promise<unknown>> } }).__page.Taro;
      const order: string[] = [];
      const ok = await taro.login!({ success: () => order.push('success'), complete: () => order.push('complete') });
      const failed = await taro.getQQRunData!({ fail: () => order.push('fail'), complete: () => order.push('complete') });
      const rejected = await taro.getQQRunData!().catch((r: unknown) => ({ rejected: r }));
      return { order, ok, failed, rejected };
    });
    expect(result.order).toEqual(['success', 'complete', 'fail', 'complete']);
    expect(result.ok).toMatchObject({ errMsg: 'login:ok' });
    expect(result.failed).toEqual({ errMsg: "getQQRunData:fail this is a WeChat app, and getQQRunData is QQ's (use getWeRunData)" });
    expect(result.rejected).toEqual({ rejected: result.failed });
    await page.close();
  });

  it('?openrun_user= switches who holds the phone, and the tab remembers it', async () => {
    const page = await open('?openrun_user=bob');
    const login = await call(page, 'login');
    const data = await call(page, 'getWeRunData');
    const steps = decryptOpenData(await sessionKey(String(login.res.code)), String(data.res.encryptedData), String(data.res.iv)) as {
      stepInfoList: { step: number }[];
    };
    expect(steps.stepInfoList.at(-2)?.step).toBe(4002);
    expect(await page.evaluate(() => localStorage.getItem('openrun.taro.user'))).toBe('bob');
    await page.goto(`${origin}/#/pages/other/index`); // navigation without the parameter: still Bob
    await page.getByTestId('openrun-user').waitFor();
    expect(await page.getByTestId('openrun-user').textContent()).toBe('Bob (bob)');
    await page.close();
  });

  it("the dev overlay's select switches user (the page reloads as that user)", async () => {
    const page = await open();
    await page.getByTestId('openrun-user').waitFor();
    await page.getByRole('combobox', { name: 'switch OpenRun user' }).selectOption('cat');
    await page.waitForURL(/openrun_user=cat/);
    await expect.poll(() => page.getByTestId('openrun-user').textContent(), { timeout: 10_000 }).toBe('Cat (cat)');
    await page.evaluate(() => localStorage.removeItem('openrun.taro.user'));
    await page.close();
  });

  it('an unknown ?openrun_user= shows which users exist, and calls fail saying so', async () => {
    const page = await open('?openrun_user=zed');
    const login = await call(page, 'login');
    expect(login.ok).toBe(false);
    expect(login.res.errMsg).toBe("login:fail unknown openrun_user 'zed'; the platform's users are: ann (Ann), bob (Bob), cat (Cat)");
    const notice = page.getByRole('alert');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('ann (Ann), bob (Bob), cat (Cat)');
    await page.screenshot({ path: `${SHOTS}/unknown-user.png` });
    await page.close();
  });

  it("a user whose promptAnswer is 'ask' answers WeChat's sheet in the page; 允许 is remembered", async () => {
    const page = await open('?openrun_user=cat');
    await call(page, 'login');
    const pending = call(page, 'getWeRunData');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('获取你的微信运动步数');
    await page.screenshot({ path: `${SHOTS}/authorization-sheet.png` });
    await page.getByRole('button', { name: '允许' }).click();
    expect((await pending).res.errMsg).toBe('getWeRunData:ok');
    expect(await control('GET', `/apps/${APPID}/users/cat/grants`)).toEqual({ authSetting: { 'scope.werun': true } });
    await page.close();
  });

  it('an unreachable platform gives "<api>:fail network error: …", never a hang or a fake success', async () => {
    const page = await context.newPage();
    await page.route(`${baseUrl}/**`, (route) => route.abort('connectionrefused'));
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'steps' in ((window as unknown as { __page?: object }).__page ?? {}));
    const login = await call(page, 'login');
    expect(login.ok).toBe(false);
    expect(login.res.errMsg).toMatch(/^login:fail network error: /);
    await page.close();
  });
});
