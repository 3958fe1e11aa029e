/**
 * The client in a real browser: a page bundled with esbuild runs login → getWeRunData in Debian's Chromium (driven by
 * playwright-core, never a downloaded browser) against a platform on another loopback origin (so CORS is exercised),
 * and the backend half decrypts the result with the session_key from jscode2session.
 * Without /usr/bin/chromium (a laptop) the test is skipped with a warning; `.ci/run` installs it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLOUD_ID_PATTERN } from '@openrun/core';
import { decryptOpenData } from '@openrun/core/cipher';
import { build } from 'esbuild';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FROZEN_NOW, startPlatform, type TestPlatform } from './helpers/platform.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  console.warn(
    `[openrun] SKIPPING the client browser test: ${CHROMIUM} not found. Install Debian's Chromium (apt-get install -y chromium) to run it.`,
  );
}

let platform: TestPlatform;
let pageServer: Server;
let pageOrigin: string;
let context: BrowserContext | undefined;
let profileDir: string;

beforeAll(async () => {
  if (!hasChromium) return;
  platform = await startPlatform();
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('./browser/page.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['openrun-source'],
    minify: true,
    logLevel: 'silent',
  });
  const js = bundle.outputFiles[0]?.text ?? '';
  const html = '<!doctype html><meta charset="utf-8"><title>step card</title><script type="module" src="/page.js"></script>';
  pageServer = createServer((req, res) => {
    if (req.url?.startsWith('/page.js')) res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  profileDir = mkdtempSync(join(tmpdir(), 'openrun-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  if (!hasChromium) return;
  await context?.close();
  await new Promise((resolve) => pageServer?.close(resolve));
  await platform?.close();
  rmSync(profileDir, { recursive: true, force: true });
});

describe('client in Chromium', () => {
  it.skipIf(!hasChromium)('a bundled page logs in and reads steps cross-origin, and the backend decrypts them', async () => {
    await platform.control('PUT', '/clock', { now: FROZEN_NOW, frozen: true });
    const app = await platform.createApp({ platform: 'weapp', cloud: true, baseLibVersion: '2.30.0' });
    const user = await platform.createUser({ promptAnswer: 'accept' });
    const denier = await platform.createUser({ promptAnswer: 'deny' });
    await platform.putSteps(user.id, [{ date: '2026-03-10', steps: 7777 }]);

    const page = await context!.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const query = new URLSearchParams({ baseUrl: platform.baseUrl, appid: app.appid, token: user.deviceToken, denyToken: denier.deviceToken });
    await page.goto(`${pageOrigin}/?${query}`);
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
