// POST /users/generate commits in chunks, each its own transaction, on a real file-backed SQLite store (and PostgreSQL): writes made
// meanwhile get through between two chunks, the reply says how it was split, and a failing chunk undoes the others.
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startFileTestPlatform, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { createScaleOutPlace, scaleOutServers, warnScaleOutSkipped } from '../helpers/scale-out-servers.js';

const servers = scaleOutServers();
if (!servers) warnScaleOutSkipped('a generate that fails part-way on PostgreSQL');

interface Generated {
  created: number;
  chunks: number;
  chunkSize: number;
  users: { id: string; nickname: string }[];
}

let p: TestPlatform | undefined;
afterEach(async () => {
  await p?.close();
  p = undefined;
});

const fileStore = async (): Promise<{ platform: TestPlatform; file: string }> => {
  const platform = await startFileTestPlatform();
  p = platform;
  return { platform, file: platform.file };
};

/** Every user's nickname in creation order, following the pages. */
const nicknamesInOrder = async (platform: TestPlatform): Promise<string[]> => {
  const nicknames: string[] = [];
  let cursor = '';
  do {
    const page = await platform.control<{ users: { nickname: string }[]; nextCursor?: string }>('GET', `/users?limit=1000${cursor}`);
    nicknames.push(...page.body.users.map((u) => u.nickname));
    cursor = page.body.nextCursor ? `&cursor=${page.body.nextCursor}` : '';
  } while (cursor);
  return nicknames;
};

it('a write sent while a 10k generate runs is answered and committed between two of its chunks, before its reply', async () => {
  const { platform, file } = await fileStore();
  const order: string[] = [];
  let replied = false;
  const generate = platform.control<Generated>('POST', '/users/generate', { count: 10_000, days: 60 }).then((r) => {
    replied = true;
    order.push('generate');
    return r;
  });
  // The generate has started once its first chunk is visible (readers see chunks committed before the reply).
  while (!replied && (await platform.control<{ users: unknown[] }>('GET', '/users?limit=1')).body.users.length === 0);
  order.push('started');
  const written = await platform.createUser({ nickname: 'between' });
  order.push('written');
  // Committed: another connection to the file (which sees only committed transactions) finds it.
  const outside = new Database(file, { readonly: true });
  const committed = outside.prepare('SELECT count(*) AS n FROM users WHERE id = ?').get(written.id) as { n: number };
  outside.close();
  order.push(committed.n === 1 ? 'committed' : 'not committed');
  const reply = await generate;
  expect(order).toEqual(['started', 'written', 'committed', 'generate']);
  expect(reply.status).toBe(201);
  expect(reply.body).toMatchObject({ created: 10_000, chunkSize: 833, chunks: 13 });
  // In creation order the write sits between two chunks of the generate, never inside one.
  const nicknames = await nicknamesInOrder(platform);
  expect(nicknames).toHaveLength(10_001);
  const at = nicknames.indexOf('between');
  expect(at % reply.body.chunkSize).toBe(0);
  expect(at).toBeGreaterThan(0);
  expect(at).toBeLessThan(10_000);
});

it('the reply says how the generate was split: chunks of at most 1000 users, smaller for long histories', async () => {
  const { platform } = await fileStore();
  const small = await platform.control<Generated>('POST', '/users/generate', { count: 25, days: 10 });
  expect(small.body).toMatchObject({ created: 25, chunks: 1, chunkSize: 1000 });
  const none = await platform.control<Generated>('POST', '/users/generate', { count: 2500, days: 0 });
  expect(none.body).toMatchObject({ created: 2500, chunks: 3, chunkSize: 1000 });
  expect(none.body.users).toHaveLength(2500);
  const long = await platform.control<Generated>('POST', '/users/generate', { count: 100, days: 3660 });
  expect(long.body).toMatchObject({ created: 100, chunks: 8, chunkSize: 13 });
  const doc = await platform.request<{ paths: Record<string, { post: { responses: Record<string, { content: Record<string, { schema: { properties: Record<string, unknown> } }> }> } }> }>(
    'GET', '/openrun/openapi.json',
  );
  const reply = doc.body.paths['/openrun/control/v1/users/generate']!.post.responses['201']!.content['application/json']!.schema;
  expect(Object.keys(reply.properties)).toEqual(expect.arrayContaining(['created', 'chunks', 'chunkSize', 'users']));
});

