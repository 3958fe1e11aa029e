import { afterEach, beforeEach, expect, it } from 'vitest';
import { accessToken, loginCode, startTestPlatform, type TestPlatform } from '../helpers/platform.js';

let p: TestPlatform;
beforeEach(async () => {
  p = await startTestPlatform();
});
afterEach(() => p.close());

interface UserPage {
  users: { id: string; nickname: string; deviceToken: string }[];
  nextCursor?: string;
}

async function generate(count: number, nickname?: string): Promise<string[]> {
  const r = await p.control<{ users: { id: string }[] }>('POST', '/users/generate', { count, days: 0, ...(nickname ? { nickname } : {}) });
  expect(r.status).toBe(201);
  return r.body.users.map((u) => u.id);
}

it('GET /users pages in creation order; users added while paging come once, at the end, and the last page has no cursor', async () => {
  const first = await generate(5);
  const seen: string[] = [];
  let page = (await p.control<UserPage>('GET', '/users?limit=2')).body;
  const added: string[] = [];
  while (true) {
    seen.push(...page.users.map((u) => u.id));
    if (!page.nextCursor) break;
    expect(page.users).toHaveLength(2);
    if (added.length < 3) added.push(...(await generate(1)));
    page = (await p.control<UserPage>('GET', `/users?limit=2&cursor=${page.nextCursor}`)).body;
  }
  expect(seen).toEqual([...first, ...added]);
  expect((await p.control<UserPage>('GET', '/users')).body).toEqual({ users: expect.any(Array) });
  expect((await p.control<UserPage>('GET', '/users')).body.users).toHaveLength(8);
});

it('the default page holds 100 users and a page at most 1000', async () => {
  await generate(1001);
  const page = (await p.control<UserPage>('GET', '/users')).body;
  expect(page.users).toHaveLength(100);
  expect(page.nextCursor).toEqual(expect.any(String));
  const big = (await p.control<UserPage>('GET', '/users?limit=1000')).body;
  expect(big.users).toHaveLength(1000);
  const rest = (await p.control<UserPage>('GET', `/users?limit=1000&cursor=${big.nextCursor}`)).body;
  expect(rest.users).toHaveLength(1);
  expect(rest.nextCursor).toBeUndefined();
});

it('q= finds users by id, nickname or device-token prefix, and pages through the matches', async () => {
  const ids = await generate(3, 'runner');
  await generate(4, 'hiker');
  const alice = await p.createUser({ nickname: 'alice' });
  const byNickname = (await p.control<UserPage>('GET', '/users?q=hik&limit=3')).body;
  expect(byNickname.users.map((u) => u.nickname.split('-')[0])).toEqual(['hiker', 'hiker', 'hiker']);
  const restHikers = (await p.control<UserPage>('GET', `/users?q=hik&limit=3&cursor=${byNickname.nextCursor}`)).body;
  expect(restHikers.users).toHaveLength(1);
  expect(restHikers.nextCursor).toBeUndefined();
  expect((await p.control<UserPage>('GET', `/users?q=${ids[1]}`)).body.users.map((u) => u.id)).toEqual([ids[1]]);
  expect((await p.control<UserPage>('GET', `/users?q=${alice.deviceToken.slice(0, -2)}`)).body.users.map((u) => u.id)).toEqual([alice.id]);
  expect((await p.control<UserPage>('GET', '/users?q=alice')).body.users.map((u) => u.id)).toEqual([alice.id]);
  expect((await p.control<UserPage>('GET', '/users?q=ALIce')).body.users.map((u) => u.id)).toEqual([alice.id]);
  // Ids and device tokens are exact-case.
  expect((await p.control<UserPage>('GET', `/users?q=${ids[1]!.toUpperCase()}`)).body.users).toEqual([]);
  expect((await p.control<UserPage>('GET', `/users?q=${alice.deviceToken.slice(0, -2).toUpperCase()}`)).body.users).toEqual([]);
  expect((await p.control<UserPage>('GET', '/users?q=zzz')).body).toEqual({ users: [] });
});

