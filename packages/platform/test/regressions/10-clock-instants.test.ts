import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';

let p: TestPlatform;
let app: TestApp;
let user: TestUser;
beforeAll(async () => {
  p = await startTestPlatform();
  app = await p.createApp({ platform: 'weapp' });
  user = await p.createUser();
});
afterAll(() => p.close());

it('a fractional advance keeps the clock in whole milliseconds, and the export still validates', async () => {
  await p.freezeClock('2026-03-01T00:00:00.000Z');
  for (const seconds of [0.0005, 0.0004, 1.2345678, -0.0001, 0.29]) {
    const r = await p.control<{ nowMs: number }>('POST', '/clock/advance', { seconds });
    expect(r.status).toBe(200);
    expect(Number.isInteger(r.body.nowMs)).toBe(true);
  }
  // Records stamped at the rounded instant export and import again.
  await p.runtime(user.deviceToken, 'POST', `/apps/${app.appid}/login`);
  const exported = await p.control('GET', '/export');
  expect(exported.status).toBe(200);
  expect((await p.control('POST', '/import', exported.body)).status).toBeLessThan(300);
  expect((await p.control('GET', '/clock')).status).toBe(200);
});

it('an instant outside the years 2000–2100 is a 400 and the clock keeps its time', async () => {
  await p.freezeClock('2026-03-01T00:00:00.000Z');
  for (const now of [8640000000000000, 0, '1999-12-31T23:59:59Z', '2101-01-01T00:00:00Z', -1]) {
    const r = await p.control<{ error?: { code: string; message: string } }>('PUT', '/clock', { now });
    expect(r.status, String(now)).toBe(400);
    expect(r.body.error?.code).toBe('OR_ERR_REQUEST_INVALID');
  }
  const far = await p.control<{ error?: { message: string } }>('POST', '/clock/advance', { seconds: 3e9 });
  expect(far.status).toBe(400);
  expect(far.body.error?.message).toContain('2000–2100');
  const clock = await p.control<{ now: string }>('GET', '/clock');
  expect(clock.status).toBe(200);
  expect(clock.body.now).toBe('2026-03-01T00:00:00.000Z');
  expect((await p.control('PUT', '/clock', { now: '2100-12-31T23:59:59Z' })).status).toBe(200);
  expect((await p.control('PUT', '/clock', { now: '2000-01-01T00:00:00Z' })).status).toBe(200);
});

it('an import or a scenario cannot put the clock outside the sane range either', async () => {
  const doc = (await p.control<{ clock: { nowMs: number } }>('GET', '/export')).body;
  const r = await p.control<{ error?: { message: string } }>('POST', '/import', { ...doc, clock: { nowMs: 8640000000000000, frozen: true } });
  expect(r.status).toBe(400);
  expect(r.body.error?.message).toContain('clock.nowMs');
  const s = await p.control<{ error?: { message: string } }>('POST', '/scenario', { clock: { now: '1970-01-01T00:00:00Z' } });
  expect(s.status).toBe(400);
  expect(s.body.error?.message).toContain('clock.now');
});
