/**
 * The loopback guard the SDK conformance tests run under really refuses what would leave the machine: a connection
 * to another address and a DNS lookup of a real name both fail and are recorded; loopback passes.
 */
import { createRequire } from 'node:module';
import { lookup } from 'node:dns/promises';
import { connect, createServer, type AddressInfo } from 'node:net';
import { expect, it } from 'vitest';

const { violations } = createRequire(import.meta.url)('../fixtures/loopback-guard.cjs') as { violations: Array<{ kind: string; host: string }> };

it('refuses and records a connection off the machine and a DNS lookup, and lets loopback through', async () => {
  const refused = await new Promise<Error>((resolve) => connect(443, '192.0.2.1').on('error', resolve));
  expect(refused.message).toMatch(/loopback-guard/);
  await expect(lookup('api.weixin.qq.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
  expect(violations).toEqual([
    { kind: 'connect', host: '192.0.2.1', port: 443 },
    { kind: 'lookup', host: 'api.weixin.qq.com' },
  ]);
  const server = createServer((socket) => socket.end('ok')).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const reply = await new Promise<string>((resolve) => {
    const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    socket.on('data', (d) => resolve(d.toString()));
  });
  expect(reply).toBe('ok');
  server.close();
  expect(violations).toHaveLength(2);
});
