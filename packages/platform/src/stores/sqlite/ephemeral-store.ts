/**
 * The ephemeral store on SQLite: codes, tokens, cloudIDs and counters with absolute expiry instants, and the shared
 * clock, fault rules and logs; take-once, issue-and-supersede and fault takes are single IMMEDIATE transactions, so
 * they stay atomic when several processes open one file.
 */
import type { EphemeralStore } from '../ephemeral-store.js';
import { faultApplies, faultId, faultNumber, nextChance } from '../fault-chance.js';
import { pageOf } from '../page.js';
import type {
  AccessTokenRecord, ClockRecord, CloudIdRecord, FaultAction, FaultRule, NewFaultRule, NewFunctionCallRecord,
  NewRequestLogEntry, RequestLogEntry, TakeLoginCodeResult,
} from '../records.js';
import type { EphemeralImport, EphemeralSnapshot, LoginCodeSnapshot } from '../state-snapshot.js';
import type { SqliteDatabase } from './database.js';

interface TokenRow {
  token: string; appid: string; kind: string; issued_at: number; expires_at: number; superseded_until: number | null;
}
interface CodeRow {
  code: string; appid: string; user_id: string; expires_at: number; used: number;
}
interface CloudIdRow {
  cloud_id: string; appid: string; openid: string; payload: string; expires_at: number;
}
interface FaultRow {
  seq: number; id: string; route: string; action: string; times: number | null; probability: number | null; uses: number;
}
interface RequestRow {
  seq: number; at: number; route: string; method: string; url: string; status: number; errcode: string | null;
  duration_ms: number; fault_id: string | null; request_body: string | null; response_body: string | null;
}
const toCode = (r: CodeRow): LoginCodeSnapshot => ({ code: r.code, appid: r.appid, userId: r.user_id, expiresAt: r.expires_at, used: r.used === 1 });
const toCloudId = (r: CloudIdRow): CloudIdRecord => ({ cloudId: r.cloud_id, appid: r.appid, openid: r.openid, payload: r.payload, expiresAt: r.expires_at });
const toToken = (r: TokenRow): AccessTokenRecord => ({
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

/** The SQLite ephemeral store, with the synchronous steps the backend composes into one transaction. */
export interface SqliteEphemeralStore extends EphemeralStore {
  importSync(snapshot: EphemeralImport): void;
  resetSync(): void;
}

/** A live-list position is "expiresAt:key"; a forged one lies after every record. */
function afterExpiry(after: string | undefined): [number, number, string] {
  if (after === undefined) return [-1, -1, ''];
  const m = /^(\d{1,16}):([\s\S]*)$/.exec(after);
  return m ? [Number(m[1]), Number(m[1]), m[2]!] : [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, ''];
}
const expiryPosition = (expiresAt: number, key: string): string => `${expiresAt}:${key}`;

/** Creates the SQLite ephemeral store on an open database. */
export function createSqliteEphemeralStore(db: SqliteDatabase): SqliteEphemeralStore {
  const q = {
    putCode: db.prepare('INSERT INTO login_codes (code, appid, user_id, expires_at) VALUES (?, ?, ?, ?)'),
    getCode: db.prepare<[string], { appid: string; user_id: string; expires_at: number; used: number }>(
      'SELECT appid, user_id, expires_at, used FROM login_codes WHERE code = ?',
    ),
    useCode: db.prepare('UPDATE login_codes SET used = 1 WHERE code = ?'),
    // Two statements, each an index range on (appid, kind, superseded_until): only tokens still in force are visited.
    supersedeCurrent: db.prepare(
      'UPDATE access_tokens SET superseded_until = MIN(expires_at, ?) WHERE appid = ? AND kind = ? AND superseded_until IS NULL',
    ),
    supersedeOverlapping: db.prepare(
      'UPDATE access_tokens SET superseded_until = MIN(expires_at, ?) WHERE appid = ? AND kind = ? AND superseded_until > ?',
    ),
    insertToken: db.prepare(
      'INSERT INTO access_tokens VALUES (@token, @appid, @kind, @issuedAt, @expiresAt, @supersededUntil)',
    ),
    getToken: db.prepare<[string], TokenRow>('SELECT * FROM access_tokens WHERE token = ?'),
    latestToken: db.prepare<[string, string], TokenRow>(
      'SELECT * FROM access_tokens WHERE appid = ? AND kind = ? ORDER BY issued_at DESC, rowid DESC LIMIT 1',
    ),
    putCloudId: db.prepare('INSERT INTO cloud_ids VALUES (@cloudId, @appid, @openid, @payload, @expiresAt)'),
    getCloudId: db.prepare<[string], CloudIdRow>('SELECT * FROM cloud_ids WHERE cloud_id = ?'),
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
    getCounter: db.prepare<[string], { value: number; expires_at: number }>('SELECT value, expires_at FROM counters WHERE key = ?'),
    putCounter: db.prepare('INSERT OR REPLACE INTO counters VALUES (?, ?, ?)'),
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

  const takeCode = db.transaction((code: string, appid: string, now: number): TakeLoginCodeResult => {
    const row = q.getCode.get(code);
    if (!row || row.appid !== appid) return { status: 'invalid' };
    if (row.used === 1) return { status: 'used' };
    if (now >= row.expires_at) return { status: 'invalid' };
    q.useCode.run(code);
    return { status: 'ok', userId: row.user_id };
  });

  const issueToken = db.transaction((token: AccessTokenRecord, previousValidUntil: number) => {
    q.supersedeOverlapping.run(previousValidUntil, token.appid, token.kind, previousValidUntil);
    q.supersedeCurrent.run(previousValidUntil, token.appid, token.kind);
    q.insertToken.run(token);
  });

  const increment = db.transaction((key: string, expiresAt: number): number => {
    const row = q.getCounter.get(key);
    const value = row ? row.value + 1 : 1;
    q.putCounter.run(key, value, row ? row.expires_at : expiresAt);
    return value;
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
  const replaceFaults = (rules: FaultRule[]): void => {
    db.prepare('DELETE FROM faults').run();
    // The list is newest first: the first rule gets the highest sequence number.
    rules.forEach((rule, i) => insertFault(rules.length - i, rule));
    const highest = Math.max(Number(q.getSetting.get('fault_seq')?.value ?? 0), ...rules.map((r) => faultNumber(r.id)));
    q.putSetting.run('fault_seq', String(highest));
  };

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

  // Expired records are kept for a day so that an expired token or cloudID is told apart from an unknown one.
  const purge = db.transaction((before: number) => {
    db.prepare('DELETE FROM login_codes WHERE expires_at < ?').run(before);
    db.prepare('DELETE FROM access_tokens WHERE expires_at < ?').run(before);
    db.prepare('DELETE FROM cloud_ids WHERE expires_at < ?').run(before);
    db.prepare('DELETE FROM counters WHERE expires_at < ?').run(before);
  });

  const reset = db.transaction(() => {
    for (const table of ['login_codes', 'access_tokens', 'cloud_ids', 'counters', 'faults', 'request_log']) db.prepare(`DELETE FROM ${table}`).run();
  });

  const exportState = db.transaction((): EphemeralSnapshot => ({
    loginCodes: db.prepare<[], CodeRow>('SELECT * FROM login_codes ORDER BY code').all().map(toCode),
    accessTokens: db.prepare<[], TokenRow>('SELECT * FROM access_tokens ORDER BY rowid').all().map(toToken),
    cloudIds: db.prepare<[], CloudIdRow>('SELECT * FROM cloud_ids ORDER BY cloud_id').all().map(toCloudId),
    counters: db
      .prepare<[], { key: string; value: number; expires_at: number }>('SELECT * FROM counters ORDER BY key')
      .all()
      .map((r) => ({ key: r.key, value: r.value, expiresAt: r.expires_at })),
  }));

  const importState = db.transaction((s: EphemeralImport) => {
    for (const table of ['login_codes', 'access_tokens', 'cloud_ids', 'counters']) db.prepare(`DELETE FROM ${table}`).run();
    const code = db.prepare('INSERT INTO login_codes VALUES (?, ?, ?, ?, ?)');
    for (const c of s.loginCodes) code.run(c.code, c.appid, c.userId, c.expiresAt, c.used ? 1 : 0);
    for (const t of s.accessTokens) q.insertToken.run(t);
    for (const c of s.cloudIds) q.putCloudId.run(c);
    for (const c of s.counters) q.putCounter.run(c.key, c.value, c.expiresAt);
    replaceFaults(s.faults);
    q.putClock.run(s.clock.offsetMs, s.clock.frozenAt);
  });

  return {
    importSync: (snapshot) => importState(snapshot),
    resetSync: () => reset(),
    async putLoginCode(c) {
      q.putCode.run(c.code, c.appid, c.userId, c.expiresAt);
    },
    async takeLoginCode(code, appid, now) {
      return takeCode.immediate(code, appid, now);
    },
    async issueAccessToken(token, previousValidUntil) {
      issueToken.immediate(token, previousValidUntil);
    },
    async getAccessToken(token) {
      const r = q.getToken.get(token);
      return r && toToken(r);
    },
    async latestAccessToken(appid, kind) {
      const r = q.latestToken.get(appid, kind);
      return r && toToken(r);
    },
    async issueCloudId(record: CloudIdRecord) {
      q.putCloudId.run(record);
    },
    async getCloudId(cloudId) {
      const r = q.getCloudId.get(cloudId);
      return r && toCloudId(r);
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
    async incrementCounter(key, expiresAt) {
      return increment.immediate(key, expiresAt);
    },
    async getClock() {
      return readClock();
    },
    async setClock(clock) {
      q.putClock.run(clock.offsetMs, clock.frozenAt);
    },
    async advanceClock(ms) {
      return advance.immediate(ms);
    },
    async addFault(rule) {
      return addFault.immediate(rule);
    },
    async listFaults() {
      return q.listFaults.all().map(toFault);
    },
    async removeFault(id) {
      return q.removeFault.run(id).changes > 0;
    },
    async clearFaults() {
      db.prepare('DELETE FROM faults').run();
    },
    async takeFault(operation, random) {
      // Most calls meet no rule: a plain read answers them without taking the write lock.
      if (q.anyFaultFor.get(operation)!.n === 0) return undefined;
      return takeFault.immediate(operation, random);
    },
    async appendRequests(entries, capacity) {
      if (entries.length > 0) appendRequests.immediate(entries, capacity);
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
    async clearRequests() {
      db.prepare('DELETE FROM request_log').run();
    },
    async appendFunctionCall(call, capacity) {
      appendCall.immediate(call, capacity);
    },
    async listFunctionCalls() {
      return q.listCalls.all().map((r) => ({ seq: r.seq, ...(JSON.parse(r.record) as NewFunctionCallRecord) }));
    },
    async purgeExpired(before) {
      purge.immediate(before);
    },
    async reset() {
      reset.immediate();
    },
    async exportState() {
      return exportState.deferred();
    },
    async importState(snapshot) {
      importState.immediate(snapshot);
    },
  };
}
