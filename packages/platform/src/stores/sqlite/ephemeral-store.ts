/**
 * The ephemeral store on SQLite: codes, tokens, cloudIDs and counters with absolute expiry instants, and the shared
 * clock, fault rules and logs. Writes run in the IMMEDIATE transaction of the turn's group commit (group-commit.ts):
 * take-once is one statement, take-and-count, issue-and-supersede and fault takes are savepoints in it, so they stay
 * atomic when several processes open one file.
 */
import type { EphemeralStore } from '../ephemeral-store.js';
import { faultApplies, faultId, faultNumber, nextChance } from '../fault-chance.js';
import { pageOf } from '../page.js';
import type {
  AccessTokenRecord, ClockRecord, CloudIdRecord, FaultAction, FaultRule, NewFaultRule, NewFunctionCallRecord,
  NewRequestLogEntry, RequestLogEntry, TakeCountedLoginCodeResult, TakeLoginCodeResult, UserCounter,
} from '../records.js';
import type { LoginCodeSnapshot } from '../state-snapshot.js';
import type { StateTail } from '../state-store.js';
import type { SqliteHandle } from './bulk-work.js';
import type { SqliteDatabase } from './database.js';
import { keyTag } from './key-tag.js';

/** A row of `access_tokens`. */
export interface TokenRow {
  seq: number; tag: number; token: string; appid: string; kind: string; issued_at: number; expires_at: number; superseded_until: number | null;
}
/** A row of `login_codes`. */
export interface CodeRow {
  code: string; appid: string; user_id: string; expires_at: number; used: number;
}
/** A row of `cloud_ids`. */
export interface CloudIdRow {
  seq: number; tag: number; cloud_id: string; appid: string; openid: string; payload: string; expires_at: number;
}
interface FaultRow {
  seq: number; id: string; route: string; action: string; times: number | null; probability: number | null; uses: number;
}
interface RequestRow {
  seq: number; at: number; route: string; method: string; url: string; status: number; errcode: string | null;
  duration_ms: number; fault_id: string | null; request_body: string | null; response_body: string | null;
}
/** Converts a stored code. */
export const toCode = (r: CodeRow): LoginCodeSnapshot => ({ code: r.code, appid: r.appid, userId: r.user_id, expiresAt: r.expires_at, used: r.used === 1 });
/** Converts a stored cloudID. */
export const toCloudId = (r: CloudIdRow): CloudIdRecord => ({ cloudId: r.cloud_id, appid: r.appid, openid: r.openid, payload: r.payload, expiresAt: r.expires_at });
/** Converts a stored token. */
export const toToken = (r: TokenRow): AccessTokenRecord => ({
  token: r.token, appid: r.appid, kind: r.kind as AccessTokenRecord['kind'], issuedAt: r.issued_at, expiresAt: r.expires_at,
  supersededUntil: r.superseded_until,
});
const toFault = (r: FaultRow): FaultRule => ({
  id: r.id, route: r.route, action: JSON.parse(r.action) as FaultAction,
  ...(r.times !== null ? { times: r.times } : {}), ...(r.probability !== null ? { probability: r.probability } : {}), uses: r.uses,
});
const toRequest = (r: RequestRow): RequestLogEntry => ({
  seq: r.seq, at: r.at, route: r.route, method: r.method, url: r.url, status: r.status,
  errcode: r.errcode === null ? null : (JSON.parse(r.errcode) as number | string), durationMs: r.duration_ms, faultId: r.fault_id,
  requestBody: r.request_body, responseBody: r.response_body,
});

/** The ephemeral tables. */
export const EPHEMERAL_TABLES = ['login_codes', 'access_tokens', 'cloud_ids', 'counters'] as const;
/** Inserts a token (parameters: `tokenRowOf`). */
export const TOKEN_INSERT =
  'INSERT INTO access_tokens (tag, token, appid, kind, issued_at, expires_at, superseded_until) VALUES (@tag, @token, @appid, @kind, @issuedAt, @expiresAt, @supersededUntil)';
/**
 * Inserts a cloudID (parameters: `cloudIdParams`). Positional: binding six values by name from a spread copy of the
 * record cost more than the insert's own work on werun's path.
 */
