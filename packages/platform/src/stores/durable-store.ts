/**
 * The durable store: apps, users, step histories, app users (openid, session) and grants. Every multi-row change is
 * one transaction. Implementations: `stores/sqlite` (embedded default), `stores/postgres` (scale-out). Whole-state
 * export and import: state-store.ts.
 */
import type { ChinaDate } from '@openrun/core';
import type { AppRecord, AppUserRecord, StepDay, UserRecord } from './records.js';
import type { Page, PageRequest, UserPageRequest } from './page.js';
import type { AppUserSnapshot, StepModelRecord } from './state-snapshot.js';

/** Fields of a user that the control API may change. */
export type UserPatch = Partial<Pick<UserRecord, 'nickname' | 'werunEnabled' | 'hasStepCounter' | 'promptAnswer'>>;

/** Fields of an app that the control API may change (`cloudEnv` follows `cloud`). */
export type AppPatch = Partial<Pick<AppRecord, 'name' | 'cloud' | 'cloudEnv' | 'baseLibVersion' | 'openPlatformId'>>;

/** A new user with its first days, for bulk creation. */
export interface UserWithSteps {
  user: UserRecord;
  days: StepDay[];
  stepModel: StepModelRecord | null;
}

/** What a login does to an app user, decided atomically by the store. */
export interface LoginChange {
  appid: string;
  userId: string;
  /** Used only when the app user is new. */
  newOpenid: string;
  newUnionid: string | null;
  /**
   * Used when there is no session yet or the last rotation is at least `minRotationMs` old; `null` only makes sure the
   * app user (openid) exists, without a session.
   */
  newSessionKey: string | null;
  now: number;
  minRotationMs: number;
}

/** Remembered authorization per scope: true granted, false refused; absent never asked. */
export type GrantMap = Record<string, boolean>;

/** Apps, users, steps, sessions and grants. */
export interface DurableStore {
  createApp(app: AppRecord): Promise<void>;
  getApp(appid: string): Promise<AppRecord | undefined>;
  listApps(): Promise<AppRecord[]>;
  /** Changes an app's settings; undefined when there is no such app. */
  updateApp(appid: string, patch: AppPatch): Promise<AppRecord | undefined>;

  createUser(user: UserRecord): Promise<void>;
  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByDeviceToken(deviceToken: string): Promise<UserRecord | undefined>;
  /** One page of users in creation order, optionally only those whose id, nickname or device token has a prefix. */
  listUsers(request: UserPageRequest): Promise<Page<UserRecord>>;
  /** How many users there are. */
  countUsers(): Promise<number>;
  updateUser(id: string, patch: UserPatch): Promise<UserRecord | undefined>;
  /** Deletes a user with its history, openids, sessions and grants; false when there is no such user. */
  deleteUser(id: string): Promise<boolean>;
  /**
   * Creates many users with their histories in one transaction (all or nothing), reading the batches as it goes and
   * without stopping other requests from being answered meanwhile.
   */
  createUsersWithSteps(batches: AsyncIterable<UserWithSteps[]> | Iterable<UserWithSteps[]>): Promise<void>;
  /** Deletes these users as deleteUser does, in one transaction (undoing a bulk creation); how many there were. */
  deleteUsers(ids: readonly string[]): Promise<number>;

  /** Writes (inserts or replaces) the given days in one transaction. */
  putSteps(userId: string, days: StepDay[]): Promise<void>;
  /** Days from `from` to `to` inclusive that have a count, oldest first. */
  getSteps(userId: string, from: ChinaDate, to: ChinaDate): Promise<StepDay[]>;
  /** Writes a generated history and remembers (or, with null, forgets) its model, in one transaction. */
  saveGeneratedHistory(userId: string, days: StepDay[], model: StepModelRecord | null): Promise<void>;
  getStepModel(userId: string): Promise<StepModelRecord | undefined>;

  /** Creates the app user on first login and rotates the session_key when due; returns the result. */
  recordLogin(change: LoginChange): Promise<AppUserRecord>;
  getAppUser(appid: string, userId: string): Promise<AppUserRecord | undefined>;
  getAppUserByOpenid(appid: string, openid: string): Promise<AppUserRecord | undefined>;
  /** One page of the app's users (openid, session) with their grants, in order of first login. */
  listAppUsers(appid: string, request: PageRequest): Promise<Page<AppUserSnapshot>>;
  /** Replaces the session_key now, whatever the minimum rotation period; undefined without an app user. */
  rotateSessionKey(appid: string, userId: string, sessionKey: string, now: number): Promise<AppUserRecord | undefined>;
  /** Ends the session now (checkSession fails until the next login); undefined without an app user. */
  expireSessionKey(appid: string, userId: string): Promise<AppUserRecord | undefined>;

  getGrants(appid: string, userId: string): Promise<GrantMap>;
  /** Applies grant changes (`null` forgets the decision) in one transaction and returns the new map. */
  setGrants(appid: string, userId: string, changes: Record<string, boolean | null>): Promise<GrantMap>;

  /**
   * The control token every instance on this store accepts: `proposed` becomes it when there is none yet, or when
   * `replace` (a token the operator chose); otherwise the kept one stays. Returns the token in force.
   */
  claimControlToken(proposed: string, replace: boolean): Promise<string>;
  /** The control token in force, if one was ever claimed. */
  getControlToken(): Promise<string | undefined>;

  /** Deletes everything (the control token stays). */
  reset(): Promise<void>;
}
