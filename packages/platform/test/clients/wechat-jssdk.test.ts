/**
 * wechat-jssdk against OpenRun, configured by its own URL options (`miniProgram.GET_SESSION_KEY_URL`, the access
 * token URL): code2session, access token, its MiniProgram decryptor (which checks the watermark), getopendata through
 * its generic `sendWechatRequest`, and a reused code.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectOpenData, expectWeRunSnapshot, offMachineAttempts, startWeRunSetup, type WeRunSetup } from './werun-flow.js';

const require = createRequire(import.meta.url);
interface MiniProgram {
  getSession(code: string): Promise<Record<string, string>>;
  decryptData(encryptedData: string, iv: string, sessionKey: string): Promise<unknown>;
}
const { MiniProgram, Store } = require('wechat-jssdk') as {
  MiniProgram: new (options: Record<string, unknown>) => MiniProgram;
  Store: new () => object;
};
const utils = require('wechat-jssdk/lib/utils') as {
  getGlobalAccessToken(appId: string, secret: string, url: string): Promise<{ access_token: string }>;
  sendWechatRequest(url: string, options: Record<string, unknown>): Promise<unknown>;
};

let s: WeRunSetup;
let mp: MiniProgram;
beforeAll(async () => {
  s = await startWeRunSetup();
  mp = new MiniProgram({
    miniProgram: { appId: s.app.appid, appSecret: s.app.secret, GET_SESSION_KEY_URL: `${s.baseUrl}/sns/jscode2session` },
    store: new Store(),
  });
});
afterAll(async () => {
  await s.close();
  expect(offMachineAttempts).toEqual([]);
});

it('runs code2session, the access token, its decryptor and getopendata', async () => {
  const session = await mp.getSession(await s.loginCode());
  expect(session.openid).toMatch(/^o/);
  const data = await s.weRunData();
  expectWeRunSnapshot(s, await mp.decryptData(data.encryptedData, data.iv, session.session_key!));
  const { access_token } = await utils.getGlobalAccessToken(s.app.appid, s.app.secret, `${s.baseUrl}/cgi-bin/token`);
  const reply = await utils.sendWechatRequest(`${s.baseUrl}/wxa/getopendata`, {
    method: 'POST',
    query: { access_token },
    body: { cloudid_list: [data.cloudID] },
  });
  expectOpenData(s, reply, data.cloudID!);
});

it('a reused code surfaces as its own rejection with 40163', async () => {
  const code = await s.loginCode();
  await mp.getSession(code);
  await expect(mp.getSession(code)).rejects.toMatchObject({ errcode: 40163 });
});
