/**
 * The dashboard's client of the control API of the platform that serves it (same origin). A control token, when the
 * platform needs one, is kept in localStorage.
 */

/** An app as the control API shows it. */
export interface App {
  appid: string;
  secret: string;
  platform: 'weapp' | 'qq';
  name: string;
  cloud: boolean;
  cloudEnv: string | null;
  baseLibVersion: string;
  openPlatformId: string | null;
}

/** A user as the control API shows it. */
export interface User {
  id: string;
  nickname: string;
  deviceToken: string;
  werunEnabled: boolean;
  hasStepCounter: boolean;
  /** `ask`: the device shows the dialog and a person (or a test hook) answers it. */
  promptAnswer: 'accept' | 'deny' | 'ask';
}

/** One day of steps. */
export interface Day {
  date: string;
  steps: number;
}

/** The platform clock. */
export interface Clock {
  now: string;
  nowMs: number;
  frozen: boolean;
}

/** A user of an app with the grants. */
export interface AppUser {
  userId: string;
  openid: string;
  loggedIn: boolean;
  authSetting: Record<string, boolean>;
}

/** A live cloudID. */
export interface LiveCloudId {
  cloudId: string;
  appid: string;
  openid: string;
  expiresAt: number;
  remainingMs: number;
}

/** Live records. */
export interface Live {
  now: number;
  loginCodes: { code: string; appid: string; userId: string; used: boolean; remainingMs: number }[];
  accessTokens: { token: string; appid: string; kind: string; remainingMs: number }[];
  cloudIds: LiveCloudId[];
}

/** A logged request. */
export interface LoggedRequest {
  seq: number;
  at: string;
  route: string;
  method: string;
  url: string;
  status: number;
  errcode: number | string | null;
  durationMs: number;
  faultId: string | null;
}

/** A fault rule. */
export interface Fault {
  id: string;
  route: string;
  action: { errcode: number } | { delayMs: number } | { drop: true };
  times?: number;
  probability?: number;
  uses: number;
}

/** An error the control API answered. */
export class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'openrun.controlToken';
const base = new URL('../openrun/control/v1', document.baseURI).pathname;

/** Remembers the control token. */
export function setToken(token: string): void {
  localStorage.setItem(TOKEN_KEY, token);
}

/** Calls the control API and returns the JSON reply (undefined for 204). */
export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = localStorage.getItem(TOKEN_KEY);
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const error = (parsed as { error?: { message?: string } } | undefined)?.error;
    throw new ControlError(res.status, error?.message ?? `HTTP ${res.status}`);
  }
  return parsed as T;
}
