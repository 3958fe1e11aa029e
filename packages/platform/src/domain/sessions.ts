/**
 * Login codes and sessions: wx.login / qq.login, code2Session, checkSession and checkSessionKey.
 * @see PROTOCOL.md §2, §3, §8, §9.3
 */
import { CHECK_SESSION_EXPIRED_ERRMSG, NOT_LOGGED_IN_REASON, failErrMsg, type MiniProgramPlatform } from '@openrun/core';
import { secretsEqual, sessionKeySignature } from '@openrun/core/cipher';
import type { AppRecord, AppUserRecord, UserRecord } from '../stores/records.js';
import { requireApp, requireAppCredentials } from './apps.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError, PlatformApiError } from './errors.js';

/** A login code lives this long. */
export const LOGIN_CODE_TTL_MS = 5 * 60 * 1000;
/** Code exchanges allowed per user per minute. */
export const CODE2SESSION_PER_MINUTE = 100;

/** Runs wx.login for a user: issues a single-use code and rotates the session_key when the minimum period has passed. */
export async function login(ctx: PlatformContext, app: AppRecord, user: UserRecord): Promise<{ code: string }> {
  const now = ctx.clock.now();
  await ctx.durable.recordLogin({
    appid: app.appid,
    userId: user.id,
    newOpenid: ctx.ids.openid(),
    newUnionid: app.openPlatformId ? ctx.ids.unionid() : null,
    newSessionKey: ctx.ids.sessionKey(),
    now,
    minRotationMs: ctx.config.sessionRotationMinSeconds * 1000,
  });
  const code = ctx.ids.loginCode();
  await ctx.ephemeral.putLoginCode({ code, appid: app.appid, userId: user.id, expiresAt: now + LOGIN_CODE_TTL_MS });
  return { code };
}

/** The jscode2session success body: no errcode, as the real host answers. */
export interface Code2SessionResult {
  session_key: string;
  openid: string;
  unionid?: string;
}

/** Exchanges a login code once for openid and session_key (jscode2session). */
export async function code2Session(
  ctx: PlatformContext,
  platform: MiniProgramPlatform,
  params: { appid: string; secret: string; js_code: string; grant_type: string },
): Promise<Code2SessionResult> {
  const app = await requireAppCredentials(ctx, platform, params.appid, params.secret, 'INVALID_APPSECRET');
  if (params.grant_type !== 'authorization_code') throw new PlatformApiError('INVALID_GRANT_TYPE');
  const now = ctx.clock.now();
  const minute = Math.floor(now / 60_000);
  // The exchange is counted against the code's user in the same step as the take: one round trip to the store.
  const taken = await ctx.ephemeral.takeLoginCodeCounted(params.js_code, app.appid, now, {
    before: `c2s:${app.appid}:`, after: `:${minute}`, expiresAt: (minute + 1) * 60_000,
  });
  if (taken.status === 'invalid') throw new PlatformApiError('INVALID_CODE');
  if (taken.status === 'used') throw new PlatformApiError('CODE_BEEN_USED');
  if (taken.count > CODE2SESSION_PER_MINUTE) throw new PlatformApiError('MINUTE_QUOTA');
  const appUser = await ctx.durable.getAppUser(app.appid, taken.userId);
  if (!appUser?.sessionKey) throw new PlatformApiError('INVALID_CODE');
  return {
    session_key: appUser.sessionKey,
    openid: appUser.openid,
    ...(appUser.unionid ? { unionid: appUser.unionid } : {}),
  };
}

/** The app user of a logged-in mini program, or the runtime failure `<api>:fail please call login first`. */
export async function requireSession(
  ctx: PlatformContext,
  app: AppRecord,
  user: UserRecord,
  api: string,
): Promise<AppUserRecord & { sessionKey: string }> {
  const appUser = await ctx.durable.getAppUser(app.appid, user.id);
  if (!appUser?.sessionKey) {
    throw new OpenRunApiError('NOT_LOGGED_IN', `${api} needs a login first: call login`, failErrMsg(api, NOT_LOGGED_IN_REASON));
  }
  return { ...appUser, sessionKey: appUser.sessionKey };
}

/** wx.checkSession: succeeds while the session of the latest login is current. */
export async function checkSession(ctx: PlatformContext, app: AppRecord, user: UserRecord): Promise<void> {
  const appUser = await ctx.durable.getAppUser(app.appid, user.id);
  if (!appUser?.sessionKey) {
    throw new OpenRunApiError('SESSION_EXPIRED', 'no current session: call login again', CHECK_SESSION_EXPIRED_ERRMSG);
  }
}

/** checkSessionKey (GET /wxa/checksession): is `signature` the HMAC of the user's current session_key? */
export async function checkSessionKey(
  ctx: PlatformContext,
  appid: string,
  params: { openid: string; signature: string; sig_method: string },
): Promise<{ errcode: 0; errmsg: 'ok' }> {
  const app = await requireApp(ctx, appid, 'weapp');
  const appUser = await ctx.durable.getAppUserByOpenid(app.appid, params.openid);
  if (!appUser) throw new PlatformApiError('INVALID_OPENID');
  if (params.sig_method !== 'hmac_sha256' || !appUser.sessionKey) throw new PlatformApiError('INVALID_SIGNATURE');
  if (!secretsEqual(sessionKeySignature(appUser.sessionKey), params.signature.toLowerCase())) {
    throw new PlatformApiError('INVALID_SIGNATURE');
  }
  return { errcode: 0, errmsg: 'ok' };
}
