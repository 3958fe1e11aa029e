import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform, type TestUser } from '../helpers/platform.js';

let p: TestPlatform;
let u: TestUser;
beforeAll(async () => {
  p = await startTestPlatform();
});
beforeEach(async () => {
  u = await p.createUser();
});
afterAll(() => p.close());

const sample = (source: string, start: string, end: string, value: number) =>
  ` <Record type="HKQuantityTypeIdentifierStepCount" sourceName="${source}" unit="count" startDate="2026-03-01 ${start} +0800" endDate="2026-03-01 ${end} +0800" value="${value}"/>\n`;
const healthExport = (records: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<HealthData locale="en_US">\n${records}</HealthData>\n`;

interface ImportReply {
  rows: number;
  days: number;
  sources?: { name: string; samples: number }[];
  error?: { code: string; message: string };
}
const upload = (xml: string, query = '') =>
  p.request<ImportReply>('POST', `/openrun/control/v1/users/${u.id}/steps/import${query}`, xml, { 'content-type': 'application/xml' });
const day = async () =>
  (await p.control<{ days: { date: string; steps: number }[] }>('GET', `/users/${u.id}/steps?from=2026-03-01&to=2026-03-01`)).body.days[0]?.steps;

// One walk 08:00–08:40: the iPhone wrote 3,300 steps in one sample, the Watch 4,600 in four 10-minute samples.
const WALK =
  sample('Xiao Ming’s iPhone', '08:00:00', '08:40:00', 3300) +
  ['08:00', '08:10', '08:20', '08:30'].map((t, i) => sample('Xiao Ming’s Apple Watch', `${t}:00`, `${t.slice(0, 3)}${Number(t.slice(3)) + 10}:00`, [1000, 1200, 1300, 1100][i]!)).join('') +
  // Later the phone alone (the watch was charging): it counts in full.
  sample('Xiao Ming’s iPhone', '18:00:00', '18:20:00', 2000);

it('an iPhone and an Apple Watch recording the same walk are counted once, the watch preferred, like the Health app', async () => {
  const r = await upload(healthExport(WALK));
  expect(r.status).toBe(200);
  expect(await day()).toBe(4600 + 2000);
  expect(r.body.sources).toEqual([
    { name: 'Xiao Ming’s iPhone', samples: 2 },
    { name: 'Xiao Ming’s Apple Watch', samples: 4 },
  ]);
});

it('?source=a,b sets the priority (only those sources count), and a partly covered sample counts its uncovered share', async () => {
  await upload(healthExport(WALK), `?source=${encodeURIComponent('Xiao Ming’s iPhone,Xiao Ming’s Apple Watch')}`);
  expect(await day()).toBe(3300 + 2000);
  u = await p.createUser();
  await upload(healthExport(WALK), `?source=${encodeURIComponent('Xiao Ming’s Apple Watch')}`);
  expect(await day()).toBe(4600);
  // A watch sample 08:30–08:50 half covered by a phone sample 08:30–08:40 preferred: half of its 1,000 steps count.
  u = await p.createUser();
  await upload(healthExport(sample('Phone', '08:30:00', '08:40:00', 700) + sample('Watch', '08:30:00', '08:50:00', 1000)), '?source=Phone,Watch');
  expect(await day()).toBe(700 + 500);
});

it('naming a source that is not in the file is a 400 listing the sources it has', async () => {
  const r = await upload(healthExport(WALK), '?source=Fitbit');
  expect(r.status).toBe(400);
  expect(r.body.error?.message).toContain('"Fitbit" is not a source in this file');
  expect(r.body.error?.message).toContain('"Xiao Ming’s Apple Watch" (4 samples)');
  expect(await day()).toBeUndefined();
});

it('samples of one source are never de-duplicated against each other, and an endDate before its startDate is an error', async () => {
  await upload(healthExport(sample('Phone', '08:00:00', '08:10:00', 100) + sample('Phone', '08:05:00', '08:15:00', 50)));
  expect(await day()).toBe(150);
  const bad = await upload(healthExport(sample('Phone', '08:10:00', '08:00:00', 100)));
  expect(bad.status).toBe(400);
  expect(bad.body.error?.message).toMatch(/line 3: endDate .* is not a date at or after startDate/);
});
