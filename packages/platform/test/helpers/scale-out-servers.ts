/**
 * Test helpers for the scale-out backend: where the test PostgreSQL and Redis are (OPENRUN_TEST_POSTGRES_URL,
 * OPENRUN_TEST_REDIS_URL, set by .ci/run), and a private place on them per test — a fresh PostgreSQL schema and a
 * fresh Redis key prefix, both random and removed afterwards — since several test runs share the servers.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/** The test servers, or undefined (with the reason) when they are not configured. */
export function scaleOutServers(): { postgresUrl: string; redisUrl: string } | undefined {
  const postgresUrl = process.env.OPENRUN_TEST_POSTGRES_URL?.trim();
  const redisUrl = process.env.OPENRUN_TEST_REDIS_URL?.trim();
  if (!postgresUrl || !redisUrl) return undefined;
  return { postgresUrl, redisUrl };
}

/** Says loudly, once per file, that the PostgreSQL + Redis cases did not run. */
export function warnScaleOutSkipped(what: string): void {
  const missing = ['OPENRUN_TEST_POSTGRES_URL', 'OPENRUN_TEST_REDIS_URL'].filter((v) => !process.env[v]?.trim());
  console.warn(
    `\n*** SKIPPED: ${what} on PostgreSQL + Redis — ${missing.join(' and ')} not set. ` +
      '.ci/run sets them; locally e.g. OPENRUN_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test OPENRUN_TEST_REDIS_URL=redis://127.0.0.1:6379 ***\n',
  );
}

/** A private schema + key prefix on the test servers. */
export interface ScaleOutPlace {
  postgresUrl: string;
  redisUrl: string;
  /** The Redis key prefix the backend will use. */
  redisPrefix: string;
  /** The schema name (also the PostgreSQL application_name of the backend's sessions). */
  name: string;
  /** Drops the schema and deletes the keys. */
  drop(): Promise<void>;
}

/** Creates a fresh schema and prefix. */
export async function createScaleOutPlace(servers: { postgresUrl: string; redisUrl: string }): Promise<ScaleOutPlace> {
  const name = `openrun_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: servers.postgresUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${name}`);
  await admin.end();
  const pgUrl = new URL(servers.postgresUrl);
  pgUrl.searchParams.set('options', `-c search_path=${name}`);
  // Lets a test find this place's sessions in pg_stat_activity.
  pgUrl.searchParams.set('application_name', name);
  const redisUrl = new URL(servers.redisUrl);
  redisUrl.pathname = `/0/${name}`;
  const redisPrefix = `openrun:${name}:`;
  return {
    postgresUrl: pgUrl.toString(),
    redisUrl: redisUrl.toString(),
    redisPrefix,
    name,
    async drop() {
      const a = new pg.Client({ connectionString: servers.postgresUrl });
      await a.connect();
      await a.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await a.end();
      const redis = new Redis(servers.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${redisPrefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
