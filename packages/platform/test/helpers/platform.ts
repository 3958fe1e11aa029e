/**
 * Test helpers: a real platform listening on an ephemeral loopback port, driven only over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPlatform, listenPlatform, type PlatformOptions, type PlatformSeams } from '@openrun/platform';

/** A JSON reply. */
export interface JsonReply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

/** A listening platform and typed shortcuts to its APIs. */
export interface TestPlatform {
  baseUrl: string;
  close(): Promise<void>;
  /** Any request; the body is sent as JSON unless it is a string. */
  request<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<JsonReply<T>>;
  control<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<JsonReply<T>>;
  runtime<T = Record<string, unknown>>(deviceToken: string, method: string, path: string, body?: unknown): Promise<JsonReply<T>>;
  createApp(body: Record<string, unknown>): Promise<TestApp>;
  createUser(body?: Record<string, unknown>): Promise<TestUser>;
  /** Freezes the clock at `iso`. */
  freezeClock(iso: string): Promise<void>;
  advance(seconds: number): Promise<void>;
}

/** An app created through the control API. */
export interface TestApp {
  appid: string;
  secret: string;
  platform: 'weapp' | 'qq';
  cloud: boolean;
}

/** A user created through the control API. */
export interface TestUser {
  id: string;
  deviceToken: string;
}

/** Starts a platform on 127.0.0.1 port 0 (in memory unless options say otherwise). */
export async function startTestPlatform(options: PlatformOptions = {}, seams: PlatformSeams = {}): Promise<TestPlatform> {
  const app = buildPlatform({ memory: true, ...options }, seams);
  const baseUrl = await listenPlatform(app, { host: '127.0.0.1', port: 0 });
  const request = async <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonReply<T>> => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    }
    const res = await fetch(baseUrl + path, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : {}) as T };
  };
  const control = <T>(method: string, path: string, body?: unknown) => request<T>(method, `/openrun/control/v1${path}`, body);
  const platform: TestPlatform = {
    baseUrl,
    close: () => app.close(),
    request,
    control,
    runtime: <T>(deviceToken: string, method: string, path: string, body?: unknown) =>
      request<T>(method, `/openrun/runtime/v1${path}`, body, { authorization: `Bearer ${deviceToken}` }),
    async createApp(body) {
      const r = await control<TestApp>('POST', '/apps', body);
      if (r.status !== 201) throw new Error(`createApp failed: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async createUser(body = {}) {
      const r = await control<TestUser>('POST', '/users', body);
      if (r.status !== 201) throw new Error(`createUser failed: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async freezeClock(iso) {
      const r = await control('PUT', '/clock', { now: iso, frozen: true });
      if (r.status !== 200) throw new Error(`freezeClock failed: ${JSON.stringify(r.body)}`);
    },
    async advance(seconds) {
      const r = await control('POST', '/clock/advance', { seconds });
      if (r.status !== 200) throw new Error(`advance failed: ${JSON.stringify(r.body)}`);
    },
  };
  return platform;
}

/** A test platform on a file store in a fresh temporary folder, which its `close` removes. */
export interface FileTestPlatform extends TestPlatform {
  dataDir: string;
  /** The SQLite file of the store. */
  file: string;
}

/** Starts a platform on a file-backed SQLite store in a new temporary folder (removed again on close). */
export async function startFileTestPlatform(options: PlatformOptions = {}): Promise<FileTestPlatform> {
  const dataDir = mkdtempSync(join(tmpdir(), 'openrun-file-store-'));
  const platform = await startTestPlatform({ ...options, memory: false, dataDir });
  return {
    ...platform,
    dataDir,
    file: join(dataDir, 'openrun.sqlite'),
    async close() {
      await platform.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Logs `user` into `app` on the phone and returns the login code. */
export async function loginCode(p: TestPlatform, app: TestApp, user: TestUser): Promise<string> {
  const r = await p.runtime<{ code: string }>(user.deviceToken, 'POST', `/apps/${app.appid}/login`);
  if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.body)}`);
  return r.body.code;
}

/** The jscode2session path for a code (QQ apps under /qq). */
export function code2sessionPath(app: TestApp, code: string, overrides: Record<string, string | undefined> = {}): string {
  const params = { appid: app.appid, secret: app.secret, js_code: code, grant_type: 'authorization_code', ...overrides };
  const query = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined));
  return `${app.platform === 'qq' ? '/qq' : ''}/sns/jscode2session?${query}`;
}

/** Logs in and exchanges the code: the backend's view of the session. */
export async function loginAndExchange(p: TestPlatform, app: TestApp, user: TestUser): Promise<{ openid: string; session_key: string }> {
  const code = await loginCode(p, app, user);
  const r = await p.request<{ openid: string; session_key: string }>('GET', code2sessionPath(app, code));
  if (!r.body.session_key) throw new Error(`jscode2session failed: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A fresh access token for a WeChat app. */
export async function accessToken(p: TestPlatform, app: TestApp): Promise<string> {
  const r = await p.request<{ access_token: string }>(
    'GET',
    `/cgi-bin/token?grant_type=client_credential&appid=${app.appid}&secret=${app.secret}`,
  );
  return r.body.access_token;
}

/** The base text of an errmsg, without the `, rid: …` suffix. */
export function errmsgText(errmsg: unknown): string {
  return String(errmsg).replace(/, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/, '');
}
