/**
 * The ephemeral store on SQLite: codes, tokens, cloudIDs and counters with absolute expiry instants; take-once and
 * issue-and-supersede are single IMMEDIATE transactions.
 */
import type { EphemeralStore } from '../ephemeral-store.js';
import { pageOf } from '../page.js';
import type { AccessTokenRecord, CloudIdRecord, TakeLoginCodeResult } from '../records.js';
import type { EphemeralSnapshot, LoginCodeSnapshot } from '../state-snapshot.js';
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
const toCode = (r: CodeRow): LoginCodeSnapshot => ({ code: r.code, appid: r.appid, userId: r.user_id, expiresAt: r.expires_at, used: r.used === 1 });
const toCloudId = (r: CloudIdRow): CloudIdRecord => ({ cloudId: r.cloud_id, appid: r.appid, openid: r.openid, payload: r.payload, expiresAt: r.expires_at });
const toToken = (r: TokenRow): AccessTokenRecord => ({
  token: r.token, appid: r.appid, kind: r.kind as AccessTokenRecord['kind'], issuedAt: r.issued_at, expiresAt: r.expires_at,
  supersededUntil: r.superseded_until,
});

/** A live-list position is "expiresAt:key"; a forged one lies after every record. */
function afterExpiry(after: string | undefined): [number, number, string] {
  if (after === undefined) return [-1, -1, ''];
  const m = /^(\d{1,16}):([\s\S]*)$/.exec(after);
  return m ? [Number(m[1]), Number(m[1]), m[2]!] : [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, ''];
}
const expiryPosition = (expiresAt: number, key: string): string => `${expiresAt}:${key}`;

/** Creates the SQLite ephemeral store on an open database. */
export function createSqliteEphemeralStore(db: SqliteDatabase): EphemeralStore {
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

  // Expired records are kept for a day so that an expired token or cloudID is told apart from an unknown one.
  const purge = db.transaction((before: number) => {
    db.prepare('DELETE FROM login_codes WHERE expires_at < ?').run(before);
    db.prepare('DELETE FROM access_tokens WHERE expires_at < ?').run(before);
    db.prepare('DELETE FROM cloud_ids WHERE expires_at < ?').run(before);
    db.prepare('DELETE FROM counters WHERE expires_at < ?').run(before);
  });

  const reset = db.transaction(() => {
    for (const table of ['login_codes', 'access_tokens', 'cloud_ids', 'counters']) db.prepare(`DELETE FROM ${table}`).run();
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

  const importState = db.transaction((s: EphemeralSnapshot) => {
    reset();
    const code = db.prepare('INSERT INTO login_codes VALUES (?, ?, ?, ?, ?)');
    for (const c of s.loginCodes) code.run(c.code, c.appid, c.userId, c.expiresAt, c.used ? 1 : 0);
    for (const t of s.accessTokens) q.insertToken.run(t);
    for (const c of s.cloudIds) q.putCloudId.run(c);
    for (const c of s.counters) q.putCounter.run(c.key, c.value, c.expiresAt);
  });

  return {
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
