/**
 * The records the stores keep. Instants are epoch milliseconds of the platform clock.
 */
import type { ChinaDate, MiniProgramPlatform, PromptAnswer } from '@openrun/core';

/** A mini program registered on the platform. */
export interface AppRecord {
  appid: string;
  secret: string;
  platform: MiniProgramPlatform;
  name: string;
  /** Cloud development on (WeChat only): getWeRunData then also returns a cloudID. */
  cloud: boolean;
  /** Cloud environment id, when cloud development is on. */
  cloudEnv: string | null;
  /** Emulated base-library version of the client. */
  baseLibVersion: string;
  /** Open-platform account the app is bound to; gives users a unionid. */
  openPlatformId: string | null;
  createdAt: number;
}

/** How a user answers the consent dialog the next time one appears (`ask`: on the device, by a person or a hook). */
export type { PromptAnswer };

/** A person with a WeChat / QQ account. */
export interface UserRecord {
  id: string;
  nickname: string;
  deviceToken: string;
  werunEnabled: boolean;
  hasStepCounter: boolean;
  promptAnswer: PromptAnswer;
  createdAt: number;
}

/** One day of a user's step history. */
export interface StepDay {
  date: ChinaDate;
  steps: number;
}

/** A user as seen by one app: openid and the current session. */
export interface AppUserRecord {
  appid: string;
  userId: string;
  openid: string;
  unionid: string | null;
  sessionKey: string | null;
  sessionRotatedAt: number | null;
}

/** A login code waiting for its single exchange. */
export interface LoginCodeRecord {
  code: string;
  appid: string;
  userId: string;
  expiresAt: number;
}

/** What taking a login code found. */
export type TakeLoginCodeResult = { status: 'ok'; userId: string } | { status: 'invalid' } | { status: 'used' };

/** A counter per user, named `<before><userId><after>`: which one a take counts in is known only once the code is taken. */
export interface UserCounter {
  before: string;
  after: string;
  /** When a counter created by this call stops living. */
  expiresAt: number;
}

/** What taking a login code and counting the taker's call found: the counter's new value when the code was taken. */
export type TakeCountedLoginCodeResult = { status: 'ok'; userId: string; count: number } | { status: 'invalid' } | { status: 'used' };

/** Which endpoint issued an access token. */
export type AccessTokenKind = 'normal' | 'stable';

/** An access token and its validity. */
export interface AccessTokenRecord {
  token: string;
  appid: string;
  kind: AccessTokenKind;
  issuedAt: number;
  expiresAt: number;
  /** Set when a newer token replaced this one: it stops working at this instant. */
  supersededUntil: number | null;
}

/** A cloudID and the snapshot of the open data it stands for. */
export interface CloudIdRecord {
  cloudId: string;
  appid: string;
  openid: string;
  /** The open data, serialized. */
  payload: string;
  expiresAt: number;
}

/** The shared platform clock: running at the system clock plus `offsetMs`, or standing at `frozenAt`. */
export interface ClockRecord {
  offsetMs: number;
  frozenAt: number | null;
}

/** What a fault does. */
export type FaultAction = { errcode: number } | { delayMs: number } | { drop: true };

/** A fault rule as the control API accepts it. */
export interface NewFaultRule {
  /** Method and path of the route, e.g. "GET /sns/jscode2session". */
  route: string;
  action: FaultAction;
  /** Apply to this many calls, then stop (undefined = no limit). */
  times?: number;
  /** Chance of applying to a call, 0..1 (default 1). */
  probability?: number;
}

/** A stored fault rule with its id and the number of calls it has applied to (all instances together). */
export interface FaultRule extends NewFaultRule {
  id: string;
  uses: number;
}

/** One logged call of a platform route. */
export interface RequestLogEntry {
  /** Increasing number of the entry. */
  seq: number;
  /** Platform-clock instant the request arrived, epoch ms. */
  at: number;
  /** "METHOD /path" of the route (its `config.operation`). */
  route: string;
  method: string;
  /** Path with the query string, sensitive values replaced by "[redacted]". */
  url: string;
  /** HTTP status; 0 when the connection was dropped. */
  status: number;
  /** The `errcode` of a WeChat/QQ reply, or the `error.code` of an OpenRun reply, when there is one. */
  errcode: number | string | null;
  /** Wall time spent, ms. */
  durationMs: number;
  /** The fault rule that applied to the call, if any. */
  faultId: string | null;
  /** The request body, sensitive values redacted, cut at 4096 characters; null when there was none. */
  requestBody?: string | null;
  /** The response body, sensitive values redacted, cut at 4096 characters; null when there was none. */
  responseBody?: string | null;
}

/** A call to log; the store numbers it. */
export type NewRequestLogEntry = Omit<RequestLogEntry, 'seq'>;

/** Which logged calls to list. */
export interface RequestLogFilter {
  route?: string;
  status?: number;
  /** Entries at or after this platform instant (ms). */
  since?: number;
  /** Entries before this platform instant (ms). */
  until?: number;
  /** Entries older than the one with this `seq` (the next page of a newest-first list). */
  beforeSeq?: number;
  limit?: number;
}

/** One line a cloud function printed. */
export interface FunctionLogLine {
  level: 'log' | 'info' | 'warn' | 'error' | 'debug';
  text: string;
}

/** How a cloud-function call failed. */
export type FunctionFailureKind = 'error' | 'timeout' | 'exit' | 'memory' | 'startup';

/** One finished cloud-function call, with its console output. */
export interface FunctionCallRecord {
  /** Increasing number of the call (given by the store). */
  seq: number;
  requestId: string;
  name: string;
  appid: string;
  source: string;
  /** Platform-clock instant the call started, epoch ms. */
  at: number;
  /** Wall time of the call, ms. */
  durationMs: number;
  ok: boolean;
  /** The JSON of what `main` returned (cut at 4096 characters; absent for `undefined` and for failures). */
  result?: string;
  /** How a failed call failed. */
  failure?: FunctionFailureKind;
  message?: string;
  logs: FunctionLogLine[];
}

/** A call to log; the store numbers it. */
export type NewFunctionCallRecord = Omit<FunctionCallRecord, 'seq'>;
