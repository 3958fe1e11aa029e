/**
 * The TLS port: the same app over HTTPS, routed by SNI/Host like a tunnel, with a default certificate for localhost
 * and 127.0.0.1; names OpenRun does not serve fail in the handshake.
 */
import { buildPlatform, listenPlatform, listenPlatformTls } from '@openrun/platform';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { httpsGet } from '../helpers/tunnel.js';

let app: FastifyInstance;
let baseUrl: string;
let tlsUrl: string;
let ca: string;
let wx: { appid: string; secret: string };
let qq: { appid: string; secret: string };
beforeAll(async () => {
  app = buildPlatform({ memory: true });
  baseUrl = await listenPlatform(app, { host: '127.0.0.1', port: 0 });
  tlsUrl = await listenPlatformTls(app, { host: '127.0.0.1', port: 0 });
  ca = await (await fetch(`${baseUrl}/openrun/ca.pem`)).text();
  const create = async (platform: string) =>
    (await (await fetch(`${baseUrl}/openrun/control/v1/apps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ platform, name: 'tls' }) })).json()) as { appid: string; secret: string };
  wx = await create('weapp');
  qq = await create('qq');
});
afterAll(() => app.close());

it('serves the whole app at https://127.0.0.1 and https://localhost with a certificate valid for both', async () => {
  const token = await httpsGet(`${tlsUrl}/cgi-bin/token?grant_type=client_credential&appid=${wx.appid}&secret=${wx.secret}`, { ca });
  expect(token.body).toMatchObject({ expires_in: 7200 });
  const local = tlsUrl.replace('127.0.0.1', 'localhost');
  const qqToken = await httpsGet(`${local}/qq/api/getToken?grant_type=client_credential&appid=${qq.appid}&secret=${qq.secret}`, { ca, servername: 'localhost' });
  expect(qqToken.body).toMatchObject({ expires_in: 7200 });
});

it('routes by SNI and Host: api.q.qq.com reaches QQ at its real paths', async () => {
  const r = await httpsGet(`${tlsUrl}/api/getToken?grant_type=client_credential&appid=${qq.appid}&secret=${qq.secret}`, { ca, servername: 'api.q.qq.com', host: 'api.q.qq.com' });
  expect(r.body).toMatchObject({ expires_in: 7200 });
  const tcb = await httpsGet(`${tlsUrl}/admin?env=x`, { method: 'POST', json: { action: 'wx.openApi' }, ca, servername: 'env-1.ap-shanghai.tcb-api.tencentcloudapi.com', host: 'env-1.ap-shanghai.tcb-api.tencentcloudapi.com' });
  // The cloud gateway's own personality answers (a TCB error body: no function call holds this token).
  expect(tcb.body).toMatchObject({ code: expect.any(String), requestId: expect.any(String) });
});

it('reports its port at GET /openrun/tls', async () => {
  const info = (await (await fetch(`${baseUrl}/openrun/tls`)).json()) as { tlsPort: number; hosts: string[] };
  expect(info.tlsPort).toBe(Number(new URL(tlsUrl).port));
  expect(info.hosts).toContain('*.tcb-api.tencentcloudapi.com');
});

it('a handshake for a name OpenRun does not serve fails instead of getting a certificate', async () => {
  await expect(httpsGet(`${tlsUrl}/cgi-bin/token`, { ca, servername: 'example.com' })).rejects.toThrow();
});
