/**
 * node-easywechat (MiniApp) against OpenRun, configured by its own `http.baseURL`: code2session, access token and
 * stable_token, its own decryptor on getWeRunData, getopendata through its token-aware client, and a reused code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectOpenData, expectWeRunSnapshot, offMachineAttempts, startWeRunSetup, type WeRunSetup } from './werun-flow.js';

interface EasyResponse { toObject(): Record<string, unknown> }
interface MiniApp {
  getUtils(): { codeToSession(code: string): Promise<Record<string, string>>; decryptSession(key: string, iv: string, data: string): unknown };
  getAccessToken(): { getToken(): Promise<string> };
  getClient(): { request(method: string, url: string, payload?: unknown): Promise<EasyResponse> };
}
const { MiniApp } = createRequire(import.meta.url)('node-easywechat') as { MiniApp: new (config: Record<string, unknown>) => MiniApp };

let s: WeRunSetup;
// node-easywechat caches tokens in files, by default in the working directory: keep them in a folder of the test's own.
const cacheDir = mkdtempSync(join(tmpdir(), 'openrun-easywechat-'));
const miniApp = (extra: Record<string, unknown> = {}) =>
  new MiniApp({ app_id: s.app.appid, secret: s.app.secret, http: { baseURL: `${s.baseUrl}/` }, file_cache: { path: cacheDir }, ...extra });
beforeAll(async () => {
  s = await startWeRunSetup();
});
afterAll(async () => {
  await s.close();
  rmSync(cacheDir, { recursive: true, force: true });
  expect(offMachineAttempts).toEqual([]);
});

it('runs code2session, both token kinds, its decryptor and getopendata', async () => {
  const app = miniApp();
  const session = await app.getUtils().codeToSession(await s.loginCode());
  expect(session.openid).toMatch(/^o/);
  const data = await s.weRunData();
  expectWeRunSnapshot(s, app.getUtils().decryptSession(session.session_key!, data.iv, data.encryptedData));
  expect(await app.getAccessToken().getToken()).toMatch(/\S{20,}/);
  expect(await miniApp({ use_stable_access_token: true }).getAccessToken().getToken()).toMatch(/\S{20,}/);
  const reply = await app.getClient().request('POST', '/wxa/getopendata', { data: { cloudid_list: [data.cloudID] } });
  expectOpenData(s, reply.toObject(), data.cloudID!);
});

it('a reused code surfaces as its own error with 40163', async () => {
  const app = miniApp();
  const code = await s.loginCode();
  await app.getUtils().codeToSession(code);
  await expect(app.getUtils().codeToSession(code)).rejects.toThrow(/"errcode":40163/);
});
