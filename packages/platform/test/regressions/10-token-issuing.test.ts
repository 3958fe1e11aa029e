import { resolveConfig } from '@openrun/platform';
import { afterEach, expect, it } from 'vitest';
import { errmsgText, startTestPlatform, type TestApp, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform | undefined;
afterEach(() => p?.close());

async function start(options: { tokenDailyQuota?: number } = {}): Promise<{ p: TestPlatform; app: TestApp; qq: TestApp }> {
  p = await startTestPlatform(options);
  await p.freezeClock('2026-05-01T10:00:00+08:00');
  return { p, app: await p.createApp({ platform: 'weapp' }), qq: await p.createApp({ platform: 'qq' }) };
}

const normal = (p: TestPlatform, app: TestApp) =>
  p.request<{ access_token?: string; errcode?: number; errmsg?: string }>(
    'GET',
    `${app.platform === 'qq' ? '/qq/api/getToken' : '/cgi-bin/token'}?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`,
  );
const stable = (p: TestPlatform, app: TestApp, force = false) =>
  p.request<{ access_token: string }>('POST', '/cgi-bin/stable_token', { grant_type: 'client_credential', appid: app.appid, secret: app.secret, force_refresh: force });
const use = async (p: TestPlatform, token: string) =>
  (await p.request<{ errcode: number }>('POST', `/wxa/getopendata?access_token=${token}`, { cloudid_list: ['1_x'] })).body.errcode;

it('after many issued tokens, only the newest and the ones in their 5-minute overlap still work', async () => {
  const { p, app } = await start({ tokenDailyQuota: 0 });
  const tokens: string[] = [];
  for (let i = 0; i < 120; i++) {
    tokens.push((await normal(p, app)).body.access_token!);
    await p.advance(i < 110 ? 60 : 20);
  }
  // The last ten were issued 20 s apart: all of them are inside the 300 s overlap; the one before is 200 s + 60 s old.
  for (const t of tokens.slice(-10)) expect(await use(p, t)).toBe(0);
  expect(await use(p, tokens[0]!)).toBe(40001);
  expect(await use(p, tokens[100]!)).toBe(40001);
  await p.advance(300);
  for (const t of tokens.slice(-10, -1)) expect(await use(p, t)).toBe(40001);
  expect(await use(p, tokens.at(-1)!)).toBe(0);
});

it('a forced stable_token refresh still cuts every overlapping stable token at once', async () => {
  const { p, app } = await start();
  const first = (await stable(p, app)).body.access_token;
  await p.advance(7000);
  const second = (await stable(p, app)).body.access_token;
  expect(second).not.toBe(first);
  expect(await use(p, first)).toBe(0);
  await p.advance(31);
  const third = (await stable(p, app, true)).body.access_token;
  expect(await use(p, first)).toBe(40001);
  expect(await use(p, second)).toBe(40001);
  expect(await use(p, third)).toBe(0);
});

it('the daily quota of /cgi-bin/token answers 45009 past the limit and resets at China midnight', async () => {
  const { p, app, qq } = await start({ tokenDailyQuota: 3 });
  for (let i = 0; i < 3; i++) expect((await normal(p, app)).body.access_token).toBeTruthy();
  const over = await normal(p, app);
  expect(over.body.errcode).toBe(45009);
  expect(errmsgText(over.body.errmsg)).toBe('reach max api daily quota limit');
  // Another app and QQ's getToken have their own count; a wrong secret does not spend the quota.
  expect((await normal(p, qq)).body.access_token).toBeTruthy();
  await p.control('PUT', '/clock', { now: '2026-05-02T00:00:00+08:00' });
  expect((await normal(p, app)).body.access_token).toBeTruthy();
});

it('the quota is 2,000 a day unless OPENRUN_TOKEN_DAILY_QUOTA or the option says otherwise; 0 turns it off', () => {
  expect(resolveConfig({}, {}).tokenDailyQuota).toBe(2000);
  expect(resolveConfig({}, { OPENRUN_TOKEN_DAILY_QUOTA: '0' }).tokenDailyQuota).toBe(0);
  expect(resolveConfig({ tokenDailyQuota: 5 }, { OPENRUN_TOKEN_DAILY_QUOTA: '0' }).tokenDailyQuota).toBe(5);
  expect(() => resolveConfig({}, { OPENRUN_TOKEN_DAILY_QUOTA: 'lots' })).toThrow('OPENRUN_TOKEN_DAILY_QUOTA');
  expect(() => resolveConfig({ tokenDailyQuota: -1 }, {})).toThrow('tokenDailyQuota');
});
