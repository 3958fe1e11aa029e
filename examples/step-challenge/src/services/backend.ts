/**
 * The app's calls to its own backend (`server/`): login with a `Taro.login` code, decrypting WeRun data, the
 * leaderboard. The session token the backend issues is kept in storage, as a mini program would keep it.
 */
import Taro from '@tarojs/taro';

declare const BACKEND_URL: string;

const SESSION_KEY = 'step-challenge.session';

/** What the backend answers to a login. */
export interface Session {
  token: string;
  openid: string;
  team: TeamId;
}

/** The two teams of the challenge. */
export type TeamId = 'red' | 'blue';

/** One day of the 31-day history, as the backend decrypted it. */
export interface StepDay {
  date: string;
  step: number;
}

/** One team on the leaderboard. */
export interface TeamStanding {
  id: TeamId;
  name: string;
  total: number;
  members: { openid: string; steps: number; date: string }[];
}

/** A failed backend call, with the backend's message. */
export class BackendError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'BackendError';
  }
}

/** The stored session, if this phone has logged in. */
export function currentSession(): Session | undefined {
  const value: unknown = Taro.getStorageSync(SESSION_KEY);
  return value && typeof value === 'object' ? (value as Session) : undefined;
}

async function call<T>(method: 'GET' | 'POST', path: string, data?: object): Promise<T> {
  const session = currentSession();
  const response = await Taro.request<T | { error?: { message?: string } }>({
    url: `${BACKEND_URL}${path}`,
    method,
    data,
    header: { 'content-type': 'application/json', ...(session ? { authorization: `Bearer ${session.token}` } : {}) },
  });
  if (response.statusCode >= 400) {
    const message = (response.data as { error?: { message?: string } } | undefined)?.error?.message;
    throw new BackendError(response.statusCode, message ?? `backend answered HTTP ${response.statusCode}`);
  }
  return response.data as T;
}

/** Exchanges a `Taro.login` code for a backend session and remembers it. */
export async function login(code: string, team: TeamId): Promise<Session> {
  const session = await call<Session>('POST', '/api/login', { code, team });
  Taro.setStorageSync(SESSION_KEY, session);
  return session;
}

/** Sends `Taro.getWeRunData`'s encryptedData and iv to the backend, which decrypts and checks them. */
export async function decryptSteps(encryptedData: string, iv: string): Promise<StepDay[]> {
  const { days } = await call<{ days: StepDay[] }>('POST', '/api/werun', { encryptedData, iv });
  return days;
}

/** The teams, best first. */
export async function leaderboard(): Promise<TeamStanding[]> {
  const { teams } = await call<{ teams: TeamStanding[] }>('GET', '/api/leaderboard');
  return teams;
}

/** The errMsg of a failed Taro API call, or the message of any other error. */
export function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'errMsg' in error) return String((error as { errMsg: unknown }).errMsg);
  return error instanceof Error ? error.message : String(error);
}
