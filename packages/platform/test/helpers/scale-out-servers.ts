/**
 * Test helpers for the scale-out backend: where the test PostgreSQL and Redis are (OPENRUN_TEST_POSTGRES_URL,
 * OPENRUN_TEST_REDIS_URL, set by .ci/run), and a private place on them per test — a fresh PostgreSQL schema and a
 * fresh Redis key prefix, both random and removed afterwards — since several test runs share the servers.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
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

/** An `openrun start` process on the scale-out place (the CLI's built bin), killed by the test. */
export interface CliInstance {
  baseUrl: string;
  /** SIGKILL, then waits for the exit. */
  kill9(): Promise<void>;
  /** Sends a signal (SIGSTOP / SIGCONT freeze and thaw the process). */
  signal(signal: NodeJS.Signals): void;
}

/** Starts `openrun start --no-seed` on `place` and resolves once it listens. */
export async function startCliInstance(place: ScaleOutPlace): Promise<CliInstance> {
  const bin = resolve(__dirname, '../../../cli/bin/openrun.js');
  const child = spawn(process.execPath, [bin, 'start', '--port', '0', '--no-seed', '--postgres', place.postgresUrl, '--redis', place.redisUrl], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  const lines: string[] = [];
  child.stderr!.on('data', (d: Buffer) => lines.push(d.toString()));
  const baseUrl = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`openrun start printed no banner: ${lines.join('\n')}`));
    }, 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        done(m[1]!);
      }
    });
  });
  return {
    baseUrl,
    async kill9() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
    signal(signal) {
      if (child.exitCode === null) child.kill(signal);
    },
  };
}

/** Waits (up to 15 s) until a session of `place` is running an `INSERT INTO <table>`; true when it was seen. */
export async function waitForInsert(servers: { postgresUrl: string }, place: ScaleOutPlace, table: string): Promise<boolean> {
  const watcher = new pg.Client({ connectionString: servers.postgresUrl });
  await watcher.connect();
  try {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const r = await watcher.query("SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND query LIKE $2 AND state = 'active'", [
        place.name, `INSERT INTO ${table}%`,
      ]);
      if (r.rowCount! > 0) return true;
    }
    return false;
  } finally {
    await watcher.end();
  }
}
