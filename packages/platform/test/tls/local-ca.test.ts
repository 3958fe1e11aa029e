/**
 * The local CA: kept in `<data>/tls` (certificate alone in ca.pem, key beside it readable by the owner only, the
 * same CA after a restart), in memory with `memory`, issuing for exactly the served names, and never serving its key.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlatform, listenPlatform } from '@openrun/platform';
import { afterAll, expect, it } from 'vitest';
import { openLocalCa } from '../../src/tls/local-ca.js';

const dir = mkdtempSync(join(tmpdir(), 'openrun-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('is created on first use in <data>/tls, holds only the CA certificate, keeps its key 0600 and survives a restart', async () => {
  const data = join(dir, 'store');
  const first = buildPlatform({ dataDir: data });
  const url = await listenPlatform(first, { host: '127.0.0.1', port: 0 });
  const served = await (await fetch(`${url}/openrun/ca.pem`)).text();
  await first.close();
  const pem = readFileSync(join(data, 'tls', 'ca.pem'), 'utf8');
  expect(served).toBe(pem);
  expect(pem.match(/-----BEGIN [A-Z ]+-----/g)).toEqual(['-----BEGIN CERTIFICATE-----']);
  const cert = new X509Certificate(pem);
  expect(cert.ca).toBe(true);
  expect(statSync(join(data, 'tls', 'ca-key.pem')).mode & 0o777).toBe(0o600);
  expect(served).not.toMatch(/PRIVATE KEY/);

  const second = buildPlatform({ dataDir: data });
  const url2 = await listenPlatform(second, { host: '127.0.0.1', port: 0 });
  expect(await (await fetch(`${url2}/openrun/ca.pem`)).text()).toBe(pem);
  await second.close();
});

it('in memory nothing is written', async () => {
  const data = join(dir, 'memory');
  const app = buildPlatform({ memory: true, dataDir: data });
  const url = await listenPlatform(app, { host: '127.0.0.1', port: 0 });
  expect(await (await fetch(`${url}/openrun/ca.pem`)).text()).toMatch(/BEGIN CERTIFICATE/);
  await app.close();
  expect(() => readdirSync(data)).toThrow();
});

it('issues per name on demand, two labels deep under the TCB host, and for no other name', async () => {
  const ca = await openLocalCa(undefined);
  const root = new X509Certificate(ca.certPem);
  for (const name of ['api.weixin.qq.com', 'api.q.qq.com', 'tcb-api.tencentcloudapi.com', 'env-1.ap-shanghai.tcb-api.tencentcloudapi.com', 'localhost']) {
    const leaf = new X509Certificate((await ca.issue(name)).cert);
    expect(leaf.subjectAltName).toBe(`DNS:${name}`);
    expect(leaf.checkIssued(root) && leaf.verify(root.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
  }
  expect(new X509Certificate((await ca.loopbackIdentity()).cert).subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
  for (const name of ['example.com', 'weixin.qq.com', 'evil.api.weixin.qq.com', 'x.q.qq.com', 'tencentcloudapi.com', '-bad.tcb-api.tencentcloudapi.com']) {
    await expect(ca.issue(name)).rejects.toThrow(/no certificate for/);
  }
});
