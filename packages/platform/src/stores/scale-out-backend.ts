/**
 * The scale-out backend: PostgreSQL for the durable store, Redis for the ephemeral one, shared by any number of
 * platform instances. Opening checks both servers (each within a few seconds, naming host:port without the password
 * and the cause), migrates PostgreSQL, and guards every store call so that an outage fails fast with
 * StoreUnavailableError, logged once per outage.
 *
 * A whole-state import spans both servers, so it commits in PostgreSQL first: one transaction replaces the durable
 * records and records the ephemeral part, numbered, as pending; the Redis part is then applied by one script that
 * skips an import already applied, and the pending record is removed. An instance that dies in between leaves the
 * pending record, which every instance applies within a second (and at start), so the state converges to the new one.
 */
import { Redis } from 'ioredis';
import type pg from 'pg';
import { cacheDurableReads } from './durable-read-cache.js';
import { createPostgresPool, migratePostgres } from './postgres/database.js';
import { createPostgresDurableStore } from './postgres/durable-store.js';
import { createRedisEphemeralStore } from './redis/ephemeral-store.js';
import { createScaleOutStateStore } from './scale-out-state-store.js';
import type { EphemeralStore } from './ephemeral-store.js';
import type { StoreBackend } from './store-backend.js';
import type { EphemeralImport } from './state-snapshot.js';
import { createOutageGuard, describeCause, isNetworkError, type OutageListener } from './store-unavailable.js';

/** How the scale-out backend is reached. */
export interface ScaleOutOptions {
  postgresUrl: string;
  redisUrl: string;
  /** Hears outages (start and end), once each. */
  outages: OutageListener;
  /** How often pending imports are looked for. Default 1000 ms. */
  recoverEveryMs?: number;
}

/** A URL as it may be shown: scheme, user, host:port and path, never the password. */
export function redactUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(a URL that does not parse)';
  }
}

/** host:port of a URL, with the scheme's default port. */
function hostPort(raw: string, defaultPort: number): string {
  const u = new URL(raw);
  return `${u.hostname || 'localhost'}:${u.port || defaultPort}`;
}

/** Checks a URL's scheme; throws a message that says what is expected. */
function parseUrl(raw: string, what: string, schemes: string[]): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new Error(`[openrun] the ${what} URL is malformed: expected ${schemes[0]}//user:password@host:port/...`);
  }
  if (!schemes.includes(u.protocol)) {
    throw new Error(`[openrun] the ${what} URL ${redactUrl(raw)} must start with ${schemes.join(' or ')}//`);
  }
  return u;
}

const PG_OUTAGE = /Connection terminated|connection timeout|timeout exceeded when trying to connect|terminating connection|Client has encountered a connection error|the database system is (starting up|shutting down)|Connection refused/i;
const PG_OUTAGE_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);
/** True for a PostgreSQL failure that means "the server is not reachable now". */
export function isPostgresOutage(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return isNetworkError(error) || (typeof code === 'string' && PG_OUTAGE_CODES.has(code)) || PG_OUTAGE.test(String((error as Error)?.message));
}
const REDIS_OUTAGE = /Stream isn't writeable|Connection is closed|enableOfflineQueue|MaxRetriesPerRequest|LOADING/i;
/** True for a Redis failure that means "the server is not reachable now". */
export function isRedisOutage(error: unknown): boolean {
  return isNetworkError(error) || REDIS_OUTAGE.test(String((error as Error)?.message));
}

