/**
 * TNWX against OpenRun, configured by its own HTTP delegate (`HttpKit.setHttpDelegate`): a delegate around its Axios
 * one that sends `https://api.weixin.qq.com` calls to OpenRun. code2Session, the access token (AccessTokenApi with
 * ApiConfigKit), its AES decryptor (`Kits.aes128cbcDecrypt`) on getWeRunData, getopendata through the delegate's
 * `httpPost`, and a reused code returned as its 40163 body (TNWX does not throw on errcodes).
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectOpenData, expectWeRunSnapshot, offMachineAttempts, startWeRunSetup, type WeRunSetup } from './werun-flow.js';

type Delegate = Record<string, (url: string, ...rest: unknown[]) => Promise<unknown>>;
const require = createRequire(import.meta.url);
const kits = require('@tnwx/kits') as {
  HttpKit: { getHttpDelegate: Delegate; setHttpDelegate: Delegate };
  AxiosHttpKit: new () => Delegate;
  Kits: { aes128cbcDecrypt(key: Buffer, iv: Buffer, crypted: string): string };
};
const tokens = require('@tnwx/accesstoken') as {
  ApiConfig: new (appId: string, secret: string, token: string) => object;
  ApiConfigKit: { putApiConfig(config: object): void; setCurrentAppId(appId: string): void };
  AccessTokenApi: { getAccessToken(): Promise<{ getAccessToken: string }> };
};
const { MiniProgramApi } = require('@tnwx/miniprogram') as { MiniProgramApi: { code2Session(appId: string, secret: string, code: string): Promise<Record<string, unknown>> } };

let s: WeRunSetup;
let previous: Delegate;
beforeAll(async () => {
  s = await startWeRunSetup();
  previous = kits.HttpKit.getHttpDelegate;
  const axios = new kits.AxiosHttpKit();
  const toOpenRun = (url: string) => url.replace(/^https:\/\/api\.weixin\.qq\.com/, s.baseUrl);
  kits.HttpKit.setHttpDelegate = new Proxy(axios, {
    get: (target, name: string) => (url: string, ...rest: unknown[]) => target[name]!.call(target, toOpenRun(url), ...rest),
  });
  tokens.ApiConfigKit.putApiConfig(new tokens.ApiConfig(s.app.appid, s.app.secret, 'openrun'));
  tokens.ApiConfigKit.setCurrentAppId(s.app.appid);
});
afterAll(async () => {
  kits.HttpKit.setHttpDelegate = previous;
  await s.close();
  expect(offMachineAttempts).toEqual([]);
});

it('runs code2Session, the access token, its AES decryptor and getopendata', async () => {
  const session = await MiniProgramApi.code2Session(s.app.appid, s.app.secret, await s.loginCode());
  expect(session.openid).toMatch(/^o/);
  const data = await s.weRunData();
  const plain = kits.Kits.aes128cbcDecrypt(Buffer.from(String(session.session_key), 'base64'), Buffer.from(data.iv, 'base64'), data.encryptedData);
  expectWeRunSnapshot(s, JSON.parse(plain));
  const accessToken = (await tokens.AccessTokenApi.getAccessToken()).getAccessToken;
  expect(accessToken).toMatch(/\S{20,}/);
  const reply = await kits.HttpKit.getHttpDelegate.httpPost!(
    `https://api.weixin.qq.com/wxa/getopendata?access_token=${accessToken}`,
    JSON.stringify({ cloudid_list: [data.cloudID] }),
  );
  expectOpenData(s, reply, data.cloudID!);
});

it('a reused code comes back as its 40163 body', async () => {
  const code = await s.loginCode();
  await MiniProgramApi.code2Session(s.app.appid, s.app.secret, code);
  expect(await MiniProgramApi.code2Session(s.app.appid, s.app.secret, code)).toMatchObject({ errcode: 40163 });
});
