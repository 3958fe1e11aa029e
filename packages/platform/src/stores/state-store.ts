/**
 * Whole-state export and import across both stores: what `GET /openrun/control/v1/export` reads and
 * `POST /openrun/control/v1/import` writes. Export reads a consistent snapshot page by page; import replaces
 * everything, durable and ephemeral, with records streamed in batches, all or nothing, while the platform keeps
 * answering. Implementations: `stores/sqlite` (one transaction on the bulk connection), scale-out-backend.ts
 * (PostgreSQL first, with the Redis part kept pending there until it is applied).
 */
import type { Page, PageRequest } from './page.js';
import type { AccessTokenRecord, AppRecord, ClockRecord, CloudIdRecord, FaultRule } from './records.js';
import type { AppUserSnapshot, CounterRecord, LoginCodeSnapshot, UserSnapshot } from './state-snapshot.js';

/** One record of a state document, with its JSON path there (`users[3]`) for error messages. */
export type StateRecord =
  | { kind: 'app'; path: string; record: AppRecord }
  | { kind: 'user'; path: string; record: UserSnapshot }
  | { kind: 'appUser'; path: string; record: AppUserSnapshot }
  | { kind: 'loginCode'; path: string; record: LoginCodeSnapshot }
  | { kind: 'accessToken'; path: string; record: AccessTokenRecord }
  | { kind: 'cloudId'; path: string; record: CloudIdRecord }
  | { kind: 'counter'; path: string; record: CounterRecord };

/** An import refused a record (a duplicate key, a reference to nothing); `path` names the field. */
export class StateRecordRejected extends Error {
  override readonly name = 'StateRecordRejected';
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path}: ${problem}`);
  }
}

/** A consistent, read-only view of the whole state, read page by page; close it when done. */
export interface StateSnapshotReader {
  apps(): Promise<AppRecord[]>;
  /** Users with their histories and models, in creation order. */
  users(request: PageRequest): Promise<Page<UserSnapshot>>;
  appUsers(request: PageRequest): Promise<Page<AppUserSnapshot>>;
  loginCodes(request: PageRequest): Promise<Page<LoginCodeSnapshot>>;
  accessTokens(request: PageRequest): Promise<Page<AccessTokenRecord>>;
  cloudIds(request: PageRequest): Promise<Page<CloudIdRecord>>;
  counters(request: PageRequest): Promise<Page<CounterRecord>>;
  close(): Promise<void>;
}

/** How many records of each kind an import wrote. */
export type StateRecordCounts = Record<StateRecord['kind'], number>;

/** What an import sets besides the records: the fault rules (newest first) and the clock. */
export interface StateTail {
  faults: FaultRule[];
  clock: ClockRecord;
}

/** Export and import of everything the two stores keep. */
export interface StateStore {
  /** Opens a snapshot of the state as it is now; writes made meanwhile are not in it. */
  openSnapshot(): Promise<StateSnapshotReader>;
  /**
   * Replaces the whole state (apps, users, app users, codes, tokens, cloudIDs, counters) with the records in one
   * transaction; throws StateRecordRejected (and changes nothing) for a duplicate key or a reference to nothing.
   * `tail`, read once the batches are done, replaces the fault rules and the clock in the same step; without it they
   * stay as they are.
   */
  replaceState(batches: AsyncIterable<StateRecord[]> | Iterable<StateRecord[]>, tail?: () => StateTail): Promise<StateRecordCounts>;
}