export const CLOUD_ID_INSERT = 'INSERT INTO cloud_ids (tag, cloud_id, appid, openid, payload, expires_at) VALUES (?, ?, ?, ?, ?, ?)';
/** Finds a token by its text. */
export const TOKEN_SELECT = 'SELECT * FROM access_tokens WHERE tag = ? AND token = ?';
/** Finds a cloudID by its text. */
export const CLOUD_ID_SELECT = 'SELECT * FROM cloud_ids WHERE tag = ? AND cloud_id = ?';
/** The insert parameters of a token. */
export const tokenRowOf = (t: AccessTokenRecord): AccessTokenRecord & { tag: number } => ({ ...t, tag: keyTag(t.token) });
/** The insert parameters of a cloudID whose text has the tag `tag`. */
export const cloudIdParams = (c: CloudIdRecord, tag: number): CloudIdInsert => [tag, c.cloudId, c.appid, c.openid, c.payload, c.expiresAt];
/** What CLOUD_ID_INSERT binds. */
export type CloudIdInsert = [tag: number, cloudId: string, appid: string, openid: string, payload: string, expiresAt: number];
/** Upserts a counter. */
export const COUNTER_UPSERT = 'INSERT OR REPLACE INTO counters VALUES (?, ?, ?)';
/** Inserts a code with whether it was used. */
export const CODE_INSERT = 'INSERT INTO login_codes VALUES (?, ?, ?, ?, ?)';

/** A live-list position is "expiresAt:key"; a forged one lies after every record. */
function afterExpiry(after: string | undefined): [number, number, string] {
  if (after === undefined) return [-1, -1, ''];
  const m = /^(\d{1,16}):([\s\S]*)$/.exec(after);
  return m ? [Number(m[1]), Number(m[1]), m[2]!] : [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, ''];
}
const expiryPosition = (expiresAt: number, key: string): string => `${expiresAt}:${key}`;

/**
 * Replaces the fault rules (newest first) and sets the clock, on `conn` (a whole-state import's transaction); fault ids
 * handed out later continue past every imported one.
 */
export function writeStateTail(conn: SqliteDatabase, tail: StateTail): void {
  conn.prepare('DELETE FROM faults').run();
  const insert = conn.prepare('INSERT INTO faults (seq, id, route, action, times, probability, uses) VALUES (?, ?, ?, ?, ?, ?, ?)');
  // The list is newest first: the first rule gets the highest sequence number.
  tail.faults.forEach((rule, i) => {
    insert.run(tail.faults.length - i, rule.id, rule.route, JSON.stringify(rule.action), rule.times ?? null, rule.probability ?? null, rule.uses);
  });
  const seq = conn.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'fault_seq'").get();
  const highest = Math.max(Number(seq?.value ?? 0), ...tail.faults.map((r) => faultNumber(r.id)));
  conn.prepare("INSERT OR REPLACE INTO settings VALUES ('fault_seq', ?)").run(String(highest));
  conn.prepare('INSERT OR REPLACE INTO clock (id, offset_ms, frozen_at) VALUES (1, ?, ?)').run(tail.clock.offsetMs, tail.clock.frozenAt);
}

/** The clock and whether any fault rule exists, as last read, while the file's outside changes stay put. */
interface HotReads {
  clock?: ClockRecord;
  anyFault?: boolean;
  /** The handle's outsideChanges() when they were read. */
  outside: string;
}

/** Most tokens, and most cloudIDs, the read caches hold (each is emptied beyond). */
const READ_CACHE_LIMIT = 10_000;

/** The tokens and cloudIDs read while nothing else changed their tables. */
interface ReadCaches {
  /** The handle's outsideChanges() when they were made. */
  outside: string;
  tokens: Map<string, AccessTokenRecord>;
  cloudIds: Map<string, CloudIdRecord>;
}

