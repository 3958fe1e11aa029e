/**
 * nest-wechat, whose hosts are written into its code, reaches OpenRun through `HTTPS_PROXY` alone: its axios opens a
 * CONNECT tunnel to api.weixin.qq.com that OpenRun ends with the local CA (trusted through NODE_EXTRA_CA_CERTS), in a
 * child process guarded to loopback. code2Session, the access token, stable_token, and a reused code as its 40163
 * body. nest-wechat has no mini-program decryptor and no generic authenticated call, so those steps are not its.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { offMachineAttempts, startWeRunSetup, type WeRunSetup } from './werun-flow.js';

const SCRIPT = fileURLToPath(new URL('../fixtures/sdk-scripts/nest-wechat-flow.cjs', import.meta.url));
const GUARD = fileURLToPath(new URL('../fixtures/loopback-guard.cjs', import.meta.url));

let s: WeRunSetup;
let dir: string;
beforeAll(async () => {
  s = await startWeRunSetup();
  dir = mkdtempSync(join(tmpdir(), 'openrun-nest-'));
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
  expect(offMachineAttempts).toEqual([]);
});

it('runs code2Session, the access token, stable_token and a reused code through HTTPS_PROXY', async () => {
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, s.caPem);
  const guardLog = join(dir, 'guard.log');
  const env = {
    PATH: process.env.PATH,
    HTTPS_PROXY: s.baseUrl,
    NO_PROXY: '127.0.0.1,localhost',
    NODE_EXTRA_CA_CERTS: caFile,
    NODE_OPTIONS: `--require ${GUARD}`,
    OPENRUN_LOOPBACK_GUARD_LOG: guardLog,
    APPID: s.app.appid,
    SECRET: s.app.secret,
    CODE: await s.loginCode(),
    REUSED_CODE: await s.loginCode(),
  };
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, [SCRIPT], { env, timeout: 15_000, cwd: process.cwd() }, (error, out, err) => (error ? reject(new Error(`${error.message}\n${out}\n${err}`)) : resolve(out))),
  );
  const result = JSON.parse(stdout.trim()) as Record<string, Record<string, unknown>>;
  expect(result.session).toMatchObject({ openid: expect.stringMatching(/^o/), session_key: expect.any(String) });
  expect(result.token).toMatchObject({ access_token: expect.any(String), expires_in: 7200 });
  expect(result.stable).toMatchObject({ access_token: expect.any(String) });
  expect(result.again).toMatchObject({ errcode: 40163 });
  expect(existsSync(guardLog) ? readFileSync(guardLog, 'utf8') : '').toBe('');
});
