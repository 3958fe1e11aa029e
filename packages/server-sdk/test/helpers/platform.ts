/**
 * Starts the real OpenRun platform on an ephemeral loopback port and drives it through its public HTTP APIs only:
 * the control API (apps, users, steps, grants, clock, faults) and the runtime API (plays the phone).
 */
import type { AddressInfo } from 'node:net';
import { buildPlatform } from '@openrun/platform';

/** A running platform and helpers around its control and runtime APIs. */
export interface TestPlatform {
  /** `http://127.0.0.1:<port>`: the WeChat base URL; QQ is `${baseUrl}/qq`. */
  baseUrl: string;
  close(): Promise<void>;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  runtime<T = unknown>(deviceToken: string, path: string): Promise<T>;
  createApp(options: {
    platform: 'weapp' | 'qq';
    cloud?: boolean;
  }): Promise<{ appid: string; secret: string; cloudEnv: string | null }>;
  createUser(steps?: { date: string; steps: number }[]): Promise<{ id: string; deviceToken: string }>;
  grant(appid: string, userId: string, scope: 'scope.werun' | 'scope.qqrun'): Promise<void>;
  login(appid: string, deviceToken: string): Promise<string>;
  stepData(
    appid: string,
    deviceToken: string,
    api: 'werun' | 'qqrun',
  ): Promise<{ encryptedData: string; iv: string; cloudID?: string }>;
  /** The next `times` calls of `route` (e.g. `GET /cgi-bin/token`) answer `errcode`. */
  fault(route: string, errcode: number, times?: number): Promise<void>;
  advanceClock(seconds: number): Promise<void>;
  /** The platform clock, Unix seconds. */
  nowSeconds(): Promise<number>;
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname} → HTTP ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Builds and starts a fresh in-memory platform (with cloud functions from `functionsDir`, if given). */
export async function startPlatform(options: { functionsDir?: string } = {}): Promise<TestPlatform> {
  const app = buildPlatform({ memory: true, host: '127.0.0.1', ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const json = (body: unknown): RequestInit =>
    body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };

  const platform: TestPlatform = {
    baseUrl,
    close: async () => {
      await app.close();
    },
    control: (method, path, body) => call(`${baseUrl}/openrun/control/v1${path}`, { method, ...json(body) }),
    runtime: (deviceToken, path) =>
      call(`${baseUrl}/openrun/runtime/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${deviceToken}` } }),
    createApp: (options) => platform.control('POST', '/apps', options),
    createUser: async (steps) => {
      const user = await platform.control<{ id: string; deviceToken: string }>('POST', '/users', { nickname: 'walker' });
      if (steps && steps.length > 0) await platform.control('PUT', `/users/${user.id}/steps`, { days: steps });
      return user;
    },
    grant: async (appid, userId, scope) => {
      await platform.control('PUT', `/apps/${appid}/users/${userId}/grants`, { [scope]: true });
    },
    login: async (appid, deviceToken) => (await platform.runtime<{ code: string }>(deviceToken, `/apps/${appid}/login`)).code,
    stepData: (appid, deviceToken, api) => platform.runtime(deviceToken, `/apps/${appid}/${api}`),
    fault: async (route, errcode, times = 1) => {
      await platform.control('POST', '/faults', { route, errcode, times });
    },
    advanceClock: async (seconds) => {
      await platform.control('POST', '/clock/advance', { seconds });
    },
    nowSeconds: async () => Math.floor((await platform.control<{ nowMs: number }>('GET', '/clock')).nowMs / 1000),
  };
  return platform;
}