it('a generate whose second chunk fails leaves none of its users, histories or models, and answers the error', async () => {
  const { platform, file } = await fileStore();
  const kept = await platform.createUser({ nickname: 'kept' });
  await platform.control('POST', `/users/${kept.id}/steps/generate`, { seed: 1, days: 5 });
  const db = new Database(file);
  const count = (sql: string): number => (db.prepare(sql).get() as { n: number }).n;
  const keptSteps = count('SELECT count(*) AS n FROM steps');
  expect(keptSteps).toBeGreaterThan(0);
  // A real failure inside the store: from the 1501st user on, the insert aborts (the second chunk of 1000).
  db.exec(`CREATE TABLE test_deleted (id TEXT NOT NULL);
    CREATE TRIGGER test_fail_late BEFORE INSERT ON users WHEN (SELECT count(*) FROM users) >= 1501
      BEGIN SELECT RAISE(ABORT, 'injected failure'); END;
    CREATE TRIGGER test_log_delete AFTER DELETE ON users BEGIN INSERT INTO test_deleted VALUES (OLD.id); END;`);
  const failed = await platform.control<{ error?: { code: string } }>('POST', '/users/generate', { count: 3000, days: 31 });
  expect(failed.status).toBeGreaterThanOrEqual(500);
  expect(failed.body.error).toBeDefined();
  // The first chunk was committed and then deleted again: its 1000 users went through the delete.
  expect(count('SELECT count(*) AS n FROM test_deleted')).toBe(1000);
  expect(count('SELECT count(*) AS n FROM users')).toBe(1);
  expect(count('SELECT count(*) AS n FROM steps')).toBe(keptSteps);
  expect(count('SELECT count(*) AS n FROM step_models')).toBe(1);
  expect(await nicknamesInOrder(platform)).toEqual(['kept']);
  db.exec('DROP TRIGGER test_fail_late; DROP TRIGGER test_log_delete; DROP TABLE test_deleted;');
  db.close();
  const again = await platform.control<Generated>('POST', '/users/generate', { count: 3000, days: 31 });
  expect(again.body).toMatchObject({ created: 3000, chunks: 3 });
});

describe.skipIf(!servers)('on PostgreSQL + Redis', () => {
  it('a generate whose second chunk fails leaves none of its users there either', async () => {
    const place = await createScaleOutPlace(servers!);
    const admin = new pg.Client({ connectionString: place.postgresUrl });
    try {
      p = await startTestPlatform({ memory: false, postgresUrl: place.postgresUrl, redisUrl: place.redisUrl });
      await admin.connect();
      await admin.query(`CREATE TABLE test_deleted (id text NOT NULL);
        CREATE FUNCTION test_fail_late() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN IF (SELECT count(*) FROM users) >= 1500 THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$;
        CREATE FUNCTION test_log_delete() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN INSERT INTO test_deleted VALUES (OLD.id); RETURN OLD; END $$;
        CREATE TRIGGER test_fail_late BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION test_fail_late();
        CREATE TRIGGER test_log_delete AFTER DELETE ON users FOR EACH ROW EXECUTE FUNCTION test_log_delete();`);
      const failed = await p.control('POST', '/users/generate', { count: 3000, days: 31 });
      expect(failed.status).toBeGreaterThanOrEqual(500);
      const count = async (table: string): Promise<number> => (await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
      expect(await count('test_deleted')).toBe(1000);
      expect(await count('users')).toBe(0);
      expect(await count('steps')).toBe(0);
      expect(await count('step_models')).toBe(0);
      await admin.query('DROP TRIGGER test_fail_late ON users');
      const again = await p.control<Generated>('POST', '/users/generate', { count: 1500, days: 0 });
      expect(again.body).toMatchObject({ created: 1500, chunks: 2, chunkSize: 1000 });
    } finally {
      await admin.end();
      await p?.close();
      p = undefined;
      await place.drop();
    }
  });
});
