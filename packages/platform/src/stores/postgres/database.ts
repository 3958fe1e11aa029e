/**
 * Connects to PostgreSQL (a `pg` pool) and brings the schema to the current version in one transaction, under an
 * advisory lock so that instances starting together migrate once. A database written by a newer OpenRun is refused.
 */
import pg from 'pg';
import { pendingMigrations } from '../schema-version.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';

/** The schema version this OpenRun writes. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.length;

/** bigint (int8) columns hold epoch milliseconds and counters, all well inside a double's exact range. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** An arbitrary fixed key for the migration lock. */
const MIGRATION_LOCK = 0x6f70656e72756e;

/** Opens a pool on `url`; fails fast (a few seconds) when the server is unreachable. */
export function createPostgresPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types: TYPES, max: 10, connectionTimeoutMillis: 3000, idleTimeoutMillis: 10_000 });
  // An idle client losing its server must not crash the process; the next query reports the outage.
  pool.on('error', () => undefined);
  return pool;
}

/** Migrates the database behind `pool` (named `where` in messages) to the current schema; refuses a newer one. */
export async function migratePostgres(pool: pg.Pool, where: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS openrun_schema (version integer NOT NULL)');
    const rows = (await client.query<{ version: number }>('SELECT version FROM openrun_schema')).rows;
    const found = rows[0]?.version ?? 0;
    const pending = pendingMigrations(POSTGRES_MIGRATIONS, found, where);
    for (const m of pending) await client.query(m.step);
    if (rows.length === 0) await client.query('INSERT INTO openrun_schema VALUES ($1)', [POSTGRES_SCHEMA_VERSION]);
    else if (pending.length > 0) await client.query('UPDATE openrun_schema SET version = $1', [POSTGRES_SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Runs `work` in one transaction on one client of `pool`. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
