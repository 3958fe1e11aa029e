/**
 * Shared setup of the cloud-function tests: a platform running the fixture functions, a cloud-enabled WeChat app, a
 * logged-in user with steps, and shortcuts for cloudIDs and calls through the runtime API and the HTTP API.
 */
import type { PlatformSeams } from '@openrun/platform';
import { fileURLToPath } from 'node:url';
import { accessToken, loginAndExchange, startTestPlatform, type JsonReply, type TestApp, type TestPlatform, type TestUser } from '../helpers/platform.js';

/** The fixture functions folder. */
export const FIXTURE_FUNCTIONS = fileURLToPath(new URL('../fixtures/functions', import.meta.url));

/** A platform with a cloud app and a user who has steps and a session. */
export interface CloudSetup {
  p: TestPlatform;
  app: TestApp & { cloudEnv: string };
  user: TestUser;
  openid: string;
}

/** Starts the platform on `functionsDir` (default: the fixtures) with a frozen clock, a cloud app and a user. */
export async function startCloudSetup(functionsDir = FIXTURE_FUNCTIONS, seams: PlatformSeams = {}): Promise<CloudSetup> {
  const p = await startTestPlatform({ functionsDir }, seams);
  await p.freezeClock('2026-06-01T04:00:00Z');
  const app = (await p.createApp({ platform: 'weapp', cloud: true })) as TestApp & { cloudEnv: string };
  const user = await p.createUser();
  await p.control('PUT', `/users/${user.id}/steps`, { days: [{ date: '2026-06-01', steps: 4321 }] });
  const { openid } = await loginAndExchange(p, app, user);
  return { p, app, user, openid };
}

/** A fresh cloudID of `user` in `app` (getWeRunData on the phone). */
export async function cloudIdOf(p: TestPlatform, app: TestApp, user: TestUser): Promise<string> {
  const r = await p.runtime<{ cloudID: string }>(user.deviceToken, 'POST', `/apps/${app.appid}/werun`);
  if (!r.body.cloudID) throw new Error(`no cloudID: ${JSON.stringify(r.body)}`);
  return r.body.cloudID;
}

/** The CloudID marker the client SDK sends for a top-level `wx.cloud.CloudID(id)`. */
export function marker(cloudID: string): { __openrun_cloudID__: string } {
  return { __openrun_cloudID__: cloudID };
}

/** The runtime API reply of a callFunction. */
export interface CallReply {
  result?: Record<string, unknown>;
  requestID?: string;
  error?: { code: string; message: string; errMsg: string; errCode: number };
}

/** wx.cloud.callFunction through the runtime API. */
export function callFunction(s: CloudSetup, name: string, data: Record<string, unknown> = {}, user = s.user): Promise<JsonReply<CallReply>> {
  return s.p.runtime<CallReply>(user.deviceToken, 'POST', `/apps/${s.app.appid}/functions/${name}`, { data });
}

/** The developer API reply of invokecloudfunction. */
export interface InvokeReply {
  errcode: number;
  errmsg: string;
  resp_data?: string;
}

/** POST /tcb/invokecloudfunction with a fresh access token. */
export async function invokeCloudFunction(s: CloudSetup, name: string, data: Record<string, unknown> = {}, env = s.app.cloudEnv): Promise<JsonReply<InvokeReply>> {
  const token = await accessToken(s.p, s.app);
  return s.p.request<InvokeReply>('POST', `/tcb/invokecloudfunction?access_token=${token}&env=${env}&name=${name}`, data);
}
