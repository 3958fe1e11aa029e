import { buildPlatform, isLoopbackHost, listenPlatform, listensOnLoopbackOnly, resolveConfig } from '@openrun/platform';
import { afterEach, expect, it } from 'vitest';

const apps: { close(): Promise<unknown> }[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

it('a host name that merely starts with 127. is not loopback, so it needs a control token', () => {
  for (const host of ['127.attacker.example', '127.0.0.1.nip.io', '127.', '::1.example', '[127.0.0.1]x']) {
    expect(isLoopbackHost(host), host).toBe(false);
    expect(() => resolveConfig({ host }, {}), host).toThrow(/needs a token/);
  }
  for (const host of ['127.0.0.1', '127.5.6.7', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) expect(isLoopbackHost(host), host).toBe(true);
});

it('a platform not yet listening, driven through inject, requires the control token', async () => {
  const app = buildPlatform({ memory: true, host: '127.0.0.1', controlToken: 'orctl_inject' });
  apps.push(app);
  expect(listensOnLoopbackOnly(app)).toBe(false);
  expect((await app.inject({ method: 'GET', url: '/openrun/control/v1/apps' })).statusCode).toBe(401);
  const ok = await app.inject({ method: 'GET', url: '/openrun/control/v1/apps', headers: { authorization: 'Bearer orctl_inject' } });
  expect(ok.statusCode).toBe(200);
  const tokenless = buildPlatform({ memory: true });
  apps.push(tokenless);
  const r = await tokenless.inject({ method: 'GET', url: '/openrun/control/v1/apps' });
  expect(r.statusCode).toBe(401);
  expect(r.json().error.message).toContain('no control token');
});

it('once it listens on loopback only, the control API is open there; on any other address it needs the token', async () => {
  const local = buildPlatform({ memory: true, controlToken: 'orctl_x' });
  apps.push(local);
  const base = await listenPlatform(local, { host: '127.0.0.1', port: 0 });
  expect(listensOnLoopbackOnly(local)).toBe(true);
  expect((await fetch(`${base}/openrun/control/v1/apps`)).status).toBe(200);
  // Listening on every address (0.0.0.0): reachable from elsewhere, so the token is required even from this machine.
  const wide = buildPlatform({ memory: true, host: '127.0.0.1', controlToken: 'orctl_y' });
  apps.push(wide);
  await wide.listen({ host: '0.0.0.0', port: 0 });
  const port = (wide.server.address() as { port: number }).port;
  expect(listensOnLoopbackOnly(wide)).toBe(false);
  expect((await fetch(`http://127.0.0.1:${port}/openrun/control/v1/apps`)).status).toBe(401);
  const withToken = await fetch(`http://127.0.0.1:${port}/openrun/control/v1/apps`, { headers: { authorization: 'Bearer orctl_y' } });
  expect(withToken.status).toBe(200);
});
