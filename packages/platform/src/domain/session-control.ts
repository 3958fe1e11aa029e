/**
 * Sessions as the control API changes them: rotate a session_key now (whatever the minimum period), or end it now so
 * that checkSession fails and the next getWeRunData asks for a login.
 */
import type { AppUserRecord } from '../stores/records.js';
import { findAppOr404 } from './apps.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';
import { requireUser } from './users.js';

async function requireAppUser(ctx: PlatformContext, appid: string, userId: string): Promise<AppUserRecord> {
  await findAppOr404(ctx, appid);
  await requireUser(ctx, userId);
  const appUser = await ctx.durable.getAppUser(appid, userId);
  if (!appUser) throw new OpenRunApiError('CONFLICT', `user "${userId}" has never logged in to ${appid}: there is no session`);
  return appUser;
}

/** The app user's openid and current session. */
export async function getSession(ctx: PlatformContext, appid: string, userId: string): Promise<AppUserRecord> {
  return requireAppUser(ctx, appid, userId);
}

/** Gives the user a new session_key in the app now. */
export async function rotateSessionNow(ctx: PlatformContext, appid: string, userId: string): Promise<AppUserRecord> {
  await requireAppUser(ctx, appid, userId);
  const rotated = await ctx.durable.rotateSessionKey(appid, userId, ctx.ids.sessionKey(), ctx.clock.now());
  if (!rotated) throw new OpenRunApiError('CONFLICT', `user "${userId}" has no session in ${appid}`);
  return rotated;
}

/** Ends the user's session in the app now. */
export async function expireSessionNow(ctx: PlatformContext, appid: string, userId: string): Promise<AppUserRecord> {
  await requireAppUser(ctx, appid, userId);
  const expired = await ctx.durable.expireSessionKey(appid, userId);
  if (!expired) throw new OpenRunApiError('CONFLICT', `user "${userId}" has no session in ${appid}`);
  return expired;
}
