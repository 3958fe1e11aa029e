import { sessionKeySignature } from '@openrun/core/cipher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessToken, errmsgText, loginAndExchange, startTestPlatform, type TestApp, type TestPlatform } from '../../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
beforeEach(async () => {
  p = await startTestPlatform();
  app = await p.createApp({ platform: 'weapp' });
});
afterEach(() => p.close());

const check = async (token: string, query: Record<string, string>) =>
  p.request<{ errcode: number; errmsg: string }>('GET', `/wxa/checksession?${new URLSearchParams({ access_token: token, ...query })}`);

describe('GET /wxa/checksession', () => {
  it('accepts the HMAC-SHA256 of "" under the current session_key and rejects a rotated one with 87009', async () => {
    await p.freezeClock('2026-01-01T00:00:00Z');
    const user = await p.createUser();
    const first = await loginAndExchange(p, app, user);
    const token = await accessToken(p, app);
    const ok = await check(token, { openid: first.openid, signature: sessionKeySignature(first.session_key), sig_method: 'hmac_sha256' });
    expect(ok.body).toEqual({ errcode: 0, errmsg: 'ok' });

    await p.advance(301);
    const second = await loginAndExchange(p, app, user);
    expect(second.session_key).not.toBe(first.session_key);
    const stale = await check(token, { openid: first.openid, signature: sessionKeySignature(first.session_key), sig_method: 'hmac_sha256' });
    expect(stale.body.errcode).toBe(87009);
    expect(errmsgText(stale.body.errmsg)).toBe('invalid signature');
  });

  it('answers a wrong sig_method or signature with 87009, an unknown openid with 40003, a missing token with 41001', async () => {
    const user = await p.createUser();
    const s = await loginAndExchange(p, app, user);
    const token = await accessToken(p, app);
    const sig = sessionKeySignature(s.session_key);
    expect((await check(token, { openid: s.openid, signature: sig, sig_method: 'md5' })).body.errcode).toBe(87009);
    expect((await check(token, { openid: s.openid, signature: 'f'.repeat(64), sig_method: 'hmac_sha256' })).body.errcode).toBe(87009);
    expect((await check(token, { openid: 'o'.repeat(28), signature: sig, sig_method: 'hmac_sha256' })).body.errcode).toBe(40003);
    expect((await check('', { openid: s.openid, signature: sig, sig_method: 'hmac_sha256' })).body.errcode).toBe(41001);
  });
});
