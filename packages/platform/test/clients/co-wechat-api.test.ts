/**
 * co-wechat-api against OpenRun, configured by its own URL prefixes (`prefix`, `snsPrefix`, `wxaPrefix`):
 * code2Session, the access token, getopendata through its generic `request` + `postJSON`, and a reused code as its
 * own WeChatAPIError. It has no decryptor: the test stops at the encrypted payload.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectOpenData, offMachineAttempts, startWeRunSetup, type WeRunSetup } from './werun-flow.js';

interface CoWechatApi {
  prefix: string;
  snsPrefix: string;
  wxaPrefix: string;
  code2Session(code: string): Promise<Record<string, string>>;
  ensureAccessToken(): Promise<{ accessToken: string }>;
  request(url: string, opts?: Record<string, unknown>): Promise<unknown>;
}
const require = createRequire(import.meta.url);
const WechatAPI = require('co-wechat-api') as new (appid: string, secret: string) => CoWechatApi;
const { postJSON } = require('co-wechat-api/lib/util') as { postJSON(data: unknown): Record<string, unknown> };

let s: WeRunSetup;
let api: CoWechatApi;
beforeAll(async () => {
  s = await startWeRunSetup();
  api = new WechatAPI(s.app.appid, s.app.secret);
  api.prefix = `${s.baseUrl}/cgi-bin/`;
  api.snsPrefix = `${s.baseUrl}/sns/`;
  api.wxaPrefix = `${s.baseUrl}/wxa/`;
});
afterAll(async () => {
  await s.close();
  expect(offMachineAttempts).toEqual([]);
});

it('runs code2Session, the access token and getopendata', async () => {
  const session = await api.code2Session(await s.loginCode());
  expect(session.openid).toMatch(/^o/);
  expect(session.session_key).toMatch(/==$/);
  const { accessToken } = await api.ensureAccessToken();
  const data = await s.weRunData();
  const reply = await api.request(`${api.wxaPrefix}getopendata?access_token=${accessToken}`, postJSON({ cloudid_list: [data.cloudID] }));
  expectOpenData(s, reply, data.cloudID!);
});

it('a reused code surfaces as its own WeChatAPIError with 40163', async () => {
  const code = await s.loginCode();
  await api.code2Session(code);
  await expect(api.code2Session(code)).rejects.toMatchObject({ name: 'WeChatAPIError', code: 40163 });
});
