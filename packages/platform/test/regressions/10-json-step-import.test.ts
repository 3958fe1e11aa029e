import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform, type TestUser } from '../helpers/platform.js';

let p: TestPlatform;
let u: TestUser;
beforeAll(async () => {
  p = await startTestPlatform();
  u = await p.createUser();
  await p.control('PUT', `/users/${u.id}/steps`, { days: [{ date: '2026-01-01', steps: 7 }] });
});
afterAll(() => p.close());

const upload = (body: string, contentType = 'application/json', query = '') =>
  p.request<{ rows?: number; error?: { code: string; message: string } }>('POST', `/openrun/control/v1/users/${u.id}/steps/import${query}`, body, {
    'content-type': contentType,
  });

it('garbage in a JSON step import is a 400 saying what was expected, never "imported 0 rows"', async () => {
  const cases: [string, RegExp][] = [
    ['', /the body: is empty; expected JSON days/],
    ['   \n ', /is empty/],
    ['this is not json', /expected JSON days.*got "this is not json"/],
    ['[1,2]', /expected a day object .* in the array, got "1,2\]"/],
    ['"abc"', /expected JSON days/],
    ['null', /expected JSON days.*got "null"/],
    ['[{"date":"2026-01-02","steps":5}] trailing', /line 1: expected JSON days.*got "trailing"/],
    ['[{"date":"2026-01-02","steps":5}]]', /unexpected "\]"/],
    ['[{"date":"2026-01-02","steps":5} {"date":"2026-01-03","steps":5}]', /missing ","/],
    ['[{"date":"2026-01-02","steps":5},]', /a "," before "\]"/],
    ['{"days":[{"date":"2026-01-02","steps":5}]', /ends early/],
    ['<HealthData/>', /expected JSON days/],
    ['date,steps\n2026-01-02,5\n', /expected JSON days.*got "date,steps"/],
  ];
  for (const [body, message] of cases) {
    const r = await upload(body);
    expect(r.status, JSON.stringify(body)).toBe(400);
    expect(r.body.error?.code).toBe('OR_ERR_CONTROL_IMPORT_INVALID');
    expect(r.body.error?.message, JSON.stringify(body)).toMatch(message);
  }
  const days = await p.control<{ days: { date: string; steps: number }[] }>('GET', `/users/${u.id}/steps?from=2026-01-01&to=2026-01-03`);
  expect(days.body.days.filter((d) => d.steps > 0)).toEqual([{ date: '2026-01-01', steps: 7 }]);
});

it('a file whose content does not match its declared type is an error, not zero rows', async () => {
  expect((await upload('date,steps\n2026-01-02,5\n', 'application/json')).status).toBe(400);
  expect((await upload('[{"date":"2026-01-02","steps":5}]', 'text/csv')).status).toBe(400);
  expect((await upload('[{"date":"2026-01-02","steps":5}]', 'application/xml')).status).toBe(400);
  expect((await upload('date,steps\n2026-01-02,5\n', 'text/xml')).status).toBe(400);
});

it('well-formed documents still import: an array, {"days":[…]}, JSON Lines and an empty array', async () => {
  expect((await upload('[{"date":"2026-01-02","steps":5}]')).body.rows).toBe(1);
  expect((await upload('{"days":[{"date":"2026-01-02","steps":5},{"date":"2026-01-03","steps":6}]}')).body.rows).toBe(2);
  expect((await upload('{"date":"2026-01-02","steps":5}\n{"date":"2026-01-03","steps":6}\n', 'application/x-ndjson')).body.rows).toBe(2);
  expect((await upload(' [ ] ')).body.rows).toBe(0);
});
