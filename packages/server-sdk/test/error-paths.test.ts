import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import {
  CloudIdExpiredError,
  CloudIdForeignError,
  CodeUsedError,
  InvalidCodeError,
  InvalidSecretError,
  SystemBusyError,
  WeChatMiniProgram,
} from '../src/index.js';
import type { ResponseEvent } from '../src/index.js';
import { startPlatform } from './helpers/platform.js';
import type { TestPlatform } from './helpers/platform.js';

// A fresh platform per test: several tests move the clock.
let platform: TestPlatform;

beforeEach(async () => {
  await platform?.close();
  platform = await startPlatform();
});

afterAll(async () => {
  await platform.close();
});

async function setUp() {
  const app = await platform.createApp({ platform: 'weapp', cloud: true });
  const user = await platform.createUser();
  await platform.grant(app.appid, user.id, 'scope.werun');
  const client = new WeChatMiniProgram({ appid: app.appid, secret: app.secret, baseUrl: platform.baseUrl, env: {} });
  const responses: ResponseEvent[] = [];
  client.on('response', (e) => responses.push(e));
  const tokenRequests = () => responses.filter((e) => e.operation === 'getAccessToken').length;
  return { app, user, client, responses, tokenRequests };
}

describe('WeChat error paths against a real platform', () => {
  it('an expired login code (older than 5 minutes) gives InvalidCodeError 40029', async () => {
    const { app, user, client } = await setUp();
    const code = await platform.login(app.appid, user.deviceToken);
    await platform.advanceClock(301);
    await expect(client.code2Session(code)).rejects.toMatchObject({ constructor: InvalidCodeError, errcode: 40029 });
  });

  it('a second exchange of the same code gives CodeUsedError 40163 with the rid', async () => {
    const { app, user, client } = await setUp();
    const code = await platform.login(app.appid, user.deviceToken);
    await client.code2Session(code);
    const error = await client.code2Session(code).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CodeUsedError);
    expect((error as CodeUsedError).rid).toMatch(/\S+/);
    expect((error as Error).message).not.toContain(code);
  });

  it('a wrong secret gives InvalidSecretError from the token endpoint and from jscode2session', async () => {
    const { app, user } = await setUp();
    const wrong = new WeChatMiniProgram({ appid: app.appid, secret: '0'.repeat(32), baseUrl: platform.baseUrl, env: {} });
    const tokenError = await wrong.getAccessToken().catch((e: unknown) => e);
    expect(tokenError).toBeInstanceOf(InvalidSecretError);
    expect((tokenError as Error).message).not.toContain('0'.repeat(32));
    const code = await platform.login(app.appid, user.deviceToken);
    await expect(wrong.code2Session(code)).rejects.toBeInstanceOf(InvalidSecretError);
  });

  it('an expired access token is refreshed once and the call retried once', async () => {
    const { app, user, client, responses, tokenRequests } = await setUp();
    const session = await client.code2Session(await platform.login(app.appid, user.deviceToken));
    expect(await client.checkSessionKey(session.openid, session.sessionKey)).toBe(true);
    await platform.advanceClock(7_201);
    expect(await client.checkSessionKey(session.openid, session.sessionKey)).toBe(true);
    expect(tokenRequests()).toBe(2);
    expect(responses.filter((e) => e.operation === 'checkSessionKey').map((e) => e.errcode)).toEqual([undefined, 42001, undefined]);
  });

  it('an overlapped token keeps working for 5 minutes after a newer one is issued, then is replaced once', async () => {
    const { app, user, client, responses, tokenRequests } = await setUp();
    const session = await client.code2Session(await platform.login(app.appid, user.deviceToken));
    const old = await client.getAccessToken();
    const other = new WeChatMiniProgram({ appid: app.appid, secret: app.secret, baseUrl: platform.baseUrl, env: {} });
    expect(await other.getAccessToken()).not.toBe(old);
    expect(await client.checkSessionKey(session.openid, session.sessionKey)).toBe(true);
    expect(tokenRequests()).toBe(1);
    await platform.advanceClock(301);
    expect(await client.checkSessionKey(session.openid, session.sessionKey)).toBe(true);
    expect(tokenRequests()).toBe(2);
    expect(responses.filter((e) => e.operation === 'checkSessionKey').map((e) => e.errcode)).toEqual([undefined, 40001, undefined]);
  });

  it('-1 from the token endpoint is retried with backoff and succeeds', async () => {
    const { client, tokenRequests } = await setUp();
    await platform.fault('GET /cgi-bin/token', -1, 2);
    expect(await client.getAccessToken()).toMatch(/\S+/);
    expect(tokenRequests()).toBe(3);
  });

  it('-1 on jscode2session is retried, since the platform says it did nothing', async () => {
    const { app, user, client, responses } = await setUp();
    await platform.fault('GET /sns/jscode2session', -1, 1);
    await expect(client.code2Session(await platform.login(app.appid, user.deviceToken))).resolves.toMatchObject({
      openid: expect.stringMatching(/^o/),
    });
    expect(responses.map((e) => e.errcode)).toEqual([-1, undefined]);
  });

  it('-1 that outlasts maxRetries gives SystemBusyError', async () => {
    const { app } = await setUp();
    const client = new WeChatMiniProgram({ appid: app.appid, secret: app.secret, baseUrl: platform.baseUrl, env: {}, maxRetries: 1 });
    await platform.fault('GET /cgi-bin/token', -1, 2);
    await expect(client.getAccessToken()).rejects.toMatchObject({ constructor: SystemBusyError, errcode: -1 });
  });

  it('a cloudID older than 5 minutes comes back as CloudIdExpiredError', async () => {
    const { app, user, client } = await setUp();
    const session = await client.code2Session(await platform.login(app.appid, user.deviceToken));
    const { cloudID } = await platform.stepData(app.appid, user.deviceToken, 'werun');
    await platform.advanceClock(301);
    const [result] = await client.getOpenData(session.openid, [cloudID!]);
    expect(result).toMatchObject({ ok: false, error: { errCode: -601006 } });
    expect(result?.ok === false && result.error).toBeInstanceOf(CloudIdExpiredError);
    await expect(client.getWeRunDataByCloudId(session.openid, cloudID!)).rejects.toBeInstanceOf(CloudIdExpiredError);
  });

  it("another user's cloudID comes back as CloudIdForeignError", async () => {
    const { app, user, client } = await setUp();
    const stranger = await platform.createUser();
    await platform.grant(app.appid, stranger.id, 'scope.werun');
    const session = await client.code2Session(await platform.login(app.appid, user.deviceToken));
    await platform.login(app.appid, stranger.deviceToken);
    const { cloudID } = await platform.stepData(app.appid, stranger.deviceToken, 'werun');
    const [result] = await client.getOpenData(session.openid, [cloudID!]);
    expect(result?.ok === false && result.error).toBeInstanceOf(CloudIdForeignError);
  });
});
