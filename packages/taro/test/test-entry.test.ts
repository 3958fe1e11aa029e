/**
 * The Jest / Vitest entries' body against a real platform in Node: Taro's H5 namespace (here the stand-in with the
 * shape of @tarojs/taro-h5) gets OpenRun's APIs by name and on the default object; who the calls act for comes from
 * configureOpenRunTaro() over OPENRUN_URL / OPENRUN_APPID / OPENRUN_DEVICE_TOKEN read at call time.
 */
import { decryptOpenData } from '@openrun/core/cipher';
import { buildPlatform, listenPlatform } from '@openrun/platform';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestEntry } from '../src/testing/test-entry.js';
import * as standIn from './fixtures/taro-h5-stand-in.js';

const APPID = 'wx0123456789abcdef';
const SECRET = '0123456789abcdef0123456789abcdef';
let platform: ReturnType<typeof buildPlatform>;
let baseUrl: string;

beforeAll(async () => {
  platform = buildPlatform({ memory: true });
  baseUrl = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
  const r = await fetch(`${baseUrl}/openrun/control/v1/scenario`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      clock: { now: '2026-03-10T12:00:00+08:00', frozen: true },
      apps: [{ platform: 'weapp', appid: APPID, secret: SECRET }],
      users: [
        { id: 'ann', deviceToken: 'dev-ann-0001', steps: [{ date: '2026-03-09', steps: 7007 }] },
        { id: 'dan', deviceToken: 'dev-dan-0001', promptAnswer: 'ask' },
      ],
    }),
  });
  expect(r.status).toBe(200);
});
afterAll(() => platform.close());

const sessionKey = async (code: string): Promise<string> => {
  const r = await fetch(`${baseUrl}/sns/jscode2session?appid=${APPID}&secret=${SECRET}&js_code=${code}&grant_type=authorization_code`);
  return ((await r.json()) as { session_key: string }).session_key;
};

it('Taro.getWeRunData on the default object reaches OpenRun from the env vars, and the result decrypts', async () => {
  const env: Record<string, string> = { OPENRUN_URL: baseUrl, OPENRUN_APPID: APPID, OPENRUN_DEVICE_TOKEN: 'dev-ann-0001' };
  const entry = createTestEntry({ ...standIn }, () => env);
  const Taro = entry.taro as unknown as typeof entry.apis & { showToast: (o: object) => Promise<{ errMsg: string }> };
  const { code } = await Taro.login();
  const res = await Taro.getWeRunData();
  const data = decryptOpenData(await sessionKey(code), res.encryptedData, res.iv) as { stepInfoList: { step: number }[] };
  expect(data.stepInfoList.at(-2)?.step).toBe(7007);
  expect(await Taro.showToast({ title: 'x' })).toEqual({ errMsg: 'showToast:ok x' }); // Taro's other APIs stay
  expect(entry.apis.getWeRunData).toBe(Taro.getWeRunData); // the named export is the same function
  expect(standIn.stubCalls).toEqual([]);
});

it('configureOpenRunTaro wins over the env vars and can carry onPrompt; resetOpenRunTaro hands back to the env', async () => {
  const env: Record<string, string> = {};
  const entry = createTestEntry({ ...standIn }, () => env);
  await expect(entry.apis.login()).rejects.toEqual({
    errMsg: expect.stringContaining('login:fail [openrun] @openrun/taro test entry needs baseUrl (env OPENRUN_URL), appid (env OPENRUN_APPID), deviceToken (env OPENRUN_DEVICE_TOKEN)'),
  });
  entry.configureOpenRunTaro({ baseUrl, appid: APPID, deviceToken: 'dev-dan-0001', onPrompt: () => 'deny' });
  await entry.apis.login();
  await expect(entry.apis.getWeRunData()).rejects.toEqual({ errMsg: 'getWeRunData:fail auth deny' });
  entry.resetOpenRunTaro();
  Object.assign(env, { OPENRUN_URL: baseUrl, OPENRUN_APPID: APPID, OPENRUN_DEVICE_TOKEN: 'dev-ann-0001' });
  expect((await entry.apis.login()).errMsg).toBe('login:ok');
});

it('the built CommonJS Jest entry loads with require() and puts OpenRun over @tarojs/taro-h5, by name and on the default', async () => {
  const { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const app = mkdtempSync(join(tmpdir(), 'openrun-taro-jest-'));
  try {
    const pkg = join(app, 'node_modules/@openrun/taro');
    mkdirSync(join(pkg, 'dist'), { recursive: true });
    cpSync(new URL('../dist/jest.cjs', import.meta.url), join(pkg, 'dist/jest.cjs'));
    const h5 = join(app, 'node_modules/@tarojs/taro-h5');
    mkdirSync(h5, { recursive: true });
    writeFileSync(
      join(h5, 'index.js'),
      "const taro = { getCurrentInstance: () => ({}) };\nmodule.exports = { __esModule: true, default: taro, getWeRunData: () => 'stub', showToast: () => 'toast' };\n",
    );
    const loaded = createRequire(join(app, 'index.js'))('./node_modules/@openrun/taro/dist/jest.cjs') as Record<string, unknown> & {
      default: Record<string, unknown>;
    };
    expect(loaded.__esModule).toBe(true);
    expect(loaded.getWeRunData).toBe(loaded.default.getWeRunData);
    expect(loaded.getWeRunData).not.toBe('stub');
    expect(typeof loaded.default.cloud).toBe('object');
    expect(typeof loaded.default.getCurrentInstance).toBe('function'); // Taro's own default object, kept
    expect(loaded.default.showToast).toBeTypeOf('function'); // named H5 APIs assigned onto it
    expect(typeof loaded.configureOpenRunTaro).toBe('function');
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});
