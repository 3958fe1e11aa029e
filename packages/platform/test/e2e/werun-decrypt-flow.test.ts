import { chinaDateOf, type WeRunData } from '@openrun/core';
import { decryptOpenData } from '@openrun/core/cipher';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loginAndExchange, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
beforeEach(async () => {
  p = await startTestPlatform();
});
afterEach(() => p.close());

const FLAVOURS = [
  { platform: 'weapp', path: 'werun' },
  { platform: 'qq', path: 'qqrun' },
] as const;

describe.each(FLAVOURS)('decrypt flow ($platform)', ({ platform, path }) => {
  it('login → jscode2session → step data → decrypt gives 31 China-time days, oldest first, today last', async () => {
    // 2026-11-21 23:30 UTC is already 2026-11-22 07:30 in China.
    await p.freezeClock('2026-11-21T23:30:00Z');
    const app = await p.createApp({ platform });
    const user = await p.createUser();
    const days = [
      { date: '2026-10-23', steps: 1111 },
      { date: '2026-11-21', steps: 8000 },
      { date: '2026-11-22', steps: 2345 },
      { date: '2026-10-22', steps: 9999 },
    ];
    expect((await p.control('PUT', `/users/${user.id}/steps`, { days })).status).toBe(200);

    const session = await loginAndExchange(p, app, user);
    expect(session.openid).toMatch(/^o[A-Za-z0-9_-]{27}$/);
    const r = await p.runtime<{ encryptedData: string; iv: string; cloudID?: string }>(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`);
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual(['encryptedData', 'iv']);
    expect(Buffer.from(r.body.iv, 'base64')).toHaveLength(16);

    const data = decryptOpenData(session.session_key, r.body.encryptedData, r.body.iv) as WeRunData;
    expect(data.stepInfoList).toHaveLength(31);
    const nowSeconds = Date.parse('2026-11-21T23:30:00Z') / 1000;
    expect(data.watermark).toEqual({ timestamp: nowSeconds, appid: app.appid });
    const first = data.stepInfoList[0]!;
    const last = data.stepInfoList[30]!;
    expect(chinaDateOf(first.timestamp)).toBe('2026-10-23');
    expect(chinaDateOf(last.timestamp)).toBe('2026-11-22');
    expect(last.timestamp).toBe(Date.parse('2026-11-22T00:00:00+08:00') / 1000);
    for (const [i, d] of data.stepInfoList.entries()) {
      expect((d.timestamp + 28800) % 86400).toBe(0);
      if (i > 0) expect(d.timestamp - data.stepInfoList[i - 1]!.timestamp).toBe(86400);
    }
    expect(first.step).toBe(1111);
    expect(data.stepInfoList[29]!.step).toBe(8000);
    expect(last.step).toBe(2345);
    expect(data.stepInfoList[1]!.step).toBe(0);
  });

  it('encrypts compact JSON in the real key order', async () => {
    const app = await p.createApp({ platform });
    const user = await p.createUser();
    const session = await loginAndExchange(p, app, user);
    const r = await p.runtime<{ encryptedData: string; iv: string }>(user.deviceToken, 'POST', `/apps/${app.appid}/${path}`);
    const { decryptOpenDataText } = await import('@openrun/core/cipher');
    const text = decryptOpenDataText(session.session_key, r.body.encryptedData, r.body.iv);
    expect(text).toMatch(/^\{"stepInfoList":\[\{"timestamp":\d+,"step":\d+\}(,\{"timestamp":\d+,"step":\d+\}){30}\],"watermark":\{"timestamp":\d+,"appid":"[^"]+"\}\}$/);
  });
});

describe('which apps get a cloudID', () => {
  it('only a cloud-enabled WeChat app on base library ≥ 2.7.0 receives one', async () => {
    const user = await p.createUser();
    const cases = [
      { body: { platform: 'weapp', cloud: true }, cloudID: true },
      { body: { platform: 'weapp', cloud: true, baseLibVersion: '2.6.9' }, cloudID: false },
      { body: { platform: 'weapp', cloud: true, baseLibVersion: '2.7.0' }, cloudID: true },
      { body: { platform: 'weapp', cloud: false }, cloudID: false },
    ];
    for (const c of cases) {
      const app = await p.createApp(c.body);
      await loginAndExchange(p, app, user);
      const r = await p.runtime<{ cloudID?: string }>(user.deviceToken, 'POST', `/apps/${app.appid}/werun`);
      expect(r.status).toBe(200);
      if (c.cloudID) expect(r.body.cloudID).toMatch(/^\d{1,3}_[A-Za-z0-9_-]{59}$/);
      else expect(r.body.cloudID).toBeUndefined();
    }
  });

  it('the runtime API never returns a session_key', async () => {
    const app = await p.createApp({ platform: 'weapp', cloud: true });
    const user = await p.createUser();
    const session = await loginAndExchange(p, app, user);
    const replies = [
      await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/login`),
      await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/werun`),
      await p.runtime(user.deviceToken, 'GET', `/apps/${app.appid}/setting`),
      await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/check-session`),
    ];
    for (const r of replies) {
      expect(JSON.stringify(r.body)).not.toContain(session.session_key);
      expect(JSON.stringify(r.body)).not.toContain('session_key');
    }
  });
});
