/**
 * Transport failures the real platform cannot produce on demand: nothing listening, a bare 5xx from a proxy, a
 * server that never answers. A tiny loopback HTTP server plays the broken platform.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type CallbackResult, type WxApi } from '../src/index.js';

const APPID = 'wx0123456789abcdef';
let server: Server | undefined;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

function wxAt(baseUrl: string): WxApi {
  return connect({ baseUrl, appid: APPID, deviceToken: 'dev', platform: 'weapp' });
}

function viaCallbacks(start: (callbacks: { fail: (r: CallbackResult) => void; complete: () => void }) => void): Promise<string[]> {
  const seen: string[] = [];
  return new Promise((resolve) =>
    start({
      fail: (r) => seen.push(r.errMsg),
      complete: () => resolve(seen),
    }),
  );
}

describe('transport failures', () => {
  it('an unreachable platform fails through fail and complete with a network errMsg', async () => {
    const baseUrl = await serve(() => undefined);
    await new Promise((resolve) => server!.close(resolve));
    server = undefined;
    const seen = await viaCallbacks((cb) => wxAt(baseUrl).login(cb));
    expect(seen).toEqual(['login:fail network error: fetch failed (ECONNREFUSED)']);
  });

  it('a bare 5xx without an OpenRun body fails with the status in the errMsg', async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
    });
    await expect(wxAt(baseUrl).getWeRunData()).rejects.toEqual({ errMsg: 'getWeRunData:fail OpenRun replied HTTP 502' });
  });

  it('a platform that never answers fails with <api>:fail timeout and the callbacks still run', async () => {
    const baseUrl = await serve(() => undefined);
    const seen = await viaCallbacks((cb) => wxAt(baseUrl).getSetting({ ...cb, timeout: 30 }));
    expect(seen).toEqual(['getSetting:fail timeout']);
  });

  it('a platform that sends headers and then stalls the body still fails at the deadline', async () => {
    const baseUrl = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"code":');
    });
    await expect(wxAt(baseUrl).login({ timeout: 30 })).rejects.toEqual({ errMsg: 'login:fail timeout' });
  });
});
