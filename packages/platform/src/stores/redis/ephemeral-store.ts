/**
 * The ephemeral store on Redis (`ioredis`): shared by every instance of a scale-out platform. Every change that must be
 * atomic is one Lua script (scripts.ts); plain reads are single commands. Layout under the prefix P:
 * `code:<code>`, `token:<token>`, `cloudid:<id>`, `counter:<key>` hold records (with their virtual expiry inside and a
 * garbage-collection TTL); the sorted sets `codes`, `tokens`, `cloudids`, `counters` index them by expiry;
 * `tokens:<appid>:<kind>` and `latest:<appid>:<kind>` serve issue-and-supersede; `clock`, `faults` + `fault:<id>`,
 * `requests` and `functioncalls` hold the shared operational state.
 */
import type { Redis } from 'ioredis';
import type { EphemeralStore } from '../ephemeral-store.js';
import { faultNumber } from '../fault-chance.js';
import type {
  AccessTokenRecord, CloudIdRecord, FaultAction, FaultRule, FunctionCallRecord, RequestLogEntry,
} from '../records.js';
import { pageOf, type Page, type PageRequest } from '../page.js';
import type { EphemeralImport, EphemeralSnapshot, LoginCodeSnapshot } from '../state-snapshot.js';
import { startInstanceSync, type ObservedVersions, type SyncTiming } from './instance-sync.js';
import { createScriptRunner } from './run-script.js';
import * as S from './scripts.js';
import type { RedisScript } from './scripts.js';

export type { ObservedVersions } from './instance-sync.js';

/** How long a record outlives its virtual expiry before Redis may drop it: the day "expired" is told from "unknown", plus a week. */
export const REDIS_GC_GRACE_MS = (24 + 7 * 24) * 3600 * 1000;

const str = (n: number | null | undefined): string => (n === null || n === undefined ? '' : String(n));
const num = (s: string | null | undefined): number | null => (s === null || s === undefined || s === '' ? null : Number(s));
const byKey = <T>(key: (t: T) => string) => (a: T, b: T): number => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

type FaultReply = [string, string, string, string, string, string];
const toFault = (r: FaultReply): FaultRule => {
  const times = num(r[3]);
  const probability = num(r[4]);
  return {
    id: r[0], route: r[1], action: JSON.parse(r[2]) as FaultAction,
    ...(times !== null ? { times } : {}), ...(probability !== null ? { probability } : {}), uses: Number(r[5]),
  };
};
const toToken = (token: string, h: Record<string, string>): AccessTokenRecord => ({
  token, appid: h.appid!, kind: h.kind as AccessTokenRecord['kind'], issuedAt: Number(h.issuedAt), expiresAt: Number(h.expiresAt),
  supersededUntil: num(h.supersededUntil),
});

/** How long versions read with the clock (while the instance is not in step over pub/sub) vouch for the caches. */
export const VERSIONS_VOUCH_MS = 1000;
/** Most records one cache holds (it is emptied beyond). */
const CACHE_LIMIT = 20_000;

/** A record cached at one version. */
interface Cached<T> {
  version: string;
  record: T;
}

/** The Redis ephemeral store, with the export and import steps the scale-out backend drives. */
export interface RedisEphemeralStore extends EphemeralStore {
  /** This instance's id in the pub/sub protocol (instance-sync.ts). */
  readonly instanceId: string;
  /**
   * The versions that vouch for the caches now: the copy kept in step over pub/sub, or else those of the last clock
   * read, if it was less than VERSIONS_VOUCH_MS ago.
   */
  versions(): Readonly<ObservedVersions> | undefined;
  /** Moves the durable records' version: every instance drops its cached durable records at its next clock read. */
  bumpDurable(): Promise<void>;
  /** Forgets the durable version read last (a change here is under way). */
  forgetDurable(): void;
  /** Gives the versions that do not exist yet (a new store) their first value. */
  seedVersions(): Promise<void>;
  /** Every code, token, cloudID and counter, the indexes read at one instant (what an export pages through). */
  readAll(): Promise<EphemeralSnapshot>;
  /**
   * Applies import number `seq` unless it (or a later one) was applied already (`''`: the next number); true when
   * applied now.
   */
  applyImport(seq: number | '', snapshot: EphemeralImport): Promise<boolean>;
  /** Gives up this instance's lease and closes its subscription (before the client is closed). */
  close(): Promise<void>;
}

