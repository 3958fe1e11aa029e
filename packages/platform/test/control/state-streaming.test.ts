import { afterEach, expect, it } from 'vitest';
import { accessToken, loginAndExchange, startFileTestPlatform, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const exportText = async (platform: TestPlatform): Promise<string> => (await fetch(`${platform.baseUrl}/openrun/control/v1/export`)).text();
const importText = (platform: TestPlatform, text: string) =>
  platform.request<{ imported?: Record<string, number>; error?: { code: string; message: string } }>('POST', '/openrun/control/v1/import', text, {
    'content-type': 'application/json',
  });

it('a state larger than the body limit is exported as a stream and imported back from one', async () => {
  p = await startTestPlatform({ bodyLimit: 64 * 1024 });
  await p.freezeClock('2026-05-01T02:00:00Z');
  const wx = await p.createApp({ platform: 'weapp', cloud: true });
  expect((await p.control('POST', '/users/generate', { count: 400, days: 31 })).status).toBe(201);
  const ann = await p.createUser({ nickname: 'Ann' });
  await loginAndExchange(p, wx, ann);
  await accessToken(p, wx);
  await p.runtime(ann.deviceToken, 'POST', `/apps/${wx.appid}/werun`);
  const first = await exportText(p);
  expect(first.length).toBeGreaterThan(4 * 64 * 1024);
  // An ordinary JSON body of that size is refused, so the import really streams.
  expect((await p.control('POST', '/apps', { platform: 'weapp', name: 'x'.repeat(70 * 1024) })).status).toBe(413);
  expect((await p.control('POST', '/reset')).status).toBe(204);
  const r = await importText(p, first);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.imported).toMatchObject({ app: 1, user: 401, appUser: 1, loginCode: 1, accessToken: 1, cloudId: 1 });
  expect(await exportText(p)).toBe(first);
  // Old exports (one compact line, written by the earlier whole-document route) have the same format.
  expect(JSON.parse(first)).toMatchObject({ format: 'openrun-state', version: 1, users: expect.any(Array) });
});

it('an import that fails late (a duplicate near the end) changes nothing and names the record', async () => {
  p = await startTestPlatform();
  await p.freezeClock('2026-05-01T02:00:00Z');
  await p.createApp({ platform: 'weapp' });
  await p.control('POST', '/users/generate', { count: 50, days: 3 });
  const before = await exportText(p);
  const doc = JSON.parse(before) as { users: { id: string; deviceToken: string }[] };
  const dup = structuredClone(doc);
  dup.users.push({ ...dup.users[3]!, deviceToken: 'another-token' });
  const r = await importText(p, JSON.stringify(dup));
  expect(r.status).toBe(400);
  expect(r.body.error).toMatchObject({ code: 'OR_ERR_CONTROL_IMPORT_INVALID', message: expect.stringContaining(`users[50].id: "${doc.users[3]!.id}" appears twice`) });
  const cut = await importText(p, before.slice(0, before.length - 200));
  expect(cut.status).toBe(400);
  expect(cut.body.error!.message).toMatch(/cut off|not valid JSON/);
  const extra = await importText(p, JSON.stringify({ ...JSON.parse(before), extra: 1 }));
  expect(extra.status).toBe(400);
  expect(extra.body.error!.message).toContain('unknown field "extra"');
  expect(await exportText(p)).toBe(before);
});

it('requests are answered while a large generate runs; a write made meanwhile lands between two of its chunks', async () => {
  p = await startFileTestPlatform();
  const order: string[] = [];
  // Turns of the event loop while the generate runs: bulk work yields between slices instead of holding the loop.
  let turns = 0;
  let generating = true;
  const tick = (): void => {
    turns++;
    if (generating) setImmediate(tick);
  };
  setImmediate(tick);
  const generate = p.control<{ created: number; chunkSize: number }>('POST', '/users/generate', { count: 10_000, days: 60 }).then((r) => {
    generating = false;
    order.push('generate');
    return r;
  });
  await new Promise((r) => setTimeout(r, 50));
  const clock = await p.control('GET', '/clock');
  order.push('clock');
  const users = await p.control<{ users: unknown[] }>('GET', '/users');
  order.push('users');
  const created = p.createUser({ nickname: 'during' }).then((u) => {
    order.push('write');
    return u;
  });
  expect(clock.status).toBe(200);
  expect(users.status).toBe(200);
  const reply = await generate;
  expect(reply.body.created).toBe(10_000);
  await created;
  expect(order.slice(0, 2)).toEqual(['clock', 'users']);
  expect(turns).toBeGreaterThan(10);
  // Each chunk of the generate is one transaction: a write made meanwhile comes before, after or between chunks in
  // creation order, never inside one.
  const nicknames: string[] = [];
  let page = await p.control<{ users: { nickname: string }[]; nextCursor?: string }>('GET', '/users?limit=1000');
  nicknames.push(...page.body.users.map((u) => u.nickname));
  while (page.body.nextCursor) {
    page = await p.control('GET', `/users?limit=1000&cursor=${page.body.nextCursor}`);
    nicknames.push(...page.body.users.map((u) => u.nickname));
  }
  expect(nicknames).toHaveLength(10_001);
  expect(nicknames.indexOf('during') % reply.body.chunkSize).toBe(0);
});

it('requests are answered while an export streams, and the export is the state when it started', async () => {
  p = await startFileTestPlatform();
  await p.control('POST', '/users/generate', { count: 3000, days: 31 });
  const res = await fetch(`${p.baseUrl}/openrun/control/v1/export`);
  const reader = res.body!.getReader();
  const head = await reader.read();
  expect(head.done).toBe(false);
  // The export is not finished (nobody reads it), yet the platform answers and writes.
  expect((await p.control('GET', '/clock')).status).toBe(200);
  const late = await p.createUser({ nickname: 'late' });
  let text = new TextDecoder().decode(head.value);
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    text += new TextDecoder().decode(next.value);
  }
  const doc = JSON.parse(text) as { users: { id: string }[] };
  expect(doc.users).toHaveLength(3000);
  expect(doc.users.some((u) => u.id === late.id)).toBe(false);
});
