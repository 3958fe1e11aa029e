import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCountingProxy } from './helpers/counting-proxy.js';
import type { CountingProxy } from './helpers/counting-proxy.js';
import { startPlatform } from './helpers/platform.js';
import type { TestPlatform } from './helpers/platform.js';
import { REDIS_URL, uniquePrefix } from './helpers/redis.js';

const PROCESSES = 4;
const CALLS_PER_PROCESS = 25;

// Each child: connect to Redis, say "ready", wait for "go" on stdin, fire its calls at once, print the tokens.
const CHILD = `
const { Redis } = require('ioredis');
const sdk = require(process.env.SDK_BUNDLE);
const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1 });
const client = new sdk.WeChatMiniProgram({
  appid: process.env.APPID,
  secret: process.env.SECRET,
  baseUrl: process.env.BASE_URL,
  env: {},
  tokenStore: new sdk.RedisTokenStore({ redis, keyPrefix: process.env.KEY_PREFIX }),
});
redis.ping().then(() => {
  process.stdout.write('ready\\n');
  process.stdin.once('data', async () => {
    try {
      const calls = Array.from({ length: Number(process.env.CALLS) }, () => client.getAccessToken());
      const tokens = await Promise.all(calls);
      process.stdout.write(JSON.stringify({ tokens }) + '\\n');
    } catch (error) {
      process.stdout.write(JSON.stringify({ error: String(error && error.name) + ': ' + String(error && error.message) }) + '\\n');
    } finally {
      await redis.quit();
      process.stdin.destroy();
    }
  });
});
`;

interface Child {
  ready: Promise<void>;
  result: Promise<{ tokens?: string[]; error?: string }>;
  go(): void;
}

function startChild(script: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  let buffer = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const result = new Promise<{ tokens?: string[]; error?: string }>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'ready') markReady();
        else resolve(JSON.parse(line) as { tokens?: string[]; error?: string });
      }
    });
    child.on('exit', (code) => reject(new Error(`child exited with ${code} before answering`)));
    child.on('error', reject);
  });
  return { ready, result, go: () => child.stdin.write('go\n') };
}

describe.skipIf(REDIS_URL === undefined)('access tokens shared by several processes through Redis', () => {
  let platform: TestPlatform;
  let proxy: CountingProxy;
  let dir: string;
  const keyPrefix = uniquePrefix();

  beforeAll(async () => {
    platform = await startPlatform();
    // Slow the token endpoint down so that all processes ask while the first refresh is still in flight.
    proxy = await startCountingProxy(platform.baseUrl, { 'GET /cgi-bin/token': 150 });
    dir = await mkdtemp(join(tmpdir(), 'openrun-sdk-mp-'));
    await build({
      entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      conditions: ['openrun-source'],
      outfile: join(dir, 'sdk.cjs'),
      logLevel: 'silent',
    });
    await build({
      stdin: { contents: CHILD, resolveDir: dir, loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['./sdk.cjs'],
      outfile: join(dir, 'child.cjs'),
      logLevel: 'silent',
      nodePaths: [fileURLToPath(new URL('../../../node_modules', import.meta.url))],
    });
  });

  afterAll(async () => {
    const redis = new Redis(REDIS_URL!);
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await proxy?.close();
    await platform?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('100 concurrent getAccessToken calls over 4 processes cause exactly one upstream token request', async () => {
    const app = await platform.createApp({ platform: 'weapp' });
    const children = Array.from({ length: PROCESSES }, () =>
      startChild(join(dir, 'child.cjs'), {
        SDK_BUNDLE: join(dir, 'sdk.cjs'),
        REDIS_URL: REDIS_URL!,
        BASE_URL: proxy.baseUrl,
        APPID: app.appid,
        SECRET: app.secret,
        KEY_PREFIX: keyPrefix,
        CALLS: String(CALLS_PER_PROCESS),
      }),
    );
    await Promise.all(children.map((c) => c.ready));
    for (const child of children) child.go();
    const results = await Promise.all(children.map((c) => c.result));

    expect(results.map((r) => r.error)).toEqual(Array.from({ length: PROCESSES }, () => undefined));
    const tokens = results.flatMap((r) => r.tokens ?? []);
    expect(tokens).toHaveLength(PROCESSES * CALLS_PER_PROCESS);
    expect(new Set(tokens).size).toBe(1);
    expect(proxy.count('GET /cgi-bin/token')).toBe(1);
  }, 60_000);
});
