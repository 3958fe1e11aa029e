/**
 * The ephemeral store on SQLite: codes, tokens, cloudIDs and counters with absolute expiry instants; take-once and
 * issue-and-supersede are single IMMEDIATE transactions.
 */
import type { EphemeralStore } from '../ephemeral-store.js';
import { pageOf } from '../page.js';
import type { AccessTokenRecord, CloudIdRecord, TakeLoginCodeResult } from '../records.js';
import type { LoginCodeSnapshot } from '../state-snapshot.js';
import type { SqliteHandle } from './bulk-work.js';

/** A row of `access_tokens`. */
export interface TokenRow {
  token: string; appid: string; kind: string; issued_at: number; expires_at: number; superseded_until: number | null;
}
/** A row of `login_codes`. */
export interface CodeRow {
  code: string; appid: string; user_id: string; expires_at: number; used: number;
}
/** A row of `cloud_ids`. */
export interface CloudIdRow {
  cloud_id: string; appid: string; openid: string; payload: string; expires_at: number;
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

/** The ephemeral tables. */
export const EPHEMERAL_TABLES = ['login_codes', 'access_tokens', 'cloud_ids', 'counters'] as const;
/** Inserts a token. */
export const TOKEN_INSERT = 'INSERT INTO access_tokens VALUES (@token, @appid, @kind, @issuedAt, @expiresAt, @supersededUntil)';
/** Inserts a cloudID. */
export const CLOUD_ID_INSERT = 'INSERT INTO cloud_ids VALUES (@cloudId, @appid, @openid, @payload, @expiresAt)';
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

/** Creates the SQLite ephemeral store on an open database. */
export function createSqliteEphemeralStore(handle: SqliteHandle): EphemeralStore {
  const { db } = handle;
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
    insertToken: db.prepare(TOKEN_INSERT),
    getToken: db.prepare<[string], TokenRow>('SELECT * FROM access_tokens WHERE token = ?'),
    latestToken: db.prepare<[string, string], TokenRow>(
      'SELECT * FROM access_tokens WHERE appid = ? AND kind = ? ORDER BY issued_at DESC, rowid DESC LIMIT 1',
    ),
    putCloudId: db.prepare(CLOUD_ID_INSERT),
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
    putCounter: db.prepare(COUNTER_UPSERT),
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
    for (const table of EPHEMERAL_TABLES) db.prepare(`DELETE FROM ${table}`).run();
  });

  /** Runs a write once no bulk job holds the store. */
  const write = async <T>(run: () => T): Promise<T> => {
    await handle.writable();
    return run();
  };

  return {
    putLoginCode: (c) => write(() => void q.putCode.run(c.code, c.appid, c.userId, c.expiresAt)),
    takeLoginCode: (code, appid, now) => write(() => takeCode.immediate(code, appid, now)),
    issueAccessToken: (token, previousValidUntil) => write(() => issueToken.immediate(token, previousValidUntil)),
    async getAccessToken(token) {
      const r = q.getToken.get(token);
      return r && toToken(r);
    },
    async latestAccessToken(appid, kind) {
      const r = q.latestToken.get(appid, kind);
      return r && toToken(r);
    },
    issueCloudId: (record: CloudIdRecord) => write(() => void q.putCloudId.run(record)),
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
    incrementCounter: (key, expiresAt) => write(() => increment.immediate(key, expiresAt)),
    purgeExpired: (before, limit) => write(() => purge.immediate(before, limit)),
    reset: () => write(() => reset.immediate()),
  };
}