async function connectRedis(url: string): Promise<Redis> {
  const where = `Redis at ${hostPort(url, 6379)}`;
  const redis = new Redis(url, {
    lazyConnect: true,
    // Fail fast during an outage instead of queueing requests; reconnect in the background forever.
    enableOfflineQueue: false,
    autoResendUnfulfilledCommands: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 5000,
    // Commands issued in the same tick by concurrent requests share one round trip.
    enableAutoPipelining: true,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  let lastError: unknown;
  redis.on('error', (err: unknown) => {
    lastError = err;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    const cause = describeCause(lastError ?? error);
    const hint = /NOAUTH|WRONGPASS/i.test(cause) ? ' — the server needs a password: put it in the URL (redis://:password@host:port)' : '';
    throw new Error(`[openrun] cannot use ${where}: ${cause}${hint}`);
  }
  return redis;
}

async function connectPostgres(url: string): Promise<pg.Pool> {
  const where = `PostgreSQL at ${hostPort(url, 5432)}`;
  const pool = createPostgresPool(url);
  try {
    await migratePostgres(pool, `the PostgreSQL database ${redactUrl(url)}`);
  } catch (error) {
    await pool.end().catch(() => undefined);
    const cause = describeCause(error);
    if (/schema version/.test(cause)) throw error;
    const code = (error as { code?: string }).code;
    const hint =
      code === '28P01' || code === '28000' ? ' — check the user and password in the URL' :
      code === '42501' ? ' — the user needs permission to create tables in this database (or run OpenRun once as its owner)' :
      code === '3D000' ? ' — create the database first (createdb) or name an existing one' : '';
    throw new Error(`[openrun] cannot use ${where}: ${cause}${hint}`);
  }
  return pool;
}

/** Opens the scale-out backend; throws a message naming host:port and the cause when a server cannot be used. */
export async function openScaleOutBackend(options: ScaleOutOptions): Promise<StoreBackend> {
  const pgUrl = parseUrl(options.postgresUrl, 'PostgreSQL', ['postgres:', 'postgresql:']);
  const redisUrl = parseUrl(options.redisUrl, 'Redis', ['redis:', 'rediss:']);
  const [pool, redis] = await Promise.allSettled([connectPostgres(options.postgresUrl), connectRedis(options.redisUrl)]).then(async (r) => {
    const failed = r.filter((x): x is PromiseRejectedResult => x.status === 'rejected');
    if (failed.length > 0) {
      if (r[0].status === 'fulfilled') await r[0].value.end().catch(() => undefined);
      if (r[1].status === 'fulfilled') r[1].value.disconnect();
      throw failed[0]!.reason;
    }
    return [(r[0] as PromiseFulfilledResult<pg.Pool>).value, (r[1] as PromiseFulfilledResult<Redis>).value] as const;
  });
  // The prefix keeps several OpenRun states apart on one Redis: the URL's path beyond the db number, e.g. /0/teamA.
  const prefix = `openrun:${decodeURIComponent(redisUrl.pathname.split('/').slice(2).join('/')) || 'default'}:`;
  const rawDurable = createPostgresDurableStore(pool);
  const rawEphemeral = createRedisEphemeralStore(redis, prefix);
  const guardPg = createOutageGuard('PostgreSQL', isPostgresOutage, options.outages);
  const guardRedis = createOutageGuard('Redis', isRedisOutage, options.outages);
  const ephemeral = guardRedis<EphemeralStore>(rawEphemeral);
  const guardedPg = guardPg({ run: <T>(work: () => Promise<T>) => work() });
  const guardedRedis = guardRedis({ run: <T>(work: () => Promise<T>) => work() });
  // Single-record reads are served from this instance's memory while the durable version read with the clock holds.
  const durable = cacheDurableReads(guardPg(rawDurable), {
    current: () => rawEphemeral.versions()?.durable,
    forget: () => rawEphemeral.forgetDurable(),
    bump: () => guardedRedis.run(() => rawEphemeral.bumpDurable()),
  });

  /** Applies every pending import to Redis, oldest first, and forgets it. */
  const applyPending = async (): Promise<void> => {
    const pending = (await guardedPg.run(() =>
      pool.query<{ id: number; snapshot: EphemeralImport }>('SELECT id, snapshot FROM pending_ephemeral_import ORDER BY id'),
    )).rows;
    for (const p of pending) {
      await guardedRedis.run(() => rawEphemeral.applyImport(p.id, p.snapshot));
      await guardedPg.run(() => pool.query('DELETE FROM pending_ephemeral_import WHERE id = $1', [p.id]));
    }
  };
  await applyPending();
  await guardedRedis.run(() => rawEphemeral.seedVersions());
  const state = createScaleOutStateStore({
    pool,
    redis: rawEphemeral,
    pg: (work) => guardedPg.run(work),
    redisRun: (work) => guardedRedis.run(work),
    async applyPending(id, snapshot) {
      await guardedRedis.run(() => rawEphemeral.applyImport(id, snapshot));
      await guardedPg.run(() => pool.query('DELETE FROM pending_ephemeral_import WHERE id = $1', [id]));
    },
  });
  let recovering = false;
  const recover = setInterval(() => {
    if (recovering) return;
    recovering = true;
    applyPending()
      .catch(() => undefined)
      .finally(() => {
        recovering = false;
      });
  }, options.recoverEveryMs ?? 1000);
  recover.unref();

  return {
    kind: 'postgres+redis',
    description: `PostgreSQL ${hostPort(pgUrl.href, 5432)}${pgUrl.pathname} + Redis ${hostPort(redisUrl.href, 6379)} (keys ${prefix}*)`,
    durable,
    ephemeral,
    state,
    async reset() {
      await ephemeral.reset();
      await durable.reset();
    },
    async close() {
      clearInterval(recover);
      await rawEphemeral.close();
      redis.disconnect();
      await pool.end();
    },
  };
}
