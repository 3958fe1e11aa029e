/**
 * The records of the whole state of a platform: what `GET /openrun/control/v1/export` writes and
 * `POST /openrun/control/v1/import` reads (see state-store.ts).
 */
import type { ChinaDate } from '@openrun/core';
import type { GrantMap } from './durable-store.js';
import type {
  AccessTokenRecord, AppRecord, AppUserRecord, ClockRecord, CloudIdRecord, FaultRule, LoginCodeRecord, StepDay, UserRecord,
} from './records.js';

/** The seeded model behind a generated history: days after `through` (today included) come from it when read. */
export interface StepModelRecord {
  seed: number;
  baseline: number;
  weekendFactor: number;
  restDayChance: number;
  /** Last China day written to the history; later days are computed from the model on read. */
  through: ChinaDate;
}

/** A user with its step history and, for generated histories, the live model. */
export interface UserSnapshot extends UserRecord {
  steps: StepDay[];
  stepModel: StepModelRecord | null;
}

/** An app user with its remembered grants. */
export interface AppUserSnapshot extends AppUserRecord {
  grants: GrantMap;
}

/** Every durable record (the scale-out import writes them to PostgreSQL in one transaction). */
export interface DurableSnapshot {
  apps: AppRecord[];
  users: UserSnapshot[];
  appUsers: AppUserSnapshot[];
}

/** A rate counter. */
export interface CounterRecord {
  key: string;
  value: number;
  expiresAt: number;
}

/** A login code with whether it was exchanged. */
export interface LoginCodeSnapshot extends LoginCodeRecord {
  used: boolean;
}

/** The ephemeral records of a whole-state import (what the scale-out import applies to Redis). */
export interface EphemeralSnapshot {
  loginCodes: LoginCodeSnapshot[];
  accessTokens: AccessTokenRecord[];
  cloudIds: CloudIdRecord[];
  counters: CounterRecord[];
}

/** What a whole-state import gives the ephemeral store: its records, the fault rules and the clock. */
export interface EphemeralImport extends EphemeralSnapshot {
  faults: FaultRule[];
  clock: ClockRecord;
}