/** Creates the SQLite ephemeral store on the handle shared with the durable store. */
export function createSqliteEphemeralStore(handle: SqliteHandle): EphemeralStore {
  const { db } = handle;
  const q = {
    putCode: db.prepare('INSERT INTO login_codes (code, appid, user_id, expires_at) VALUES (?, ?, ?, ?)'),
    getCode: db.prepare<[string], { appid: string; user_id: string; expires_at: number; used: number }>(
      'SELECT appid, user_id, expires_at, used FROM login_codes WHERE code = ?',
    ),
    // One statement takes a live code: the usual exchange needs no transaction of its own.
    useLiveCode: db.prepare<[string, string, number], { user_id: string }>(
      'UPDATE login_codes SET used = 1 WHERE code = ? AND appid = ? AND used = 0 AND expires_at > ? RETURNING user_id',
    ),
    // Two statements, each an index range on (appid, kind, superseded_until): only tokens still in force are visited.
    supersedeCurrent: db.prepare(
      'UPDATE access_tokens SET superseded_until = MIN(expires_at, ?) WHERE appid = ? AND kind = ? AND superseded_until IS NULL',
    ),
    supersedeOverlapping: db.prepare(
      'UPDATE access_tokens SET superseded_until = MIN(expires_at, ?) WHERE appid = ? AND kind = ? AND superseded_until > ?',
    ),
    insertToken: db.prepare(TOKEN_INSERT),
    getToken: db.prepare<[number, string], TokenRow>(TOKEN_SELECT),
    latestToken: db.prepare<[string, string], TokenRow>(
      'SELECT * FROM access_tokens WHERE appid = ? AND kind = ? ORDER BY issued_at DESC, rowid DESC LIMIT 1',
    ),
    putCloudId: db.prepare<CloudIdInsert>(CLOUD_ID_INSERT),
    getCloudId: db.prepare<[number, string], CloudIdRow>(CLOUD_ID_SELECT),
    liveCodes: db.prepare<[number, number, number, string, number], CodeRow>(
      `SELECT * FROM login_codes WHERE expires_at > ? AND (expires_at > ? OR (expires_at = ? AND code > ?))
       ORDER BY expires_at, code LIMIT ?`,
    ),
    liveTokens: db.prepare<[number, number, number, number, string, number], TokenRow>(
      `SELECT * FROM access_tokens WHERE expires_at > ? AND (superseded_until IS NULL OR superseded_until > ?)
       AND (expires_at > ? OR (expires_at = ? AND token > ?)) ORDER BY expires_at, token LIMIT ?`,
    ),
    liveCloudIds: db.prepare<[number, number, number, string, number], CloudIdRow>(
      `SELECT * FROM cloud_ids WHERE expires_at > ? AND (expires_at > ? OR (expires_at = ? AND cloud_id > ?))
       ORDER BY expires_at, cloud_id LIMIT ?`,
    ),
    // A counter keeps the expiry it was created with.
    increment: db.prepare<[string, number], { value: number }>(
      'INSERT INTO counters (key, value, expires_at) VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE SET value = value + 1 RETURNING value',
    ),
    getClock: db.prepare<[], { offset_ms: number; frozen_at: number | null }>('SELECT offset_ms, frozen_at FROM clock WHERE id = 1'),
    putClock: db.prepare('INSERT OR REPLACE INTO clock (id, offset_ms, frozen_at) VALUES (1, ?, ?)'),
    advanceClock: db.prepare(
      `UPDATE clock SET offset_ms = CASE WHEN frozen_at IS NULL THEN offset_ms + @ms ELSE offset_ms END,
       frozen_at = CASE WHEN frozen_at IS NULL THEN NULL ELSE frozen_at + @ms END WHERE id = 1`,
    ),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    putSetting: db.prepare('INSERT OR REPLACE INTO settings VALUES (?, ?)'),
    insertFault: db.prepare('INSERT INTO faults (seq, id, route, action, times, probability, uses) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    maxFaultSeq: db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM faults'),
    listFaults: db.prepare<[], FaultRow>('SELECT * FROM faults ORDER BY seq DESC'),
    faultsFor: db.prepare<[string], FaultRow>('SELECT * FROM faults WHERE route = ? ORDER BY seq DESC'),
    anyFaultFor: db.prepare<[string], { n: number }>('SELECT EXISTS (SELECT 1 FROM faults WHERE route = ?) AS n'),
    anyFault: db.prepare<[], { n: number }>('SELECT EXISTS (SELECT 1 FROM faults) AS n'),
    useFault: db.prepare('UPDATE faults SET uses = uses + 1 WHERE seq = ?'),
    removeFault: db.prepare('DELETE FROM faults WHERE id = ?'),
    insertRequest: db.prepare(
      `INSERT INTO request_log (at, route, method, url, status, errcode, duration_ms, fault_id, request_body, response_body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    trimRequests: db.prepare('DELETE FROM request_log WHERE seq <= (SELECT MAX(seq) FROM request_log) - ?'),
    insertCall: db.prepare('INSERT INTO function_calls (record) VALUES (?)'),
    trimCalls: db.prepare('DELETE FROM function_calls WHERE seq <= (SELECT MAX(seq) FROM function_calls) - ?'),
    listCalls: db.prepare<[], { seq: number; record: string }>('SELECT seq, record FROM function_calls ORDER BY seq DESC'),
  };

  const takeCode = (code: string, appid: string, now: number): TakeLoginCodeResult => {
    const taken = q.useLiveCode.get(code, appid, now);
    if (taken) return { status: 'ok', userId: taken.user_id };
    // Not taken, so nothing changed: why not is read after.
    const row = q.getCode.get(code);
    if (!row || row.appid !== appid) return { status: 'invalid' };
    if (row.used === 1) return { status: 'used' };
    return { status: 'invalid' };
  };

  const takeCounted = db.transaction((code: string, appid: string, now: number, counter: UserCounter): TakeCountedLoginCodeResult => {
    const taken = takeCode(code, appid, now);
    if (taken.status !== 'ok') return taken;
    return { ...taken, count: q.increment.get(`${counter.before}${taken.userId}${counter.after}`, counter.expiresAt)!.value };
  });

  const issueToken = db.transaction((token: AccessTokenRecord, previousValidUntil: number) => {
    q.supersedeOverlapping.run(previousValidUntil, token.appid, token.kind, previousValidUntil);
    q.supersedeCurrent.run(previousValidUntil, token.appid, token.kind);
    const row = tokenRowOf(token);
    // No unique index on the texts (key-tag.ts): the tag index finds an existing one.
    if (q.getToken.get(row.tag, row.token)) throw new Error('[openrun] an access token with this text was already issued');
    q.insertToken.run(row);
  });
  const putCloudId = (record: CloudIdRecord): void => {
    const tag = keyTag(record.cloudId);
    if (q.getCloudId.get(tag, record.cloudId)) throw new Error('[openrun] a cloudID with this text was already issued');
    q.putCloudId.run(...cloudIdParams(record, tag));
  };

  // Every request starts by reading the clock and looking for fault rules: both are kept until they change. This
  // instance's own changes drop the copy at once, a bulk job's (an import, a reset) once it ends, and another
  // process's from the next turn on (outsideChanges) — to a request of this turn they are concurrent anyway.
  let hot: HotReads | undefined;
  const hotReads = (): HotReads => {
    const outside = handle.outsideChanges();
    if (hot?.outside !== outside) hot = { outside };
    return hot;
  };
  /** Runs a write that changes the clock or the fault rules, dropping the copy of them. */
  const changing = <T>(run: () => T): (() => T) => () => {
    hot = undefined;
    return run();
  };

  // Tokens and cloudIDs are read through caches (getopendata checks a token and reads up to five cloudIDs a call). A
  // cached record stands while outsideChanges() stays put (no other connection committed, no bulk job ended) and this
  // store has not changed the table itself; a write whose batch failed empties them too, since a read in its turn may
  // have seen what was rolled back.
  let caches: ReadCaches | undefined;
  const readCaches = (): ReadCaches => {
    const outside = handle.outsideChanges();
    if (caches?.outside !== outside) caches = { outside, tokens: new Map(), cloudIds: new Map() };
    return caches;
  };
  const cachedRead = <T extends object>(cache: Map<string, T>, key: string, load: () => T | undefined): T | undefined => {
    const hit = cache.get(key);
    if (hit) return hit;
    const record = load();
    if (record) {
      if (cache.size >= READ_CACHE_LIMIT) cache.clear();
      cache.set(key, Object.freeze(record));
    }
    return record;
  };
  /** Runs a write that changes or deletes tokens or cloudIDs: the caches are emptied when it runs (and if it fails). */
  const uncaching = <T>(run: () => T): Promise<T> =>
    write(() => {
      caches = undefined;
      return run();
    });

  const readClock = (): ClockRecord => {
    const row = q.getClock.get();
    return row ? { offsetMs: row.offset_ms, frozenAt: row.frozen_at } : { offsetMs: 0, frozenAt: null };
  };
  const advance = db.transaction((ms: number): ClockRecord => {
    if (!q.getClock.get()) q.putClock.run(0, null);
    q.advanceClock.run({ ms });
    return readClock();
  });

  /** Numbers fault ids past every id ever given or imported. */
  const nextFaultNumber = (): number => {
    const n = Number(q.getSetting.get('fault_seq')?.value ?? 0) + 1;
    q.putSetting.run('fault_seq', String(n));
    return n;
  };
  const insertFault = (seq: number, rule: FaultRule): void => {
    q.insertFault.run(seq, rule.id, rule.route, JSON.stringify(rule.action), rule.times ?? null, rule.probability ?? null, rule.uses);
  };
  const addFault = db.transaction((rule: NewFaultRule): FaultRule => {
    const created: FaultRule = { ...rule, id: faultId(nextFaultNumber()), uses: 0 };
    insertFault((q.maxFaultSeq.get()?.seq ?? 0) + 1, created);
    return created;
  });
  const takeFault = db.transaction((operation: string, random: number): FaultRule | undefined => {
    let chance = random;
    for (const row of q.faultsFor.all(operation)) {
      if (row.times !== null && row.uses >= row.times) continue;
      if (row.probability !== null) {
        const applies = faultApplies(row.probability, chance);
        chance = nextChance(chance);
        if (!applies) continue;
      }
      q.useFault.run(row.seq);
      return toFault({ ...row, uses: row.uses + 1 });
    }
    return undefined;
  });
  const appendRequests = db.transaction((entries: NewRequestLogEntry[], capacity: number) => {
    for (const e of entries) {
      q.insertRequest.run(
        e.at, e.route, e.method, e.url, e.status, e.errcode === null ? null : JSON.stringify(e.errcode), e.durationMs, e.faultId,
        e.requestBody ?? null, e.responseBody ?? null,
      );
    }
    q.trimRequests.run(capacity);
  });
  const appendCall = db.transaction((call: NewFunctionCallRecord, capacity: number) => {
    q.insertCall.run(JSON.stringify(call));
    q.trimCalls.run(capacity);
  });

  // Each table in turn, oldest expiry first, at most `limit` rows per call (the expiry indexes make it a range read).
  const purgeStatements = [
    db.prepare('DELETE FROM login_codes WHERE code IN (SELECT code FROM login_codes WHERE expires_at < ? ORDER BY expires_at LIMIT ?)'),
    db.prepare('DELETE FROM access_tokens WHERE rowid IN (SELECT rowid FROM access_tokens WHERE expires_at < ? ORDER BY expires_at LIMIT ?)'),
    db.prepare('DELETE FROM cloud_ids WHERE rowid IN (SELECT rowid FROM cloud_ids WHERE expires_at < ? ORDER BY expires_at LIMIT ?)'),
    db.prepare('DELETE FROM counters WHERE key IN (SELECT key FROM counters WHERE expires_at < ? ORDER BY expires_at LIMIT ?)'),
  ];
  const purge = db.transaction((before: number, limit: number): number => {
    let forgotten = 0;
    for (const statement of purgeStatements) {
      if (forgotten >= limit) break;
      forgotten += statement.run(before, limit - forgotten).changes;
    }
    return forgotten;
  });

  const reset = db.transaction(() => {
    for (const table of [...EPHEMERAL_TABLES, 'faults', 'request_log']) db.prepare(`DELETE FROM ${table}`).run();
  });

  /**
   * Runs a write once no bulk job holds the store, committed with the other writes of this turn. A batch that failed
   * empties every copy kept here: reads made while it was open may have seen what was rolled back (misses are never
   * kept, so a write that only adds needs nothing more).
   */
  const write = <T>(run: () => T): Promise<T> =>
    handle.write(run).catch((error: unknown) => {
      hot = undefined;
      caches = undefined;
      throw error;
    });

  return {
    putLoginCode: (c) => write(() => void q.putCode.run(c.code, c.appid, c.userId, c.expiresAt)),
    takeLoginCode: (code, appid, now) => write(() => takeCode(code, appid, now)),
    takeLoginCodeCounted: (code, appid, now, counter) => write(() => takeCounted.immediate(code, appid, now, counter)),
    issueAccessToken: (token, previousValidUntil) => uncaching(() => issueToken.immediate(token, previousValidUntil)),
    async getAccessToken(token) {
      return cachedRead(readCaches().tokens, token, () => {
        const r = q.getToken.get(keyTag(token), token);
        return r && toToken(r);
      });
    },
    async latestAccessToken(appid, kind) {
      const r = q.latestToken.get(appid, kind);
      return r && toToken(r);
    },
    issueCloudId: (record: CloudIdRecord) => write(() => putCloudId(record)),
    async getCloudId(cloudId) {
      return cachedRead(readCaches().cloudIds, cloudId, () => {
        const r = q.getCloudId.get(keyTag(cloudId), cloudId);
        return r && toCloudId(r);
      });
    },
    async listLiveLoginCodes(now, { limit, after }) {
      return pageOf(q.liveCodes.all(now, ...afterExpiry(after), limit + 1), limit, toCode, (r) => expiryPosition(r.expires_at, r.code));
    },
    async listLiveAccessTokens(now, { limit, after }) {
      const rows = q.liveTokens.all(now, now, ...afterExpiry(after), limit + 1);
      return pageOf(rows, limit, toToken, (r) => expiryPosition(r.expires_at, r.token));
    },
    async listLiveCloudIds(now, { limit, after }) {
      const rows = q.liveCloudIds.all(now, ...afterExpiry(after), limit + 1);
      return pageOf(rows, limit, toCloudId, (r) => expiryPosition(r.expires_at, r.cloud_id));
    },
    incrementCounter: (key, expiresAt) => write(() => q.increment.get(key, expiresAt)!.value),
    async getClock() {
      const reads = hotReads();
      return (reads.clock ??= readClock());
    },
    setClock: (clock) => write(changing(() => void q.putClock.run(clock.offsetMs, clock.frozenAt))),
    advanceClock: (ms) => write(changing(() => advance.immediate(ms))),
    addFault: (rule) => write(changing(() => addFault.immediate(rule))),
    async listFaults() {
      return q.listFaults.all().map(toFault);
    },
    removeFault: (id) => write(changing(() => q.removeFault.run(id).changes > 0)),
    clearFaults: () => write(changing(() => void db.prepare('DELETE FROM faults').run())),
    async takeFault(operation, random) {
      // Most calls meet no rule: the kept look at the rules, or a plain read, answers them without the write lock.
      const reads = hotReads();
      if (!(reads.anyFault ??= q.anyFault.get()!.n === 1)) return undefined;
      if (q.anyFaultFor.get(operation)!.n === 0) return undefined;
      return write(() => takeFault.immediate(operation, random));
    },
    async appendRequests(entries, capacity) {
      if (entries.length > 0) await write(() => appendRequests.immediate(entries, capacity));
    },
    async listRequests(filter) {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const add = (clause: string, value: string | number | undefined): void => {
        if (value === undefined) return;
        where.push(clause);
        args.push(value);
      };
      add('route = ?', filter.route);
      add('status = ?', filter.status);
      add('at >= ?', filter.since);
      add('at < ?', filter.until);
      add('seq < ?', filter.beforeSeq);
      const sql = `SELECT * FROM request_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
      return db.prepare<(string | number)[], RequestRow>(sql).all(...args, filter.limit ?? -1).map(toRequest);
    },
    clearRequests: () => write(() => void db.prepare('DELETE FROM request_log').run()),
    appendFunctionCall: (call, capacity) => write(() => void appendCall.immediate(call, capacity)),
    async listFunctionCalls() {
      return q.listCalls.all().map((r) => ({ seq: r.seq, ...(JSON.parse(r.record) as NewFunctionCallRecord) }));
    },
    purgeExpired: (before, limit) => uncaching(() => purge.immediate(before, limit)),
    reset: () => uncaching(changing(() => reset.immediate())),
  };
}
