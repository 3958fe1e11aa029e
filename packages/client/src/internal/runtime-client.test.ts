import { describe, expect, it } from 'vitest';
import { ApiCallError } from './api-call-error.js';
import type { FetchLike } from '../connect.js';
import { createFetchTransport } from './fetch-transport.js';
import { createRuntimeClient } from './runtime-client.js';

const APPID = 'wx0123456789abcdef';

function clientWith(fetch: FetchLike) {
  return createRuntimeClient({ baseUrl: 'http://127.0.0.1:9/', appid: APPID, deviceToken: 'dev-1', transport: createFetchTransport(fetch) });
}

function reply(status: number, body: unknown): FetchLike {
  return async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });
}

async function errMsgOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiCallError) return error.errMsg;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('createRuntimeClient', () => {
  it('sends the device token, JSON body and app path below the runtime prefix', async () => {
    const seen: Array<{ url: string; init: RequestInit }> = [];
    const client = clientWith(async (url, init) => {
      seen.push({ url, init });
      return new Response('{"code":"c"}', { status: 200 });
    });
    await expect(client.request({ api: 'login', method: 'POST', path: '/login', timeout: 1000 })).resolves.toEqual({ code: 'c' });
    expect(seen[0]?.url).toBe(`http://127.0.0.1:9/openrun/runtime/v1/apps/${APPID}/login`);
    expect(seen[0]?.init.headers).toMatchObject({ authorization: 'Bearer dev-1', 'content-type': 'application/json' });
    expect(seen[0]?.init.body).toBe('{}');
  });

  it('sends a GET without body or content type', async () => {
    let init: RequestInit | undefined;
    const client = clientWith(async (_url, i) => {
      init = i;
      return new Response('{"authSetting":{}}');
    });
    await client.request({ api: 'getSetting', method: 'GET', path: '/setting', timeout: 1000 });
    expect(init?.body).toBeUndefined();
    expect(init?.headers).not.toHaveProperty('content-type');
  });

  it('reports the errMsg the platform gives, byte for byte', async () => {
    const errMsg = 'getWeRunData:fail 系统错误，错误码：-12006,auth deny';
    const client = clientWith(reply(403, { error: { code: 'OR_ERR_RUNTIME_SCOPE_DENIED', message: 'm', errMsg } }));
    expect(await errMsgOf(client.request({ api: 'getWeRunData', method: 'POST', path: '/werun', timeout: 1000 }))).toBe(errMsg);
  });

  it('falls back to <api>:fail with status, code and message when the platform gives no errMsg', async () => {
    const client = clientWith(reply(401, { error: { code: 'OR_ERR_RUNTIME_DEVICE_TOKEN', message: 'unknown device token' } }));
    expect(await errMsgOf(client.request({ api: 'login', method: 'POST', path: '/login', timeout: 1000 }))).toBe(
      'login:fail OpenRun replied HTTP 401 OR_ERR_RUNTIME_DEVICE_TOKEN: unknown device token',
    );
  });

  it('falls back to <api>:fail with the status when an error reply is not JSON', async () => {
    const client = clientWith(reply(502, '<html>bad gateway</html>'));
    expect(await errMsgOf(client.request({ api: 'login', method: 'POST', path: '/login', timeout: 1000 }))).toBe(
      'login:fail OpenRun replied HTTP 502',
    );
  });

  it('fails a 2xx reply that is not a JSON object as an invalid reply', async () => {
    const client = clientWith(reply(200, '[1]'));
    expect(await errMsgOf(client.request({ api: 'login', method: 'POST', path: '/login', timeout: 1000 }))).toBe(
      'login:fail invalid reply from OpenRun (HTTP 200, not a JSON object)',
    );
  });

  it('fails with <api>:fail network error and the cause code when fetch rejects', async () => {
    const client = clientWith(async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    });
    expect(await errMsgOf(client.request({ api: 'login', method: 'POST', path: '/login', timeout: 1000 }))).toBe(
      'login:fail network error: fetch failed (ECONNREFUSED)',
    );
  });

  it('fails with <api>:fail timeout and aborts the request when the deadline passes', async () => {
    let signal: AbortSignal | undefined;
    const client = clientWith((_url, init) => {
      signal = init.signal ?? undefined;
      return new Promise<Response>(() => undefined);
    });
    expect(await errMsgOf(client.request({ api: 'login', method: 'POST', path: '/login', timeout: 20 }))).toBe('login:fail timeout');
    expect(signal?.aborted).toBe(true);
  });

  it('carries a numeric errCode from the error body', async () => {
    const client = clientWith(reply(404, { error: { code: 'X', message: 'm', errMsg: 'cloud.callFunction:fail nope', errCode: -501000 } }));
    const failure = await client.request({ api: 'cloud.callFunction', method: 'POST', path: '/functions/f', timeout: 1000 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiCallError);
    expect((failure as ApiCallError).errCode).toBe(-501000);
  });
});