it('a bad limit, a foreign or forged cursor, or a cursor of another query is a 400 that says what to do', async () => {
  await generate(3);
  const page = (await p.control<UserPage>('GET', '/users?limit=1')).body;
  const refuse = async (path: string, text: string) => {
    const r = await p.control<{ error: { message: string } }>('GET', path);
    expect(r.status, path).toBe(400);
    expect(r.body.error.message, path).toContain(text);
  };
  await refuse('/users?limit=0', 'limit must be a whole number from 1 to 1000');
  await refuse('/users?limit=1001', 'limit must be a whole number from 1 to 1000');
  await refuse('/users?limit=ten', 'limit');
  await refuse('/users?offset=10', 'additional properties');
  await refuse('/users?cursor=not-a-cursor', 'cursor is not a nextCursor of users');
  await refuse(`/users?q=walker&cursor=${page.nextCursor}`, 'cursor was made for other filters');
  await refuse(`/requests?cursor=${page.nextCursor}`, 'cursor is not a nextCursor of requests');
  const forged = Buffer.from(JSON.stringify(['users', '', 'x'])).toString('base64url');
  expect((await p.control<UserPage>('GET', `/users?cursor=${forged}`)).body).toEqual({ users: [] });
});

it('GET /apps/{appid}/users pages in order of first login', async () => {
  const wx = await p.createApp({ platform: 'weapp' });
  const users = await Promise.all([1, 2, 3].map(() => p.createUser()));
  for (const u of users) await loginCode(p, wx, u);
  const first = await p.control<{ appUsers: { userId: string }[]; nextCursor?: string }>('GET', `/apps/${wx.appid}/users?limit=2`);
  const second = await p.control<{ appUsers: { userId: string }[]; nextCursor?: string }>('GET', `/apps/${wx.appid}/users?limit=2&cursor=${first.body.nextCursor}`);
  expect([...first.body.appUsers, ...second.body.appUsers].map((u) => u.userId)).toEqual(users.map((u) => u.id));
  expect(second.body.nextCursor).toBeUndefined();
  const other = await p.createApp({ platform: 'weapp' });
  expect((await p.control('GET', `/apps/${other.appid}/users?cursor=${first.body.nextCursor}`)).status).toBe(400);
});

it('GET /live pages each kind soonest expiry first, up to limit of each per page', async () => {
  await p.freezeClock('2026-05-01T02:00:00Z');
  const wx = await p.createApp({ platform: 'weapp' });
  const u = await p.createUser();
  const codes: string[] = [];
  for (let i = 0; i < 5; i++) codes.push(await loginCode(p, wx, u));
  await p.advance(1);
  codes.push(await loginCode(p, wx, u));
  await accessToken(p, wx);
  type Live = { loginCodes: { code: string }[]; accessTokens: unknown[]; cloudIds: unknown[]; nextCursor?: string };
  const pages: Live[] = [(await p.control<Live>('GET', '/live?limit=2')).body];
  while (pages.at(-1)!.nextCursor) pages.push((await p.control<Live>('GET', `/live?limit=2&cursor=${pages.at(-1)!.nextCursor}`)).body);
  expect(pages.map((pg) => [pg.loginCodes.length, pg.accessTokens.length])).toEqual([[2, 1], [2, 0], [2, 0]]);
  const listed = pages.flatMap((pg) => pg.loginCodes.map((c) => c.code));
  expect(listed.slice(0, 5).sort()).toEqual(codes.slice(0, 5).sort());
  expect(listed[5]).toBe(codes[5]);
});

