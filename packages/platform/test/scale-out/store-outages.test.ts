/**
 * Outages of the scale-out servers. The platform reaches PostgreSQL and Redis through TCP relays that this test stops
 * and restarts (the real servers are shared, so they keep running): while a server is away, requests fail fast with
 * -1 on the developer API and 503 OR_ERR_STORE_UNAVAILABLE on OpenRun's APIs, the cause is logged once per outage,
 * and service resumes by itself when the server is back. A start with an unreachable server exits non-zero naming
 * host:port and the cause, never the password.
 */
import { spawnSync } from 'node:child_process';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { code2sessionPath, loginCode, startTestPlatform, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';
import { createScaleOutPlace, scaleOutServers, warnScaleOutSkipped, type ScaleOutPlace } from '../helpers/scale-out-servers.js';

const servers = scaleOutServers();
if (!servers) warnScaleOutSkipped('the store outage tests');

/** A TCP relay to `target` on a fixed local port that can be stopped (dropping every connection) and started again. */
interface Relay {
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

async function createRelay(targetHost: string, targetPort: number): Promise<Relay> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((done) => {
      server = createServer((client) => {
        const upstream = connect(targetPort, targetHost);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        done();
      });
    });
  const stop = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    server = undefined;
  };
  await listen();
  return { port, stop, start: listen, close: stop };
}

const through = (url: string, port: number, password?: string): string => {
  const u = new URL(url);
  u.hostname = '127.0.0.1';
  u.port = String(port);
  // The test PostgreSQL trusts loopback, so a password is accepted and must never show up in a log line.
  if (password) u.password = password;
  return u.toString();
};

describe.skipIf(!servers)('store outages', () => {
  let place: ScaleOutPlace;
  let pgRelay: Relay;
  let redisRelay: Relay;
  let p: TestPlatform;
  let app: TestApp;
  let user: TestUser;
  const log: string[] = [];

  beforeAll(async () => {
    place = await createScaleOutPlace(servers!);
    const pgUrl = new URL(place.postgresUrl);
    const redisUrl = new URL(place.redisUrl);
    pgRelay = await createRelay(pgUrl.hostname, Number(pgUrl.port || 5432));
    redisRelay = await createRelay(redisUrl.hostname, Number(redisUrl.port || 6379));
    p = await startTestPlatform(
      { memory: false, postgresUrl: through(place.postgresUrl, pgRelay.port, 'sekret'), redisUrl: through(place.redisUrl, redisRelay.port) },
      { logStream: { write: (line) => void log.push(line) } },
    );
    app = await p.createApp({ platform: 'weapp' });
    user = await p.createUser();
  });
  afterAll(async () => {
    await p?.close();
    await pgRelay?.close();
    await redisRelay?.close();
    await place?.drop();
  });

  const exchange = async () => p.request<{ errcode?: number; session_key?: string }>('GET', code2sessionPath(app, await loginCode(p, app, user)));
  const untilServed = async (): Promise<void> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const r = await p.control('GET', '/apps').catch(() => undefined);
      if (r?.status === 200) return;
      if (Date.now() > deadline) throw new Error('the platform did not resume');
      await new Promise((done) => setTimeout(done, 100));
    }
  };
  const outageLines = (store: string) => log.filter((l) => l.includes(`the ${store} store is unavailable`));

  it('Redis away: -1 and 503 OR_ERR_STORE_UNAVAILABLE, logged once; back: served again, logged once', async () => {
    expect((await exchange()).body.session_key).toBeTruthy();
    const code = await loginCode(p, app, user);
    await redisRelay.stop();
    const replies = await Promise.all(Array.from({ length: 10 }, () => p.request<{ errcode: number; errmsg: string }>('GET', code2sessionPath(app, code))));
    for (const r of replies) expect(r.body.errcode).toBe(-1);
    const control = await p.control<{ error: { code: string } }>('GET', '/clock');
    expect(control.status).toBe(503);
    expect(control.body.error.code).toBe('OR_ERR_STORE_UNAVAILABLE');
    const runtime = await p.runtime<{ error: { code: string } }>(user.deviceToken, 'POST', `/apps/${app.appid}/login`);
    expect(runtime.status).toBe(503);
    expect(outageLines('Redis')).toHaveLength(1);
    await redisRelay.start();
    await untilServed();
    // The code taken while Redis was away was never consumed: it still exchanges once.
    expect((await p.request<{ session_key?: string }>('GET', code2sessionPath(app, code))).body.session_key).toBeTruthy();
    expect(log.filter((l) => l.includes('the Redis store is available again'))).toHaveLength(1);
  });

  it('PostgreSQL away: -1 and 503 OR_ERR_STORE_UNAVAILABLE, logged once; back: served again', async () => {
    await pgRelay.stop();
    // An app this instance never read: a record it read less than a second ago may still be answered from its cache.
    const unread = code2sessionPath(app, 'any', { appid: 'wxffffffffffffffff' });
    const replies = await Promise.all(Array.from({ length: 5 }, () => p.request<{ errcode: number }>('GET', unread)));
    for (const r of replies) expect(r.body.errcode).toBe(-1);
    const apps = await p.control<{ error: { code: string } }>('GET', '/apps');
    expect(apps.status).toBe(503);
    expect(apps.body.error.code).toBe('OR_ERR_STORE_UNAVAILABLE');
    expect(outageLines('PostgreSQL')).toHaveLength(1);
    await pgRelay.start();
    await untilServed();
    expect((await exchange()).body.session_key).toBeTruthy();
  });

  it('no log line and no reply carries a password', () => {
    expect(log.join('\n')).not.toMatch(/sekret/);
  });

  it('openrun start with an unreachable server exits non-zero naming host:port and the cause, without the password', () => {
    const bin = resolve(__dirname, '../../../cli/bin/openrun.js');
    const run = spawnSync(
      process.execPath,
      [bin, 'start', '--port', '0', '--postgres', 'postgres://postgres:sekret@127.0.0.1:1/openrun', '--redis', servers!.redisUrl],
      { encoding: 'utf8', timeout: 25_000 },
    );
    expect(run.error).toBeUndefined();
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/cannot use PostgreSQL at 127\.0\.0\.1:1: connect ECONNREFUSED/);
    expect(run.stderr + run.stdout).not.toMatch(/sekret/);
  }, 30_000);
});
