/**
 * The dashboard's client of the control API of the platform that serves it (same origin). A control token, when the
 * platform needs one, is kept in localStorage.
 */

import type {
  AppUserView,
  AppView,
  ClockView,
  FaultView,
  FunctionCallView,
  LiveRecordsView,
  RequestLogView,
  StepDay,
  UserView,
} from '@openrun/platform';

// The payloads are the platform's own types (type-only imports: nothing of the platform is bundled).
/** An app as the control API shows it. */
export type App = AppView;
/** A user as the control API shows it. */
export type User = UserView;
/** The platform clock. */
export type Clock = ClockView;
/** A user of an app with the grants. */
export type AppUser = AppUserView;
/** Live records. */
export type Live = LiveRecordsView;
/** A live cloudID. */
export type LiveCloudId = LiveRecordsView['cloudIds'][number];
/** A logged request. */
export type LoggedRequest = RequestLogView;
/** A fault rule. */
export type Fault = FaultView;
/** One cloud-function call. */
export type FunctionCall = FunctionCallView;

/** One day of steps. */
export type Day = StepDay;

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
