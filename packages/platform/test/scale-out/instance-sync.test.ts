/**
 * Instances in step over Redis pub/sub (stores/redis/instance-sync.ts, docs/shared-state.md "Hearing changes"): an
 * instance in step reads no clock from Redis, yet the clock and the faults changed on A are what B answers from at its
 * very next request; an instance whose subscription is killed falls back to reading per request and stays correct;
 * one that is frozen (SIGSTOP) or killed holds a control call no longer than its lease, and a frozen one answers
 * correctly when it thaws. Token, cloudID and durable-record invalidation across instances is in two-instances.test.ts.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestApp, type TestPlatform } from '../helpers/platform.js';
import { createScaleOutPlace, scaleOutServers, startCliInstance, warnScaleOutSkipped, type ScaleOutPlace } from '../helpers/scale-out-servers.js';

const servers = scaleOutServers();
if (!servers) warnScaleOutSkipped('the pub/sub instance tests');

type Clock = { nowMs: number; frozen: boolean };

describe.skipIf(!servers)('instances in step over pub/sub', () => {
  let place: ScaleOutPlace;
  let redis: Redis;
  let a: TestPlatform;
  let b: TestPlatform;
  let aId: string;
  let bId: string;
  let app: TestApp;
  /** Clock reads (`HMGET <prefix>clock`) sent by clients, counted while a MONITOR runs. */
  let clockReads = 0;
  let monitor: Awaited<ReturnType<Redis['monitor']>> | undefined;

  const leases = async (): Promise<string[]> => redis.zrange(`${place.redisPrefix}instances`, 0, -1);
  /** The lease of an instance started after the ones in `known`. */
  const newLease = async (known: string[]): Promise<string> => {
    for (let i = 0; i < 200; i++) {
      const fresh = (await leases()).filter((id) => !known.includes(id));
      if (fresh.length === 1) return fresh[0]!;
      await new Promise((done) => setTimeout(done, 25));
    }
    throw new Error(`no new lease appeared (leases ${(await leases()).join(', ')}; known ${known.join(', ')})`);
  };
  const clockOn = async (p: { baseUrl: string }): Promise<Clock> =>
    (await (await fetch(`${p.baseUrl}/openrun/control/v1/clock`)).json()) as Clock;
  /** Waits until a batch of requests to `p` reads no clock from Redis (the instance is in step again). */
  const inStep = async (p: TestPlatform): Promise<void> => {
    for (let i = 0; i < 100; i++) {
      const before = clockReads;
      for (let j = 0; j < 10; j++) await clockOn(p);
      if (clockReads === before) return;
      await new Promise((done) => setTimeout(done, 50));
    }
    throw new Error('the instance did not get in step');
  };

  beforeAll(async () => {
    place = await createScaleOutPlace(servers!);
    redis = new Redis(servers!.redisUrl);
    const options = { memory: false, postgresUrl: place.postgresUrl, redisUrl: place.redisUrl };
    a = await startTestPlatform(options);
    aId = await newLease([]);
    b = await startTestPlatform(options);
    bId = await newLease([aId]);
    app = await a.createApp({ platform: 'weapp' });
    monitor = await redis.monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // Scripts read the clock too (source "lua"); only a request's own read counts.
      if (source !== 'lua' && args[0]?.toLowerCase() === 'hmget' && args[1] === `${place.redisPrefix}clock`) clockReads++;
    });
  });
  afterAll(async () => {
    monitor?.disconnect();
    await a?.close();
    await b?.close();
    redis?.disconnect();
    await place?.drop();
  });

  it('B in step reads no clock from Redis, and sees every clock set, advance, freeze and thaw on A at its very next request', async () => {
    await inStep(b);
    const before = clockReads;
    let at = Date.UTC(2026, 5, 1, 4);
    for (let i = 0; i < 40; i++) {
      at += 3_600_000;
      expect((await a.control('PUT', '/clock', { now: new Date(at).toISOString(), frozen: true })).status).toBe(200);
      expect(await clockOn(b)).toMatchObject({ nowMs: at, frozen: true });
      expect((await a.control('POST', '/clock/advance', { seconds: 7 })).status).toBe(200);
      expect(await clockOn(b)).toMatchObject({ nowMs: at + 7000, frozen: true });
      expect((await a.control('PUT', '/clock', { frozen: false })).status).toBe(200);
      const running = await clockOn(b);
      expect(running.frozen).toBe(false);
      expect(running.nowMs).toBeGreaterThanOrEqual(at + 7000);
      at = running.nowMs;
    }
    // Nothing in this loop needed a clock read from Redis: both instances stayed in step.
    expect(clockReads).toBe(before);
  });

  it('a times: 1 fault added on A fires exactly once across A and B, every time', async () => {
    await a.freezeClock('2026-06-01T04:00:00Z');
    for (let i = 0; i < 15; i++) {
      expect((await a.control('POST', '/faults', { route: 'GET /sns/jscode2session', errcode: -1, times: 1 })).status).toBe(201);
      const path = `/sns/jscode2session?appid=${app.appid}&secret=${app.secret}&js_code=nope&grant_type=authorization_code`;
      const replies = await Promise.all([b, a, b, a].map((p) => p.request<{ errcode: number }>('GET', path)));
      expect(replies.filter((r) => r.body.errcode === -1)).toHaveLength(1);
    }
    await b.control('DELETE', '/faults');
  });

  it("B whose subscriber connection is killed falls back to reading per request, stays correct, and gets in step again", async () => {
    await inStep(b);
    const list = await redis.client('LIST') as string;
    const line = list.split('\n').find((l) => l.includes(` name=openrun-sync-${bId} `));
    expect(line).toBeDefined();
    const id = /\bid=(\d+)/.exec(line!)![1]!;
    expect(await redis.client('KILL', 'ID', id)).toBe(1);
    const at = Date.UTC(2026, 7, 1, 4);
    expect((await a.control('PUT', '/clock', { now: new Date(at).toISOString(), frozen: true })).status).toBe(200);
    const before = clockReads;
    expect(await clockOn(b)).toMatchObject({ nowMs: at, frozen: true });
    expect((await a.control('POST', '/clock/advance', { seconds: 60 })).status).toBe(200);
    expect(await clockOn(b)).toMatchObject({ nowMs: at + 60_000, frozen: true });
    // It read the clock from Redis meanwhile (it was not in step), and its subscriber connection is back.
    expect(clockReads).toBeGreaterThan(before);
    await inStep(b);
    expect((await a.control('POST', '/clock/advance', { seconds: 1 })).status).toBe(200);
    expect(await clockOn(b)).toMatchObject({ nowMs: at + 61_000, frozen: true });
  });

  it('a frozen (SIGSTOP) instance holds a control call no longer than its lease, and answers correctly when it thaws; a killed one neither holds it', async () => {
    const known = [aId, bId];
    const c = await startCliInstance(place);
    try {
      const cId = await newLease(known);
      await clockOn(c);
      c.signal('SIGSTOP');
      const at = Date.UTC(2026, 8, 1, 4);
      // Returns once C's lease ran out (C no longer trusts its copy), and C's lease is then gone.
      expect((await a.control('PUT', '/clock', { now: new Date(at).toISOString(), frozen: true })).status).toBe(200);
      expect(await leases()).not.toContain(cId);
      expect(await clockOn(b)).toMatchObject({ nowMs: at, frozen: true });
      c.signal('SIGCONT');
      expect(await clockOn(c)).toMatchObject({ nowMs: at, frozen: true });
      await newLease(known);
      await c.kill9();
      expect((await a.control('POST', '/clock/advance', { seconds: 5 })).status).toBe(200);
      expect(await leases()).not.toContain(cId);
      expect(await clockOn(b)).toMatchObject({ nowMs: at + 5000, frozen: true });
    } finally {
      c.signal('SIGCONT');
      await c.kill9();
    }
  }, 30_000);
});
