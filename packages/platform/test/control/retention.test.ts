import { afterEach, expect, it } from 'vitest';
import { accessToken, loginAndExchange, loginCode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
afterEach(() => p.close());

interface Ephemeral {
  ephemeral: { loginCodes: unknown[]; accessTokens: unknown[]; cloudIds: { cloudId: string }[]; counters: unknown[] };
}

async function stored(): Promise<Ephemeral['ephemeral']> {
  return (await p.control<Ephemeral>('GET', '/export')).body.ephemeral;
}

/** Waits for the purge timer (50 ms here) to have run at least twice after the clock moved. */
const purgeTurns = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

it('expired codes, tokens and cloudIDs are purged on schedule once their grace period is over, live ones are kept', async () => {
  p = await startTestPlatform({}, { purgeIntervalMs: 50 });
  await p.freezeClock('2026-05-01T02:00:00Z');
  const wx = await p.createApp({ platform: 'weapp', cloud: true });
  const u = await p.createUser();
  const { openid } = await loginAndExchange(p, wx, u);
  await accessToken(p, wx);
  const werun = await p.runtime<{ cloudID: string }>(u.deviceToken, 'POST', `/apps/${wx.appid}/werun`);
  const before = await stored();
  expect([before.loginCodes.length, before.accessTokens.length, before.cloudIds.length]).toEqual([1, 1, 1]);

  // Just past expiry, within the grace period: still stored, so the cloudID is "expired", not "unknown".
  await p.advance(301);
  await purgeTurns();
  expect((await stored()).cloudIds.map((c) => c.cloudId)).toEqual([werun.body.cloudID]);
  const token = await accessToken(p, wx);
  const expired = await p.request<{ data_list: { json: string }[] }>('POST', `/wxa/getopendata?access_token=${token}&openid=${openid}`, { cloudid_list: [werun.body.cloudID] });
  expect(JSON.parse(expired.body.data_list[0]!.json)).toMatchObject({ errCode: -601006 });

  // Past the grace period: the code and the cloudID are gone, the (2-hour) tokens and a fresh code are kept.
  await p.advance(600);
  const fresh = await loginCode(p, wx, u);
  await purgeTurns();
  const after = await stored();
  expect(after.cloudIds).toEqual([]);
  expect(after.loginCodes).toEqual([expect.objectContaining({ code: fresh })]);
  expect(after.accessTokens).toHaveLength(2);

  await p.advance(7200 + 601);
  await purgeTurns();
  const later = await stored();
  expect([later.loginCodes.length, later.accessTokens.length, later.cloudIds.length]).toEqual([0, 0, 0]);
});
