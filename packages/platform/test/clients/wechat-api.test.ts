/**
 * wechat-api against OpenRun, configured by its own `setEndpoint` — which insists on `https://`, so it talks to the
 * TLS port (its urllib trusting the local CA through `setOpts({ ca })`): the access token, getopendata through its
 * generic `request`, and a wrong secret as its own WeChatAPIError. It has no code2session and no decryptor.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectOpenData, offMachineAttempts, startWeRunSetup, type WeRunSetup } from './werun-flow.js';

type Callback<T> = (err: (Error & { code?: number }) | null, value: T) => void;
interface WechatApi {
  setEndpoint(domain: string): void;
  setOpts(opts: Record<string, unknown>): void;
  getAccessToken(cb: Callback<{ accessToken: string }>): void;
  request(url: string, opts: Record<string, unknown>, cb: (err: Error | null, data: unknown, res: unknown) => void): void;
}
const require = createRequire(import.meta.url);
const WechatAPI = require('wechat-api') as new (appid: string, secret: string) => WechatApi;
const { wrapper } = require('wechat-api/lib/util') as { wrapper<T>(cb: Callback<T>): (err: Error | null, data: unknown, res: unknown) => void };

let s: WeRunSetup;
const api = (secret: string): WechatApi => {
  const a = new WechatAPI(s.app.appid, secret);
  a.setEndpoint(new URL(s.tlsUrl).host);
  a.setOpts({ ca: s.caPem, timeout: 10_000 });
  return a;
};
const token = (a: WechatApi) =>
  new Promise<string>((resolve, reject) => a.getAccessToken((err, t) => (err ? reject(err) : resolve(t.accessToken))));
beforeAll(async () => {
  s = await startWeRunSetup();
});
afterAll(async () => {
  await s.close();
  expect(offMachineAttempts).toEqual([]);
});

it('gets an access token over HTTPS from the local CA and calls getopendata with it', async () => {
  const a = api(s.app.secret);
  const accessToken = await token(a);
  await s.loginCode(); // the phone logs in before getWeRunData
  const data = await s.weRunData();
  const reply = await new Promise<unknown>((resolve, reject) =>
    a.request(
      `https://${new URL(s.tlsUrl).host}/wxa/getopendata?access_token=${accessToken}`,
      { method: 'POST', data: JSON.stringify({ cloudid_list: [data.cloudID] }), headers: { 'content-type': 'application/json' }, dataType: 'json' },
      wrapper<unknown>((err, body) => (err ? reject(err) : resolve(body))),
    ),
  );
  expectOpenData(s, reply, data.cloudID!);
});

it('a wrong secret surfaces as its own WeChatAPIError with 40001', async () => {
  await expect(token(api('0'.repeat(32)))).rejects.toMatchObject({ name: 'WeChatAPIError', code: 40001 });
});
