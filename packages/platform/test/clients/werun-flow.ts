/**
 * The WeRun flow the real-SDK conformance tests drive, with the loopback guard on: a listening platform (HTTP and
 * TLS), a cloud-enabled WeChat app, a user with steps who granted scope.werun, and the phone side (login code,
 * getWeRunData) played through the runtime API.
 */
import { createRequire } from 'node:module';
import { addChinaDays, chinaDateOf } from '@openrun/core';
import { buildPlatform, listenPlatform, listenPlatformTls } from '@openrun/platform';
import { expect } from 'vitest';

const guard = createRequire(import.meta.url)('../fixtures/loopback-guard.cjs') as { violations: Array<{ kind: string; host: string }> };

/** Every connection or lookup that tried to leave the machine, in this process. */
export const offMachineAttempts = guard.violations;

/** A running platform with one app and one user ready for the WeRun flow. */
export interface WeRunSetup {
  baseUrl: string;
  tlsUrl: string;
  caPem: string;
  app: { appid: string; secret: string };
  user: { id: string; deviceToken: string };
  today: string;
  close(): Promise<void>;
  /** A fresh login code from the phone. */
  loginCode(): Promise<string>;
  /** What `wx.getWeRunData` gives the mini program. */
  weRunData(): Promise<{ encryptedData: string; iv: string; cloudID?: string }>;
}

async function json<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

/** Starts the platform and creates the app and user. */
export async function startWeRunSetup(): Promise<WeRunSetup> {
  const platform = buildPlatform({ memory: true });
  const baseUrl = await listenPlatform(platform, { host: '127.0.0.1', port: 0 });
  const tlsUrl = await listenPlatformTls(platform, { host: '127.0.0.1', port: 0 });
  const control = `${baseUrl}/openrun/control/v1`;
  const caPem = await (await fetch(`${baseUrl}/openrun/ca.pem`)).text();
  const app = await json<{ appid: string; secret: string }>(`${control}/apps`, { method: 'POST', body: JSON.stringify({ platform: 'weapp', cloud: true, name: 'sdk conformance' }) });
  const user = await json<{ id: string; deviceToken: string }>(`${control}/users`, { method: 'POST', body: '{}' });
  const today = chinaDateOf(Math.floor((await json<{ nowMs: number }>(`${control}/clock`)).nowMs / 1000));
  await json(`${control}/users/${user.id}/steps`, { method: 'PUT', body: JSON.stringify({ days: [{ date: addChinaDays(today, -1), steps: 10_000 }, { date: today, steps: 2_500 }] }) });
  await json(`${control}/apps/${app.appid}/users/${user.id}/grants`, { method: 'PUT', body: JSON.stringify({ 'scope.werun': true }) });
  const runtime = (path: string) =>
    json<Record<string, string>>(`${baseUrl}/openrun/runtime/v1/apps/${app.appid}${path}`, { method: 'POST', headers: { authorization: `Bearer ${user.deviceToken}` } });
  return {
    baseUrl,
    tlsUrl,
    caPem,
    app,
    user,
    today,
    close: () => platform.close(),
    loginCode: async () => (await runtime('/login')).code!,
    weRunData: async () => (await runtime('/werun')) as { encryptedData: string; iv: string; cloudID?: string },
  };
}

/** Checks a decrypted WeRun payload (or a getopendata `data`) against the user's steps. */
export function expectWeRunSnapshot(s: WeRunSetup, decrypted: unknown): void {
  const data = decrypted as { stepInfoList: Array<{ timestamp: number; step: number }>; watermark?: { appid: string } };
  expect(data.stepInfoList).toHaveLength(31);
  expect(data.stepInfoList.at(-1)!.step).toBe(2_500);
  expect(data.stepInfoList.at(-2)!.step).toBe(10_000);
  expect(chinaDateOf(data.stepInfoList.at(-1)!.timestamp)).toBe(s.today);
  if (data.watermark) expect(data.watermark.appid).toBe(s.app.appid);
}

/** Checks a getopendata reply's first entry. */
export function expectOpenData(s: WeRunSetup, reply: unknown, cloudID: string): void {
  const body = reply as { errcode: number; data_list: Array<{ cloud_id: string; json: string }> };
  expect(body.errcode).toBe(0);
  expect(body.data_list[0]!.cloud_id).toBe(cloudID);
  expectWeRunSnapshot(s, (JSON.parse(body.data_list[0]!.json) as { data: unknown }).data);
}
