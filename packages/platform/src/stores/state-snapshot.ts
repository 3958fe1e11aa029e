/**
 * The records of the whole state of a platform: what `GET /openrun/control/v1/export` writes and
 * `POST /openrun/control/v1/import` reads (see state-store.ts).
 */
import type { ChinaDate } from '@openrun/core';
import type { GrantMap } from './durable-store.js';
import type { AppUserRecord, LoginCodeRecord, StepDay, UserRecord } from './records.js';

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