it('GET /requests pages newest first; entries logged meanwhile do not shift the next page', async () => {
  const wx = await p.createApp({ platform: 'weapp' });
  for (let i = 0; i < 5; i++) await accessToken(p, wx);
  type Log = { requests: { seq: number }[]; nextCursor?: string };
  const first = (await p.control<Log>('GET', '/requests?limit=2')).body;
  await accessToken(p, wx);
  const second = (await p.control<Log>('GET', `/requests?limit=2&cursor=${first.nextCursor}`)).body;
  const third = (await p.control<Log>('GET', `/requests?limit=2&cursor=${second.nextCursor}`)).body;
  expect([...first.requests, ...second.requests, ...third.requests].map((e) => e.seq)).toEqual([5, 4, 3, 2, 1]);
  expect(third.nextCursor).toBeUndefined();
  const route = encodeURIComponent('GET /cgi-bin/token');
  expect((await p.control('GET', `/requests?route=${route}&cursor=${first.nextCursor}`)).status).toBe(400);
});

it('GET /functions/calls takes limit and cursor and the OpenAPI document lists the paging parameters', async () => {
  expect((await p.control('GET', '/functions/calls?limit=5')).body).toEqual({ functions: [], calls: [] });
  expect((await p.control('GET', '/functions/calls?limit=5000')).status).toBe(400);
  const doc = await p.request<{ paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> }>('GET', '/openrun/openapi.json');
  const params = (path: string) => (doc.body.paths[`/openrun/control/v1${path}`]!.get!.parameters ?? []).filter((x) => x.in === 'query').map((x) => x.name);
  expect(params('/users')).toEqual(['limit', 'cursor', 'q']);
  for (const path of ['/apps/{appid}/users', '/live', '/requests', '/functions/calls']) expect(params(path), path).toEqual(expect.arrayContaining(['limit', 'cursor']));
});

it('q= finds a rare match anywhere in a large store on the first page, by any of its three prefixes', async () => {
  const early = await p.createUser({ nickname: 'Zoë Early' });
  await generate(10_000);
  await generate(10_000);
  await generate(5_000);
  const zoe = await p.createUser({ nickname: 'Zoe Late' });
  const found = async (q: string) => (await p.control<UserPage>('GET', `/users?q=${encodeURIComponent(q)}`)).body;
  expect(await found('zoe')).toEqual({ users: [expect.objectContaining({ id: zoe.id, nickname: 'Zoe Late' })] });
  expect(await found('ZOE L')).toEqual({ users: [expect.objectContaining({ id: zoe.id })] });
  expect(await found('zoë')).toEqual({ users: [expect.objectContaining({ id: early.id })] });
  expect(await found(zoe.deviceToken.slice(0, 14))).toEqual({ users: [expect.objectContaining({ id: zoe.id })] });
  expect(await found(zoe.id)).toEqual({ users: [expect.objectContaining({ id: zoe.id })] });
  // Matches by several prefixes come once each, in creation order, and page by cursor.
  const first = (await p.control<UserPage>('GET', `/users?q=z&limit=1`)).body;
  expect(first.users.map((u) => u.id)).toEqual([early.id]);
  const second = (await p.control<UserPage>('GET', `/users?q=z&limit=1&cursor=${first.nextCursor}`)).body;
  expect(second).toEqual({ users: [expect.objectContaining({ id: zoe.id })] });
});

it('a prefix that very many users share is looked for in creation order, a bounded window per page', async () => {
  await generate(10_000);
  await generate(10_000);
  await generate(5_000);
  // Every generated nickname starts with "walker": the first page is the first 100 users, and paging goes on by cursor.
  const all = (await p.control<UserPage>('GET', '/users?limit=100')).body;
  const first = (await p.control<UserPage>('GET', '/users?q=WALKER&limit=100')).body;
  expect(first.users.map((u) => u.id)).toEqual(all.users.map((u) => u.id));
  const second = (await p.control<UserPage>('GET', `/users?q=WALKER&limit=100&cursor=${first.nextCursor}`)).body;
  expect(second.users).toHaveLength(100);
  expect(second.users[0]!.id).not.toBe(first.users[99]!.id);
});
