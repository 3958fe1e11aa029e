import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiUnauthorizedError, CloudFunctionFailedError, CloudFunctionNotFoundError, WeChatMiniProgram } from '../src/index.js';
import { startPlatform } from './helpers/platform.js';
import type { TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openrun-sdk-fn-'));
  await mkdir(join(dir, 'echo'));
  await writeFile(join(dir, 'echo/index.js'), 'exports.main = async (event) => ({ echoed: event, answer: 42 });\n');
  await mkdir(join(dir, 'broken'));
  await writeFile(join(dir, 'broken/index.js'), "exports.main = async () => { throw new Error('boom'); };\n");
  platform = await startPlatform({ functionsDir: dir });
});

afterAll(async () => {
  await platform?.close();
  await rm(dir, { recursive: true, force: true });
});

async function cloudClient() {
  const app = await platform.createApp({ platform: 'weapp', cloud: true });
  const client = new WeChatMiniProgram({ appid: app.appid, secret: app.secret, baseUrl: platform.baseUrl, env: {} });
  return { client, env: app.cloudEnv! };
}

describe('invokeCloudFunction against a real platform', () => {
  it('runs the function with the data as its event and returns what it returned, parsed', async () => {
    const { client, env } = await cloudClient();
    expect(await client.invokeCloudFunction(env, 'echo', { steps: 8000, note: 'a&b=c' })).toEqual({
      echoed: { steps: 8000, note: 'a&b=c' },
      answer: 42,
    });
  });

  it('reports an unknown function as CloudFunctionNotFoundError', async () => {
    const { client, env } = await cloudClient();
    await expect(client.invokeCloudFunction(env, 'missing', {})).rejects.toMatchObject({
      constructor: CloudFunctionNotFoundError,
      errcode: -501000,
    });
  });

  it('reports a function that throws as CloudFunctionFailedError', async () => {
    const { client, env } = await cloudClient();
    await expect(client.invokeCloudFunction(env, 'broken', {})).rejects.toMatchObject({
      constructor: CloudFunctionFailedError,
      errcode: -504002,
    });
  });

  it('reports an app without cloud development as ApiUnauthorizedError', async () => {
    const app = await platform.createApp({ platform: 'weapp', cloud: false });
    const client = new WeChatMiniProgram({ appid: app.appid, secret: app.secret, baseUrl: platform.baseUrl, env: {} });
    await expect(client.invokeCloudFunction('env-x', 'echo', {})).rejects.toBeInstanceOf(ApiUnauthorizedError);
  });
});
