import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform, type TestUser } from '../helpers/platform.js';

let p: TestPlatform;
let u: TestUser;
beforeAll(async () => {
  p = await startTestPlatform();
  u = await p.createUser();
});
afterAll(() => p.close());

const upload = (body: string) =>
  p.request<{ error?: { code: string; message: string } }>('POST', `/openrun/control/v1/users/${u.id}/steps/import`, body, { 'content-type': 'text/csv' });

it('a stray quote in a CSV import is a 400 naming the line and what was wrong, and nothing is written', async () => {
  await p.control('PUT', `/users/${u.id}/steps`, { days: [{ date: '2026-01-01', steps: 7 }] });
  const r = await upload('date,steps\n2026-01-02,1\na"b,1\n');
  expect(r.status).toBe(400);
  expect(r.body.error?.code).toBe('OR_ERR_CONTROL_IMPORT_INVALID');
  expect(r.body.error?.message).toMatch(/^line 3: .*quote/i);
  const days = await p.control<{ days: { date: string; steps: number }[] }>('GET', `/users/${u.id}/steps?from=2026-01-01&to=2026-01-02`);
  expect(days.body.days.filter((d) => d.steps > 0)).toEqual([{ date: '2026-01-01', steps: 7 }]);
});

it('every kind of CSV parser error is a 400 with a line number, never a 500', async () => {
  for (const body of ['date,steps\n"2026-01-01,1\n', 'date,steps\n2026-01-01,"1"x\n', '2026-01-01,1\n"a"b",2\n', 'date,steps\n2026-01-01,1\r\n\u0000"\n']) {
    const r = await upload(body);
    expect(r.status, JSON.stringify(body)).toBe(400);
    expect(r.body.error?.message, JSON.stringify(body)).toMatch(/^line \d+: /);
  }
});
