// A private place on the machine's PostgreSQL and Redis for one bench run: its own schema and Redis key prefix, and
// a drop that removes both, so benches never touch the tests' or each other's state.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

/** Creates schema `<prefix>_<random>` and returns the URLs that point OpenRun at it, and `drop()`. */
export async function createScaleOutPlace(pgAdmin, redisBase, prefix) {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdmin });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  const postgresUrl = new URL(pgAdmin);
  postgresUrl.searchParams.set('options', `-c search_path=${schema}`);
  const redisUrl = new URL(redisBase);
  redisUrl.pathname = `/0/${schema}`;
  return {
    postgresUrl: postgresUrl.toString(),
    redisUrl: redisUrl.toString(),
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
      const redis = new Redis(redisBase);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `openrun:${schema}:*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}
