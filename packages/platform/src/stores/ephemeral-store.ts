/**
 * The ephemeral store: login codes, access tokens, cloudIDs and rate counters, each with an absolute expiry instant
 * from the platform clock, and the operational state every instance on one store shares: the clock, fault rules with
 * their use counts, the request log (kept by the embedded store between starts only) and the cloud-function call log
 * (docs/shared-state.md). Take-once operations are
 * atomic across instances. Implementations: `stores/sqlite` (embedded default), `stores/redis` (scale-out).
 */
import type {
  AccessTokenKind, AccessTokenRecord, ClockRecord, CloudIdRecord, FaultRule, FunctionCallRecord, LoginCodeRecord,
  NewFaultRule, NewFunctionCallRecord, NewRequestLogEntry, RequestLogEntry, RequestLogFilter, TakeCountedLoginCodeResult,
  TakeLoginCodeResult, UserCounter,
} from './records.js';
import type { Page, PageRequest } from './page.js';
import type { LoginCodeSnapshot } from './state-snapshot.js';

/** Codes, tokens, cloudIDs, counters, and the shared clock, faults and logs. */
export interface EphemeralStore {
  putLoginCode(code: LoginCodeRecord): Promise<void>;
  /** Consumes a code once: ok the first time, used afterwards, invalid when unknown, expired or another app's. */
  takeLoginCode(code: string, appid: string, now: number): Promise<TakeLoginCodeResult>;
  /**
   * takeLoginCode that, when it takes the code, adds one to the taker's `counter` in the same atomic step (one round
   * trip) and returns the counter's new value; a code not taken counts nothing.
   */
  takeLoginCodeCounted(code: string, appid: string, now: number, counter: UserCounter): Promise<TakeCountedLoginCodeResult>;

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

  /** The shared clock (running at the system clock when never set). */
  getClock(): Promise<ClockRecord>;
  setClock(clock: ClockRecord): Promise<void>;
  /** Moves the clock by `ms` in one step, so that concurrent advances add up; returns the new clock. */
  advanceClock(ms: number): Promise<ClockRecord>;

  /** Adds a rule in front of the others (rules are tried newest first) and gives it the next `fault_N` id. */
  addFault(rule: NewFaultRule): Promise<FaultRule>;
  /** Every rule, newest first, with use counts. */
  listFaults(): Promise<FaultRule[]>;
  removeFault(id: string): Promise<boolean>;
  clearFaults(): Promise<void>;
  /**
   * The first rule (newest first) that applies to this call of `operation`, its use counted in the same atomic step,
   * so that a `times: N` rule applies to N calls in total across instances. `random` (0..1) draws the chance of the
   * first probabilistic rule; later ones use numbers derived from it.
   */
  takeFault(operation: string, random: number): Promise<FaultRule | undefined>;

  /**
   * Appends calls to the request log, keeping the newest `capacity`. Redis holds the log every instance lists; the
   * embedded store keeps what its one process's in-memory log held at close, for the next start.
   */
  appendRequests(entries: NewRequestLogEntry[], capacity: number): Promise<void>;
  /** Logged calls, newest first. */
  listRequests(filter: RequestLogFilter): Promise<RequestLogEntry[]>;
  clearRequests(): Promise<void>;

  /** Appends a finished cloud-function call, keeping the newest `capacity`. */
  appendFunctionCall(call: NewFunctionCallRecord, capacity: number): Promise<void>;
  /** Logged cloud-function calls, newest first. */
  listFunctionCalls(): Promise<FunctionCallRecord[]>;

  /** Forgets at most `limit` records whose expiry lies before `before` and returns how many it forgot. */
  purgeExpired(before: number, limit: number): Promise<number>;
  /** Forgets codes, tokens, cloudIDs, counters, faults and the request log (the clock and function calls stay). */
  reset(): Promise<void>;
}
