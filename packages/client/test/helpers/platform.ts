/**
 * Starts a real OpenRun platform on an ephemeral loopback port for the client's integration tests, and drives its
 * control and developer APIs over HTTP (public interfaces only, STYLE.md P23).
 */
import { buildPlatform, type PlatformOptions } from '@openrun/platform';

/** The built (unstarted) platform: a Fastify instance. */
export type PlatformApp = ReturnType<typeof buildPlatform>;

/** A created app as the control API returns it. */
export interface TestApp {
  appid: string;
  secret: string;
  platform: 'weapp' | 'qq';
  cloud: boolean;
  baseLibVersion: string;
}

/** A created user as the control API returns it. */
export interface TestUser {
  id: string;
  deviceToken: string;
}

/** A listening platform plus control-API helpers. */
export interface TestPlatform {
  baseUrl: string;
  app: PlatformApp;
  control<T>(method: string, path: string, body?: unknown): Promise<T>;
  createApp(body: { platform: 'weapp' | 'qq'; cloud?: boolean; baseLibVersion?: string; name?: string }): Promise<TestApp>;
  createUser(body?: { werunEnabled?: boolean; hasStepCounter?: boolean; promptAnswer?: 'accept' | 'deny' | 'ask' }): Promise<TestUser>;
  putSteps(userId: string, days: Array<{ date: string; steps: number }>): Promise<void>;
  code2Session(app: TestApp, code: string): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Builds an in-memory platform (plus `options`), lets `prepare` add test-only routes, and listens on 127.0.0.1:0. */
export async function startPlatform(prepare?: (app: PlatformApp) => void, options: PlatformOptions = {}): Promise<TestPlatform> {
  const app = buildPlatform({ memory: true, ...options });
  prepare?.(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('platform did not listen on a TCP port');
  const baseUrl = `http://127.0.0.1:${address.port}`;

  async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await fetch(`${baseUrl}/openrun/control/v1${path}`, init);
    const text = await response.text();
    if (!response.ok) throw new Error(`control ${method} ${path} → HTTP ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    baseUrl,
    app,
    control,
    createApp: (body) => control<TestApp>('POST', '/apps', body),
    createUser: (body = {}) => control<TestUser>('POST', '/users', body),
    putSteps: async (userId, days) => {
      await control('PUT', `/users/${userId}/steps`, { days });
    },
    code2Session: async (testApp, code) => {
      const prefix = testApp.platform === 'qq' ? '/qq' : '';
      const query = new URLSearchParams({
        appid: testApp.appid,
        secret: testApp.secret,
        js_code: code,
        grant_type: 'authorization_code',
      });
      const response = await fetch(`${baseUrl}${prefix}/sns/jscode2session?${query}`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    close: () => app.close(),
  };
}

/** A fixed instant (2026-03-10 12:00 China time) the tests freeze the platform clock at. */
export const FROZEN_NOW = '2026-03-10T04:00:00.000Z';
