/**
 * The ephemeral store: login codes, access tokens, cloudIDs and rate counters, each with an absolute expiry instant
 * from the platform clock. Take-once operations are atomic.
 */
import type { AccessTokenKind, AccessTokenRecord, CloudIdRecord, LoginCodeRecord, TakeLoginCodeResult } from './records.js';
import type { Page, PageRequest } from './page.js';
import type { LoginCodeSnapshot } from './state-snapshot.js';

/** Codes, tokens, cloudIDs, counters. */
export interface EphemeralStore {
  putLoginCode(code: LoginCodeRecord): Promise<void>;
  /** Consumes a code once: ok the first time, used afterwards, invalid when unknown, expired or another app's. */
  takeLoginCode(code: string, appid: string, now: number): Promise<TakeLoginCodeResult>;

  /**
   * Issues a token and, in the same step, makes the app's previous tokens of that kind stop working at
   * `previousValidUntil` (or at their own expiry, whichever is first).
   */
  issueAccessToken(token: AccessTokenRecord, previousValidUntil: number): Promise<void>;
  getAccessToken(token: string): Promise<AccessTokenRecord | undefined>;
  /** The newest token of that kind for the app, if any. */
  latestAccessToken(appid: string, kind: AccessTokenKind): Promise<AccessTokenRecord | undefined>;

  issueCloudId(record: CloudIdRecord): Promise<void>;
  getCloudId(cloudId: string): Promise<CloudIdRecord | undefined>;

  /** Adds one to a counter that lives until `expiresAt` and returns the new value. */
  incrementCounter(key: string, expiresAt: number): Promise<number>;

  /** A page of the codes not yet expired at `now` (used ones included), soonest expiry first. */
  listLiveLoginCodes(now: number, request: PageRequest): Promise<Page<LoginCodeSnapshot>>;
  /** A page of the tokens still accepted at `now`, soonest expiry first. */
  listLiveAccessTokens(now: number, request: PageRequest): Promise<Page<AccessTokenRecord>>;
  /** A page of the cloudIDs not yet expired at `now`, soonest expiry first. */
  listLiveCloudIds(now: number, request: PageRequest): Promise<Page<CloudIdRecord>>;

  /** Forgets at most `limit` records whose expiry lies before `before` and returns how many it forgot. */
  purgeExpired(before: number, limit: number): Promise<number>;
  reset(): Promise<void>;
}
