/**
 * CONNECT on the platform port: served hosts get `200` and a tunnel ended locally with the local CA, routed by host
 * (WeChat at the root, QQ at its real paths); other hosts get `403` at once; garbage and half-closed tunnels are closed.
 * One platform for the file (each test opens its own tunnels). Proxy requests in absolute form are routed by host the same way, and an unknown host gets 403.
 */
import { request as httpRequest } from 'node:http';
import axios from 'axios';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestApp, type TestPlatform } from '../helpers/platform.js';
import { closed, httpOver, openTunnel, readAll, tlsOver } from '../helpers/tunnel.js';

let p: TestPlatform;
let ca: string;
let wx: TestApp;
let qq: TestApp;
beforeAll(async () => {
  p = await startTestPlatform();
  ca = await (await fetch(`${p.baseUrl}/openrun/ca.pem`)).text();
  wx = await p.createApp({ platform: 'weapp', name: 'tunnel wx' });
  qq = await p.createApp({ platform: 'qq', name: 'tunnel qq' });
});
afterAll(() => p.close());

it('a CONNECT to api.weixin.qq.com is answered 200 and the tunnel serves the WeChat API over TLS from the local CA', async () => {
  const t = await openTunnel(p.baseUrl, 'api.weixin.qq.com:443');
  expect(t.status).toBe(200);
  const tls = await tlsOver(t.socket, 'api.weixin.qq.com', ca);
  expect(tls.authorized).toBe(true);
  expect(tls.getPeerCertificate().subjectaltname).toBe('DNS:api.weixin.qq.com');
  const r = await httpOver(tls, 'api.weixin.qq.com', `/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
  expect(r.status).toBe(200);
  expect(r.body).toMatchObject({ expires_in: 7200 });
  expect(typeof r.body.access_token).toBe('string');
});

it('api.q.qq.com reaches the QQ developer API at its real paths (no /qq prefix)', async () => {
  const t = await openTunnel(p.baseUrl, 'api.q.qq.com:443');
  const tls = await tlsOver(t.socket, 'api.q.qq.com', ca);
  const r = await httpOver(tls, 'api.q.qq.com', `/api/getToken?grant_type=client_credential&appid=${qq.appid}&secret=${qq.secret}`);
  expect(r.body).toMatchObject({ expires_in: 7200 });
  // The WeChat-only route is not on the QQ host.
  const t2 = await openTunnel(p.baseUrl, 'api.q.qq.com:443');
  const other = await httpOver(await tlsOver(t2.socket, 'api.q.qq.com', ca), 'api.q.qq.com', `/cgi-bin/token?grant_type=client_credential&appid=${qq.appid}&secret=${qq.secret}`);
  expect(other.status).toBe(404);
});

it('a CONNECT to any other host is answered 403 at once with a one-line reason, and nothing is tunnelled', async () => {
  const t = await openTunnel(p.baseUrl, 'example.com:443');
  expect(t.status).toBe(403);
  const body = await readAll(t.socket, t.head);
  expect(body.trim().split('\n')).toHaveLength(1);
  expect(body).toMatch(/^\[openrun\] CONNECT example\.com:443 refused: OpenRun serves only api\.weixin\.qq\.com/);
  const local = await openTunnel(p.baseUrl, '127.0.0.1:22');
  expect(local.status).toBe(403);
  const bad = await openTunnel(p.baseUrl, 'no-port');
  expect(bad.status).toBe(400);
});

it("OpenRun's own paths are not on api.weixin.qq.com: the control API, the dashboard and the QQ group answer the WeChat 404", async () => {
  for (const path of ['/openrun/control/v1/apps', '/ui/', `/qq/api/getToken?grant_type=client_credential&appid=${qq.appid}&secret=${qq.secret}`]) {
    const t = await openTunnel(p.baseUrl, 'api.weixin.qq.com:443');
    const r = await httpOver(await tlsOver(t.socket, 'api.weixin.qq.com', ca), 'api.weixin.qq.com', path);
    expect(r.status).toBe(404);
    expect(r.body).toMatchObject({ errcode: 404, errmsg: expect.stringContaining(`no developer API at GET ${path.split('?')[0]}, rid: `) });
  }
});

it('plain HTTP inside a tunnel is routed by host too', async () => {
  const t = await openTunnel(p.baseUrl, 'api.weixin.qq.com:80');
  const r = await httpOver(t.socket, 'api.weixin.qq.com', `/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
  expect(r.body).toMatchObject({ expires_in: 7200 });
});

it('a tunnel that carries garbage, or is half-closed before TLS, is closed', async () => {
  const garbage = await openTunnel(p.baseUrl, 'api.weixin.qq.com:443');
  garbage.socket.write(Buffer.from([0x00, 0xff, 0x13, 0x37]));
  await closed(garbage.socket);
  const badTls = await openTunnel(p.baseUrl, 'api.weixin.qq.com:443');
  badTls.socket.write(Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x00, 0x00]));
  await closed(badTls.socket);
  const half = await openTunnel(p.baseUrl, 'api.weixin.qq.com:443');
  half.socket.end();
  await closed(half.socket);
});

it('a tunnel that stays silent after 200 is closed by the platform (after IDLE_TUNNEL_MS), not kept forever', async () => {
  const silent = await openTunnel(p.baseUrl, 'api.weixin.qq.com:443');
  expect(silent.status).toBe(200);
  await closed(silent.socket);
});

it('a TLS handshake for a name OpenRun does not serve fails, and a client that does not trust the CA is told so', async () => {
  const t = await openTunnel(p.baseUrl, 'api.weixin.qq.com:443');
  await expect(tlsOver(t.socket, 'example.com', ca)).rejects.toThrow(/alert|handshake|socket/i);
  const untrusted = await openTunnel(p.baseUrl, 'api.weixin.qq.com:443');
  await expect(tlsOver(untrusted.socket, 'api.weixin.qq.com', undefined)).rejects.toMatchObject({ code: 'SELF_SIGNED_CERT_IN_CHAIN' });
});

it('proxy requests in absolute form are routed by host, and an unknown host gets 403', async () => {
  const { port } = new URL(p.baseUrl);
  const absolute = (url: string) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: url, headers: { host: new URL(url).host } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      });
      req.on('error', reject);
      req.end();
    });
  const q = await absolute(`http://api.q.qq.com/api/getToken?grant_type=client_credential&appid=${qq.appid}&secret=${qq.secret}`);
  expect(q.body).toMatchObject({ expires_in: 7200 });
  const w = await absolute(`https://api.weixin.qq.com/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`);
  expect(w.body).toMatchObject({ expires_in: 7200 });
  const unknown = await absolute('http://example.com/cgi-bin/token');
  expect(unknown.status).toBe(403);
  expect(unknown.body).toMatchObject({ error: { code: 'OR_ERR_PROXY_HOST_NOT_SERVED' } });
});

it('an axios request through the proxy to an unknown host fails fast with 403', async () => {
  const { port } = new URL(p.baseUrl);
  const error = await axios
    .get('https://example.com/anything', { proxy: { protocol: 'http', host: '127.0.0.1', port: Number(port) }, timeout: 10_000 })
    .catch((e: unknown) => e);
  expect(axios.isAxiosError(error)).toBe(true);
  expect((error as { response?: { status: number } }).response?.status).toBe(403);
});
