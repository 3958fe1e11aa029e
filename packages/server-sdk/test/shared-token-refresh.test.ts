import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisTokenStore, WeChatMiniProgram } from '../src/index.js';
import type { ResponseEvent } from '../src/index.js';
import { startPlatform } from './helpers/platform.js';
import type { TestPlatform } from './helpers/platform.js';
import { REDIS_URL, uniquePrefix } from './helpers/redis.js';

describe.skipIf(REDIS_URL === undefined)('clients sharing tokens through Redis against a real platform', () => {
  let platform: TestPlatform;
  let redis: Redis;
  const keyPrefix = uniquePrefix();

  beforeAll(async () => {
    platform = await startPlatform();
    redis = new Redis(REDIS_URL!, { maxRetriesPerRequest: 1 });
  });

  afterAll(async () => {
    const keys = await redis.keys(`${keyPrefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await platform.close();
  });

  it('after the shared token expires, all clients replace it with one new token between them', async () => {
    const app = await platform.createApp({ platform: 'weapp' });
    const user = await platform.createUser();
    const events: ResponseEvent[] = [];
    const clients = Array.from({ length: 3 }, () => {
      const client = new WeChatMiniProgram({
        appid: app.appid,
        secret: app.secret,
        baseUrl: platform.baseUrl,
        env: {},
        tokenStore: new RedisTokenStore({ redis, keyPrefix }),
      });
      client.on('response', (e) => events.push(e));
      return client;
    });
    const session = await clients[0]!.code2Session(await platform.login(app.appid, user.deviceToken));
    const first = await Promise.all(clients.map((c) => c.getAccessToken()));
    expect(new Set(first).size).toBe(1);

    await platform.advanceClock(7_201); // the platform now answers 42001 for the cached token
    const checks = await Promise.all(clients.flatMap((c) => [1, 2].map(() => c.checkSessionKey(session.openid, session.sessionKey))));
    expect(checks.every(Boolean)).toBe(true);

    const second = await Promise.all(clients.map((c) => c.getAccessToken()));
    expect(new Set(second).size).toBe(1);
    expect(second[0]).not.toBe(first[0]);
    expect(events.filter((e) => e.operation === 'getAccessToken')).toHaveLength(2);
  });
});
