import { describe, expect, it } from 'vitest';
import { CloudIdExpiredError, CloudIdForeignError } from './cloud-id-error.js';
import {
  AccessTokenInvalidError,
  CodeUsedError,
  ConnectionError,
  InvalidSecretError,
  SystemBusyError,
  TimeoutError,
} from './errors.js';
import type { FetchFunction } from './internal/http-transport.js';
import type { RequestEvent, ResponseEvent } from './request-options.js';
import { WeChatMiniProgram } from './wechat-mini-program.js';

const appid = 'wx0123456789abcdef';
const secret = 'S3cr3t+/=&#secretvalue000000000';

interface Seen {
  method: string;
  url: URL;
  body: string | undefined;
}

/** A fetch that answers from a script, one reply function per call, and records what it saw. */
function scriptedFetch(replies: ((seen: Seen) => unknown)[]): { fetch: FetchFunction; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetch: FetchFunction = async (input, init) => {
    const call: Seen = { method: init.method ?? 'GET', url: new URL(input), body: init.body as string | undefined };
    seen.push(call);
    const reply = replies.shift();
    if (!reply) throw new Error(`unexpected call ${call.url.pathname}`);
    const value = reply(call);
    if (value instanceof Error) throw value;
    return new Response(JSON.stringify(value), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  return { fetch, seen };
}

const token = (value: string) => () => ({ access_token: value, expires_in: 7200 });

function client(fetch: FetchFunction, extra: Partial<ConstructorParameters<typeof WeChatMiniProgram>[0]> = {}) {
  return new WeChatMiniProgram({ appid, secret, baseUrl: 'http://openrun.test', fetch, env: {}, ...extra });
}

describe('WeChatMiniProgram over a scripted fetch', () => {
  it('URL-encodes every query value of code2Session', async () => {
    const { fetch, seen } = scriptedFetch([() => ({ openid: 'o1', session_key: 'k' })]);
    const code = 'a+b/c=d&e f';
    expect(await client(fetch).code2Session(code)).toEqual({ openid: 'o1', sessionKey: 'k' });
    const url = seen[0]!.url;
    expect(url.pathname).toBe('/sns/jscode2session');
    expect(url.searchParams.get('js_code')).toBe(code);
    expect(url.searchParams.get('secret')).toBe(secret);
    expect(url.searchParams.get('grant_type')).toBe('authorization_code');
    expect(url.search).not.toContain('&e f');
  });

  it('retries -1 with backoff and succeeds', async () => {
    const { fetch, seen } = scriptedFetch([() => ({ errcode: -1, errmsg: 'system error' }), () => ({ openid: 'o', session_key: 'k' })]);
    await expect(client(fetch).code2Session('c')).resolves.toMatchObject({ openid: 'o' });
    expect(seen).toHaveLength(2);
  });

  it('gives up on -1 after maxRetries with SystemBusyError', async () => {
    const busy = () => ({ errcode: -1, errmsg: 'system error' });
    const { fetch, seen } = scriptedFetch([busy, busy]);
    await expect(client(fetch, { maxRetries: 1 }).code2Session('c')).rejects.toBeInstanceOf(SystemBusyError);
    expect(seen).toHaveLength(2);
  });

  it('never retries 40163', async () => {
    const { fetch, seen } = scriptedFetch([() => ({ errcode: 40163, errmsg: 'code been used, rid: a-b-c' })]);
    await expect(client(fetch).code2Session('c')).rejects.toBeInstanceOf(CodeUsedError);
    expect(seen).toHaveLength(1);
  });

  it('never replays jscode2session after a connection reset, since the code may be spent', async () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const { fetch, seen } = scriptedFetch([() => reset]);
    await expect(client(fetch).code2Session('c')).rejects.toBeInstanceOf(ConnectionError);
    expect(seen).toHaveLength(1);
  });

  it('retries a token request after a connection reset', async () => {
    const reset = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } });
    const { fetch, seen } = scriptedFetch([() => reset, token('T1')]);
    expect(await client(fetch).getAccessToken()).toBe('T1');
    expect(seen).toHaveLength(2);
  });

  it('refreshes the token once and retries once on 42001', async () => {
    const { fetch, seen } = scriptedFetch([
      token('T1'),
      () => ({ errcode: 42001, errmsg: 'access_token expired' }),
      token('T2'),
      () => ({ errcode: 0, errmsg: 'ok' }),
    ]);
    expect(await client(fetch).checkSessionKey('o1', 'k')).toBe(true);
    expect(seen.map((s) => s.url.searchParams.get('access_token'))).toEqual([null, 'T1', null, 'T2']);
  });

  it('does not loop when the fresh token is rejected too', async () => {
    const expired = () => ({ errcode: 42001, errmsg: 'access_token expired' });
    const { fetch, seen } = scriptedFetch([token('T1'), expired, token('T2'), expired]);
    await expect(client(fetch).checkSessionKey('o1', 'k')).rejects.toBeInstanceOf(AccessTokenInvalidError);
    expect(seen).toHaveLength(4);
  });

  it('reports a wrong secret at the token endpoint as InvalidSecretError without the secret in the message', async () => {
    const { fetch } = scriptedFetch([() => ({ errcode: 40001, errmsg: 'invalid credential, rid: 1-2-3' })]);
    const error = await client(fetch).getAccessToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidSecretError);
    expect(String((error as Error).message)).not.toContain(secret);
  });

  it('asks stable_token with force_refresh when it hands back the token just rejected', async () => {
    const { fetch, seen } = scriptedFetch([
      token('T1'),
      () => ({ errcode: 40001, errmsg: 'invalid credential' }),
      token('T1'),
      token('T2'),
      () => ({ errcode: 0, errmsg: 'ok' }),
    ]);
    const c = client(fetch, { accessTokenMode: 'stable_token' });
    expect(await c.checkSessionKey('o1', 'k')).toBe(true);
    expect(seen[0]!.url.pathname).toBe('/cgi-bin/stable_token');
    expect(JSON.parse(seen[0]!.body!)).toEqual({ grant_type: 'client_credential', appid, secret, force_refresh: false });
    expect(JSON.parse(seen[3]!.body!)).toMatchObject({ force_refresh: true });
  });

  it('parses each getopendata json whether string or object and types per-id errors', async () => {
    const data = { stepInfoList: [], watermark: { timestamp: 1, appid } };
    const { fetch, seen } = scriptedFetch([
      token('T1'),
      () => ({
        errcode: 0,
        errmsg: 'ok',
        data_list: [
          { cloud_id: 'a', json: JSON.stringify({ cloudID: 'a', data }) },
          { cloud_id: 'b', json: { cloudID: 'b', data } },
          { cloud_id: 'c', json: JSON.stringify({ cloudID: 'c', errCode: -601006, errMsg: 'cloudID expired.' }) },
          { cloud_id: 'd', json: { cloudID: 'd', errCode: -601007, errMsg: 'cloudID not belong to user.' } },
        ],
      }),
    ]);
    const results = await client(fetch).getOpenData('o1', ['a', 'b', 'c', 'd']);
    expect(JSON.parse(seen[1]!.body!)).toEqual({ cloudid_list: ['a', 'b', 'c', 'd'] });
    expect(results[0]).toEqual({ cloudId: 'a', ok: true, data });
    expect(results[1]).toEqual({ cloudId: 'b', ok: true, data });
    expect(results[2]).toMatchObject({ cloudId: 'c', ok: false, error: expect.any(CloudIdExpiredError) });
    expect(results[3]).toMatchObject({ cloudId: 'd', ok: false, error: expect.any(CloudIdForeignError) });
  });

  it('emits request and response events with secrets, codes and tokens redacted', async () => {
    const { fetch } = scriptedFetch([() => ({ openid: 'o', session_key: 'k' })]);
    const c = client(fetch);
    const events: (RequestEvent | ResponseEvent)[] = [];
    c.on('request', (e) => events.push(e)).on('response', (e) => events.push(e));
    await c.code2Session('the-code');
    expect(events).toHaveLength(2);
    const text = JSON.stringify(events);
    expect(text).not.toContain('the-code');
    expect(text).not.toContain(encodeURIComponent(secret));
    expect(events[0]).toMatchObject({ operation: 'code2Session', method: 'GET', attempt: 0 });
    expect(events[1]).toMatchObject({ status: 200 });
  });

  it('redacts the access token and the signature in events of token-protected calls', async () => {
    const { fetch } = scriptedFetch([token('SECRET-TOKEN'), () => ({ errcode: 0, errmsg: 'ok' })]);
    const c = client(fetch);
    const urls: string[] = [];
    c.on('request', (e) => urls.push(e.url));
    await c.checkSessionKey('o1', 'k');
    expect(urls.join(' ')).not.toContain('SECRET-TOKEN');
    expect(new URL(urls[1]!).searchParams.get('access_token')).toBe('***');
    expect(new URL(urls[1]!).searchParams.get('signature')).toBe('***');
    expect(new URL(urls[1]!).searchParams.get('openid')).toBe('o1');
  });

  it('gives up an attempt after its timeout with TimeoutError, and never replays jscode2session', async () => {
    let calls = 0;
    const hanging: FetchFunction = (_input, init) => {
      calls++;
      return new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    };
    await expect(client(hanging, { timeout: 20 }).code2Session('c')).rejects.toBeInstanceOf(TimeoutError);
    expect(calls).toBe(1);
  });

  it("rejects with the caller's abort reason and does not retry, even a replay-safe call", async () => {
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    let calls = 0;
    const tokenThenHang: FetchFunction = async (_input, init) => {
      calls++;
      if (calls === 1) return new Response(JSON.stringify({ access_token: 'T1', expires_in: 7200 }));
      queueMicrotask(() => controller.abort(reason));
      return new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    };
    await expect(client(tokenThenHang).checkSessionKey('o1', 'k', { signal: controller.signal })).rejects.toBe(reason);
    expect(calls).toBe(2);
  });

  it('talks to the real host unless configured otherwise', () => {
    expect(new WeChatMiniProgram({ appid, secret, env: {} }).baseUrl).toBe('https://api.weixin.qq.com');
    expect(new WeChatMiniProgram({ appid, secret, env: { OPENRUN_EMULATOR_HOST: '127.0.0.1:9527' } }).baseUrl).toBe(
      'http://127.0.0.1:9527',
    );
  });
});
