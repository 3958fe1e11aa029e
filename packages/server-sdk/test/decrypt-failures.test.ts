import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Base64DecodeError,
  DecryptFailedError,
  InvalidIvError,
  InvalidSessionKeyError,
  WatermarkAppIdMismatchError,
  WatermarkTooOldError,
  WeChatMiniProgram,
} from '../src/index.js';
import { startPlatform } from './helpers/platform.js';
import type { TestPlatform } from './helpers/platform.js';

let platform: TestPlatform;

beforeAll(async () => {
  platform = await startPlatform();
});

afterAll(async () => {
  await platform.close();
});

/** A user who logged in, and the WeRun data their phone produced. */
async function loggedInWithData() {
  const app = await platform.createApp({ platform: 'weapp' });
  const user = await platform.createUser();
  await platform.grant(app.appid, user.id, 'scope.werun');
  const client = new WeChatMiniProgram({ appid: app.appid, secret: app.secret, baseUrl: platform.baseUrl, env: {} });
  const session = await client.code2Session(await platform.login(app.appid, user.deviceToken));
  const data = await platform.stepData(app.appid, user.deviceToken, 'werun');
  return { app, user, client, session, data };
}

describe('decrypting real platform data: every failure has its typed error', () => {
  it('a session_key that rotated since the data was produced gives DecryptFailedError (-41003)', async () => {
    const { app, user, client, session } = await loggedInWithData();
    await platform.advanceClock(301); // past the minimum rotation period
    const fresh = await client.code2Session(await platform.login(app.appid, user.deviceToken));
    expect(fresh.sessionKey).not.toBe(session.sessionKey);
    const data = await platform.stepData(app.appid, user.deviceToken, 'werun');
    expect(() => client.decryptWeRunData(session.sessionKey, data.encryptedData, data.iv)).toThrow(DecryptFailedError);
    expect(client.decryptWeRunData(fresh.sessionKey, data.encryptedData, data.iv).stepInfoList).toHaveLength(31);
  });

  it('data issued to another app gives WatermarkAppIdMismatchError (-41003)', async () => {
    const { session, data } = await loggedInWithData();
    const other = await platform.createApp({ platform: 'weapp' });
    const otherClient = new WeChatMiniProgram({ appid: other.appid, secret: other.secret, baseUrl: platform.baseUrl, env: {} });
    const error = (() => {
      try {
        otherClient.decryptWeRunData(session.sessionKey, data.encryptedData, data.iv);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(WatermarkAppIdMismatchError);
    expect(error).toMatchObject({ code: -41003 });
  });

  it('data older than maxAgeSeconds gives WatermarkTooOldError', async () => {
    const { client, session, data } = await loggedInWithData();
    const later = (await platform.nowSeconds()) + 601;
    expect(() => client.decryptWeRunData(session.sessionKey, data.encryptedData, data.iv, { maxAgeSeconds: 600, nowSeconds: later })).toThrow(
      WatermarkTooOldError,
    );
  });

  it('a truncated session_key gives InvalidSessionKeyError (-41001)', async () => {
    const { client, session, data } = await loggedInWithData();
    expect(() => client.decryptWeRunData(session.sessionKey.slice(0, 20), data.encryptedData, data.iv)).toThrow(InvalidSessionKeyError);
  });

  it('a damaged iv gives InvalidIvError (-41002)', async () => {
    const { client, session, data } = await loggedInWithData();
    expect(() => client.decryptWeRunData(session.sessionKey, data.encryptedData, data.iv.slice(4))).toThrow(InvalidIvError);
  });

  it('encryptedData cut mid-block gives Base64DecodeError (-41004)', async () => {
    const { client, session, data } = await loggedInWithData();
    expect(() => client.decryptWeRunData(session.sessionKey, data.encryptedData.slice(0, -8), data.iv)).toThrow(Base64DecodeError);
  });

  it('encryptedData sent form-encoded with + turned into spaces still decrypts', async () => {
    const { client, session, data } = await loggedInWithData();
    const mangled = data.encryptedData.replace(/\+/g, ' ');
    expect(client.decryptWeRunData(session.sessionKey, mangled, data.iv.replace(/\+/g, ' ')).stepInfoList).toHaveLength(31);
  });
});