/** Creates the store on a connected client; every key starts with `prefix`. */
export function createRedisEphemeralStore(redis: Redis, prefix: string, timing?: SyncTiming): RedisEphemeralStore {
  const P = prefix;
  const runScript = createScriptRunner(redis, P, REDIS_GC_GRACE_MS);
  const sync = startInstanceSync(redis, P, runScript, timing);
  /** Runs a script; one that moved the clock or a version returns once every instance holding a lease has the change. */
  const run = async <T>(s: RedisScript, ...args: (string | number)[]): Promise<T> => {
    const change = sync.begin();
    const reply = await runScript<T>(s, args, sync.id, change.n);
    if (reply.leases) await sync.settle(change, reply.leases);
    return reply.result;
  };
  const hashes = async (keys: string[]): Promise<(Record<string, string> | undefined)[]> => {
    if (keys.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const k of keys) pipeline.hgetall(k);
    const results = (await pipeline.exec()) ?? [];
    return results.map(([err, h]) => {
      if (err) throw err;
      const record = h as Record<string, string>;
      return Object.keys(record).length === 0 ? undefined : record;
    });
  };
  const strings = async (keys: string[]): Promise<(string | null)[]> => (keys.length === 0 ? [] : redis.mget(...keys));

  // What the last clock read said (caches are used only while it vouches), and the caches it validates.
  let observed: ObservedVersions | undefined;
  let observedAt = 0;
  const fresh = (): ObservedVersions | undefined =>
    sync.current()?.versions ?? (observed && Date.now() - observedAt < VERSIONS_VOUCH_MS ? observed : undefined);
  const forget = (...which: (keyof ObservedVersions)[]): void => {
    if (observed) for (const w of which) observed[w] = undefined;
  };
  const ALL: (keyof ObservedVersions)[] = ['faults', 'tokens', 'cloudIds', 'durable'];
  /**
   * Runs a change that moves the versions `which`: they are forgotten before it is sent and again when it is done,
   * so that a clock read answered in between cannot vouch for what the change replaced.
   */
  const changing = async <T>(which: (keyof ObservedVersions)[], work: () => Promise<T>): Promise<T> => {
    forget(...which);
    try {
      return await work();
    } finally {
      forget(...which);
    }
  };
  /** The routes of every fault rule at one version: a take for another route cannot apply while it holds. */
  let faultRoutes: Cached<Set<string>> | undefined;
  const tokenCache = new Map<string, Cached<AccessTokenRecord>>();
  const cloudIdCache = new Map<string, Cached<CloudIdRecord>>();
  /** Reads a record through `cache` while the version `which` vouches for it. */
  const cachedRead = async <T extends object>(
    cache: Map<string, Cached<T>>, which: 'tokens' | 'cloudIds', key: string, load: () => Promise<T | undefined>,
  ): Promise<T | undefined> => {
    const version = fresh()?.[which];
    if (version !== undefined) {
      const hit = cache.get(key);
      if (hit && hit.version === version) return hit.record;
    }
    const record = await load();
    // Kept only when no change was seen meanwhile (the version it was read at still holds).
    if (record && version !== undefined && fresh()?.[which] === version) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, { version, record: Object.freeze(record) });
    }
    return record;
  };

  const codesOf = async (codes: string[]): Promise<LoginCodeSnapshot[]> =>
    (await hashes(codes.map((c) => `${P}code:${c}`))).flatMap((h, i) =>
      h ? [{ code: codes[i]!, appid: h.appid!, userId: h.userId!, expiresAt: Number(h.expiresAt), used: h.used === '1' }] : [],
    );
  const tokensOf = async (tokens: string[]): Promise<AccessTokenRecord[]> =>
    (await hashes(tokens.map((t) => `${P}token:${t}`))).flatMap((h, i) => (h ? [toToken(tokens[i]!, h)] : []));
  const cloudIdsOf = async (ids: string[]): Promise<CloudIdRecord[]> =>
    (await strings(ids.map((id) => `${P}cloudid:${id}`))).flatMap((json) => (json ? [JSON.parse(json) as CloudIdRecord] : []));

  /**
   * A page of an expiry index after the position "expiresAt:key" (as the SQLite store writes it): members expiring
   * after `now`, by expiry then key, that `keep` accepts.
   */
  const livePage = async <T extends { expiresAt: number }>(
    index: string, now: number, request: PageRequest, load: (keys: string[]) => Promise<T[]>, keyOf: (t: T) => string,
    keep: (t: T) => boolean,
  ): Promise<Page<T>> => {
    const m = request.after === undefined ? undefined : /^(\d{1,16}):([\s\S]*)$/.exec(request.after);
    if (request.after !== undefined && !m) return { items: [] };
    const afterAt = m ? Number(m[1]) : undefined;
    const afterKey = m ? m[2]! : '';
    const out: T[] = [];
    const batch = Math.max(request.limit + 1, 100);
    const from = afterAt === undefined || afterAt <= now ? `(${now}` : String(afterAt);
    for (let offset = 0; out.length <= request.limit; offset += batch) {
      const keys = await redis.zrangebyscore(index, from, '+inf', 'LIMIT', offset, batch);
      for (const r of await load(keys)) {
        if (afterAt !== undefined && (r.expiresAt < afterAt || (r.expiresAt === afterAt && keyOf(r) <= afterKey))) continue;
        if (r.expiresAt > now && keep(r)) out.push(r);
      }
      if (keys.length < batch) break;
    }
    return pageOf(out, request.limit, (r) => r, (r) => `${r.expiresAt}:${keyOf(r)}`);
  };

  const store: RedisEphemeralStore = {
    async putLoginCode(c) {
      await run(S.PUT_CODE, c.code, c.appid, c.userId, c.expiresAt);
    },
    async takeLoginCode(code, appid, now) {
      const [status, userId] = await run<[string, string?]>(S.TAKE_CODE, code, appid, now);
      return status === 'ok' ? { status: 'ok', userId: userId! } : { status: status as 'used' | 'invalid' };
    },
    async takeLoginCodeCounted(code, appid, now, counter) {
      const [status, userId, count] = await run<[string, string?, number?]>(
        S.TAKE_CODE_COUNTED, code, appid, now, counter.before, counter.after, counter.expiresAt);
      return status === 'ok' ? { status: 'ok', userId: userId!, count: Number(count) } : { status: status as 'used' | 'invalid' };
    },
    async issueAccessToken(t, previousValidUntil) {
      await changing(['tokens'], () =>
        run(S.ISSUE_TOKEN, t.token, t.appid, t.kind, t.issuedAt, t.expiresAt, str(t.supersededUntil), previousValidUntil));
    },
    async getAccessToken(token) {
      return cachedRead(tokenCache, 'tokens', token, async () => (await tokensOf([token]))[0]);
    },
    async latestAccessToken(appid, kind) {
      const token = await redis.get(`${P}latest:${appid}:${kind}`);
      return token === null ? undefined : (await tokensOf([token]))[0];
    },
    async issueCloudId(record) {
      await run(S.PUT_CLOUD_ID, record.cloudId, JSON.stringify(record), record.expiresAt);
    },
    async getCloudId(cloudId) {
      return cachedRead(cloudIdCache, 'cloudIds', cloudId, async () => (await cloudIdsOf([cloudId]))[0]);
    },
    async incrementCounter(key, expiresAt) {
      return Number(await run<number>(S.INCREMENT, key, expiresAt));
    },
    async listLiveLoginCodes(now, request) {
      return livePage(`${P}codes`, now, request, codesOf, (c) => c.code, () => true);
    },
    async listLiveAccessTokens(now, request) {
      return livePage(`${P}tokens`, now, request, tokensOf, (t) => t.token, (t) => t.supersededUntil === null || t.supersededUntil > now);
    },
    async listLiveCloudIds(now, request) {
      return livePage(`${P}cloudids`, now, request, cloudIdsOf, (c) => c.cloudId, () => true);
    },
    async getClock() {
      // In step over pub/sub: the copy is the stored clock, nothing to read.
      const synced = sync.current();
      if (synced) return { ...synced.clock };
      // Otherwise one command reads the clock and the versions that vouch for this instance's caches until the next read.
      let reply: (string | null)[];
      try {
        reply = await redis.hmget(`${P}clock`, 'offset', 'frozenAt', 'fv', 'tv', 'cv', 'dv');
      } catch (error) {
        observed = undefined;
        throw error;
      }
      const [offset, frozenAt, fv, tv, cv, dv] = reply;
      observed = { faults: fv ?? undefined, tokens: tv ?? undefined, cloudIds: cv ?? undefined, durable: dv ?? undefined };
      observedAt = Date.now();
      return { offsetMs: num(offset) ?? 0, frozenAt: num(frozenAt) };
    },
    async setClock(clock) {
      await run(S.SET_CLOCK, String(Math.round(clock.offsetMs)), str(clock.frozenAt));
    },
    async advanceClock(ms) {
      const [offset, frozenAt] = await run<[string, string]>(S.ADVANCE_CLOCK, Math.round(ms));
      return { offsetMs: Number(offset), frozenAt: num(frozenAt) };
    },
    async addFault(rule) {
      return toFault(await changing(['faults'], () =>
        run<FaultReply>(S.ADD_FAULT, rule.route, JSON.stringify(rule.action), str(rule.times), str(rule.probability))));
    },
    async listFaults() {
      return (await run<FaultReply[]>(S.LIST_FAULTS)).map(toFault);
    },
    async removeFault(id) {
      return Number(await changing(['faults'], () => run<number>(S.REMOVE_FAULT, id))) === 1;
    },
    async clearFaults() {
      await changing(['faults'], () => run(S.CLEAR_FAULTS));
    },
    async takeFault(operation, random) {
      // No rule names this route at the version the clock read: nothing to take, and nothing to count.
      const version = fresh()?.faults;
      if (version !== undefined && faultRoutes?.version === version && !faultRoutes.record.has(operation)) return undefined;
      const [at, reply, ...routes] = await run<[string, FaultReply | 0, ...string[]]>(S.TAKE_FAULT, operation, random);
      faultRoutes = { version: at, record: new Set(routes) };
      return reply ? toFault(reply) : undefined;
    },
    async appendRequests(entries, capacity) {
      if (entries.length === 0) return;
      await run(S.APPEND_REQUESTS, capacity, ...entries.map((e) => JSON.stringify(e)));
    },
    async listRequests(filter) {
      const raw = await redis.lrange(`${P}requests`, 0, -1);
      const out: RequestLogEntry[] = [];
      for (let i = raw.length - 1; i >= 0 && out.length < (filter.limit ?? Infinity); i--) {
        const line = raw[i]!;
        const tab = line.indexOf('\t');
        const e = { seq: Number(line.slice(0, tab)), ...(JSON.parse(line.slice(tab + 1)) as Omit<RequestLogEntry, 'seq'>) };
        if (filter.beforeSeq !== undefined && e.seq >= filter.beforeSeq) continue;
        if (filter.route !== undefined && e.route !== filter.route) continue;
        if (filter.status !== undefined && e.status !== filter.status) continue;
        if (filter.since !== undefined && e.at < filter.since) continue;
        if (filter.until !== undefined && e.at >= filter.until) continue;
        out.push(e);
      }
      return out;
    },
    async clearRequests() {
      await redis.del(`${P}requests`);
    },
    async appendFunctionCall(call, capacity) {
      const seq = await redis.incr(`${P}functioncalls:seq`);
      const record: FunctionCallRecord = { seq, ...call };
      await redis.multi().lpush(`${P}functioncalls`, JSON.stringify(record)).ltrim(`${P}functioncalls`, 0, capacity - 1).exec();
    },
    async listFunctionCalls() {
      return (await redis.lrange(`${P}functioncalls`, 0, -1)).map((json) => JSON.parse(json) as FunctionCallRecord);
    },
    async purgeExpired(before, limit) {
      return Number(await changing(['tokens', 'cloudIds'], () => run<number>(S.PURGE, before, limit)));
    },
    async reset() {
      await changing(ALL, () => run(S.RESET));
    },
    versions: fresh,
    async bumpDurable() {
      await changing(['durable'], () => run(S.BUMP, 'dv'));
    },
    forgetDurable: () => forget('durable'),
    async seedVersions() {
      await run(S.SEED_VERSIONS);
    },
    async readAll(): Promise<EphemeralSnapshot> {
      // One MULTI reads every index at one instant; the records are then read by key.
      const [codes, order, cloudIds, counters] = ((await redis
        .multi()
        .zrange(`${P}codes`, 0, -1)
        .zrange(`${P}tokens:order`, 0, -1)
        .zrange(`${P}cloudids`, 0, -1)
        .zrange(`${P}counters`, 0, -1)
        .exec()) ?? []).map(([, v]) => v as string[]);
      const counterHashes = await hashes(counters!.map((k) => `${P}counter:${k}`));
      return {
        loginCodes: (await codesOf(codes!)).sort(byKey((c) => c.code)),
        accessTokens: await tokensOf(order!),
        cloudIds: (await cloudIdsOf(cloudIds!)).sort(byKey((c) => c.cloudId)),
        counters: counters!
          .flatMap((key, i) => {
            const h = counterHashes[i];
            return h ? [{ key, value: Number(h.value), expiresAt: Number(h.expiresAt) }] : [];
          })
          .sort(byKey((c) => c.key)),
      };
    },
    applyImport: (seq, snapshot) => applyImport(seq, snapshot),
    instanceId: sync.id,
    close: () => sync.close(),
  };

  async function applyImport(seq: number | '', s: EphemeralImport): Promise<boolean> {
    const doc = {
        codes: s.loginCodes.map((c) => [c.code, c.appid, c.userId, String(c.expiresAt), c.used ? '1' : '0']),
        tokens: s.accessTokens.map((t) => [t.token, t.appid, t.kind, String(t.issuedAt), String(t.expiresAt), str(t.supersededUntil)]),
        cloudIds: s.cloudIds.map((c) => [c.cloudId, JSON.stringify(c), String(c.expiresAt)]),
        counters: s.counters.map((c) => [c.key, String(c.value), String(c.expiresAt)]),
        faults: s.faults.map((f) => [f.id, f.route, JSON.stringify(f.action), str(f.times), str(f.probability), String(f.uses)]),
        faultseq: String(Math.max(0, ...s.faults.map((f) => faultNumber(f.id)))),
        clock: [String(Math.round(s.clock.offsetMs)), str(s.clock.frozenAt)],
    };
    return Number(await changing(ALL, () => run<number>(S.IMPORT, seq, JSON.stringify(doc)))) === 1;
  }
  return store;
}
