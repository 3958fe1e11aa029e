import { afterEach, beforeEach, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform, type TestUser } from '../helpers/platform.js';

let p: TestPlatform;
let u: TestUser;
beforeEach(async () => {
  p = await startTestPlatform();
  u = await p.createUser();
});
afterEach(() => p.close());

interface ImportReply {
  rows: number;
  days: number;
  from: string | null;
  to: string | null;
  error?: { code: string; message: string };
}

const upload = (body: string, contentType: string, query = '') =>
  p.request<ImportReply>('POST', `/openrun/control/v1/users/${u.id}/steps/import${query}`, body, { 'content-type': contentType });
const history = async () =>
  (await p.control<{ days: { date: string; steps: number }[] }>('GET', `/users/${u.id}/steps?from=2000-01-01&to=2099-12-31`)).body.days;

const healthRecord = (start: string, value: string, source = 'iPhone', type = 'HKQuantityTypeIdentifierStepCount') =>
  ` <Record type="${type}" sourceName="${source}" unit="count" creationDate="${start}" startDate="${start}" endDate="${start}" value="${value}">\n  <MetadataEntry key="HKMetadataKeyTimeZone" value="Asia/Shanghai"/>\n </Record>\n`;
const healthExport = (records: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record)*)>\n<!ATTLIST HealthData\n  locale CDATA #REQUIRED\n>\n]>\n<HealthData locale="en_US">\n <ExportDate value="2026-03-05 10:00:00 +0800"/>\n${records}</HealthData>\n`;

it('imports a CSV with or without a header, other columns ignored', async () => {
  const r = await upload('source,date,steps\nphone,2026-01-01,100\nphone,2026-01-02,200\n', 'text/csv');
  expect(r.body).toEqual({ rows: 2, days: 2, from: '2026-01-01', to: '2026-01-02' });
  await upload('2026-01-03,300\n', 'text/plain', '?format=csv');
  expect(await history()).toEqual([
    { date: '2026-01-01', steps: 100 },
    { date: '2026-01-02', steps: 200 },
    { date: '2026-01-03', steps: 300 },
  ]);
});

it('imports JSON as an array, as {"days": [...]} or as JSON Lines', async () => {
  expect((await upload('[{"date":"2026-01-01","steps":1},{"date":"2026-01-02","steps":2}]', 'application/json')).body.days).toBe(2);
  expect((await upload('{"days":[{"date":"2026-01-03","steps":3}]}', 'application/json')).body.days).toBe(1);
  expect((await upload('{"date":"2026-01-04","steps":4}\n{"date":"2026-01-05","steps":5}\n', 'application/x-ndjson')).body.days).toBe(2);
  expect((await history()).map((d) => d.steps)).toEqual([1, 2, 3, 4, 5]);
});

it('sums Apple Health step samples per China-time day, whatever offset the sample was written in', async () => {
  const xml = healthExport(
    healthRecord('2026-03-01 08:00:00 +0800', '100') +
      healthRecord('2026-03-01 23:59:59 +0800', '50') +
      healthRecord('2026-03-01 16:30:00 +0000', '7') + // 00:30 on 03-02 in China
      healthRecord('2026-03-01 09:00:00 +0800', '72', 'iPhone', 'HKQuantityTypeIdentifierHeartRate') +
      healthRecord('2026-03-02 09:00:00 +0800', '1000', 'Apple Watch'),
  );
  const r = await upload(xml, 'application/xml');
  expect(r.body).toEqual({
    rows: 4,
    days: 2,
    from: '2026-03-01',
    to: '2026-03-02',
    sources: [
      { name: 'iPhone', samples: 3 },
      { name: 'Apple Watch', samples: 1 },
    ],
  });
  expect(await history()).toEqual([
    { date: '2026-03-01', steps: 150 },
    { date: '2026-03-02', steps: 1007 },
  ]);
  await p.control('POST', '/reset');
  u = await p.createUser();
  await upload(xml, 'text/xml', '?source=iPhone');
  expect(await history()).toEqual([
    { date: '2026-03-01', steps: 150 },
    { date: '2026-03-02', steps: 7 },
  ]);
});

