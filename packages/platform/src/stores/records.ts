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