it('refuses bad rows, XML, dates and counts with the place and what was expected, writing nothing', async () => {
  await p.control('PUT', `/users/${u.id}/steps`, { days: [{ date: '2026-01-01', steps: 9 }] });
  const cases: [string, string, string][] = [
    ['date,steps\n2026-01-02,10\n2026-02-30,5\n', 'text/csv', 'line 3: date "2026-02-30" is not a calendar date'],
    ['date,steps\n2026-01-02,-5\n', 'text/csv', 'line 2: steps -5 is outside 0..1000000'],
    ['date,steps\n2026-01-02,12.5\n', 'text/csv', 'line 2: steps "12.5" is not a whole number'],
    ['date,steps\n2026-01-02,5000000\n', 'text/csv', 'steps 5000000 is outside'],
    ['date,steps\n2026-01-02,1\n2026-01-02,2\n', 'text/csv', 'line 3: date 2026-01-02 appears twice'],
    ['day,count\n2026-01-02,1\n', 'text/csv', 'line 1: the header needs "date" and "steps" columns'],
    ['date,steps\n"2026-01-02,1\n', 'text/csv', 'line 2: '],
    ['[{"date":"2026-01-02","steps":1},{"date":"2026-13-01","steps":1}]', 'application/json', 'day object 2 (line 1): date "2026-13-01"'],
    ['[{"date":"2026-01-02","steps":1,"kcal":3}]', 'application/json', 'unknown field "kcal"'],
    ['[{"date":"2026-01-02","steps":1}', 'application/json', 'the JSON document ends early'],
    [healthExport(healthRecord('2026-03-01 08:00:00 +0800', '10') + '<Record'), 'application/xml', 'not well-formed XML'],
    [healthExport(healthRecord('2026-02-30 08:00:00 +0800', '10')), 'application/xml', 'startDate "2026-02-30 08:00:00 +0800" is not a date'],
    [healthExport(healthRecord('2026-03-01 08:00:00 +0800', 'many')), 'application/xml', 'value "many" is not a step count'],
    [healthExport(healthRecord('2026-03-01 08:00:00 +0800', '600000').repeat(2)), 'application/xml', '2026-03-01 adds up to 1200000 steps'],
    ['<Workouts/>', 'application/xml', 'the root element is <Workouts>'],
  ];
  for (const [body, type, message] of cases) {
    const r = await upload(body, type);
    expect(r.status, body).toBe(400);
    expect(r.body.error?.code).toBe('OR_ERR_CONTROL_IMPORT_INVALID');
    expect(r.body.error?.message, body).toContain(message);
    expect(r.body.error?.message).toContain('nothing was imported');
  }
  expect(await history()).toEqual([{ date: '2026-01-01', steps: 9 }]);
});

it('answers an unknown user with 404 and an unknown format with 400', async () => {
  const r = await p.request<ImportReply>('POST', '/openrun/control/v1/users/nobody/steps/import?format=csv', '2026-01-01,1', { 'content-type': 'text/csv' });
  expect(r.status).toBe(404);
  expect((await upload('x', 'application/pdf')).status).toBe(400);
});

it('streams an upload larger than the JSON body limit', async () => {
  const lines = ['date,steps'];
  for (let i = 0; i < 40_000; i++) {
    const d = new Date(Date.UTC(1950, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${d},${(i * 7919) % 30000},padding-to-make-the-file-larger-than-one-mebibyte`);
  }
  const body = lines.join('\n');
  expect(body.length).toBeGreaterThan(1024 * 1024);
  const r = await upload(body, 'text/csv');
  expect(r.body).toMatchObject({ rows: 40_000, days: 40_000 });
  const json = JSON.stringify({ days: lines.slice(1).map((l) => ({ date: l.slice(0, 10), steps: Number(l.split(',')[1]) + 1 })) }, null, 1);
  expect(json.length).toBeGreaterThan(1024 * 1024);
  expect((await upload(json, 'application/json')).body).toMatchObject({ rows: 40_000, days: 40_000 });
  const all = await p.control<{ days: { date: string; steps: number }[] }>('GET', `/users/${u.id}/steps?from=1950-01-01&to=2099-12-31`);
  expect(all.body.days[12_345]).toEqual({ date: lines[12_346]!.slice(0, 10), steps: Number(lines[12_346]!.split(',')[1]) + 1 });
});
