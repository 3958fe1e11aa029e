/**
 * Access tokens: /cgi-bin/token (new token per call, old one valid 5 more minutes), /cgi-bin/stable_token (same token
 * until its last 5 minutes; force_refresh rules) and the validation every token-protected API runs.
 * @see PROTOCOL.md §9.1, §9.2
 */
import { ACCESS_TOKEN_PATTERN, chinaDateOf, type MiniProgramPlatform } from '@openrun/core';
import type { AccessTokenKind, AppRecord } from '../stores/records.js';
import { requireAppCredentials } from './apps.js';
import type { PlatformContext } from './context.js';
import { PlatformApiError } from './errors.js';

/** Token lifetime. */
export const ACCESS_TOKEN_TTL_SECONDS = 7200;
/** How long a replaced token keeps working. */
export const TOKEN_OVERLAP_SECONDS = 300;
/** force_refresh calls allowed per China day. */
export const STABLE_FORCE_REFRESH_PER_DAY = 20;
/** force_refresh calls closer than this to the last refresh return the current token. */
export const STABLE_FORCE_REFRESH_MIN_INTERVAL_SECONDS = 30;

/** The token endpoints' success body. */
export interface AccessTokenResult {
  access_token: string;
  expires_in: number;
}

async function issue(ctx: PlatformContext, app: AppRecord, kind: AccessTokenKind, overlapSeconds: number): Promise<AccessTokenResult> {
  const now = ctx.clock.now();
  const token = ctx.ids.accessToken();
  await ctx.ephemeral.issueAccessToken(
    { token, appid: app.appid, kind, issuedAt: now, expiresAt: now + ACCESS_TOKEN_TTL_SECONDS * 1000, supersededUntil: null },
    now + overlapSeconds * 1000,
  );
  return { access_token: token, expires_in: ACCESS_TOKEN_TTL_SECONDS };
}

/** Counts a /cgi-bin/token call against the app's daily quota (per China day); 45009 once it is spent. */
async function spendDailyTokenQuota(ctx: PlatformContext, app: AppRecord): Promise<void> {
  const quota = ctx.config.tokenDailyQuota;
  if (quota === 0) return;
  const now = ctx.clock.now();
  const day = chinaDateOf(Math.floor(now / 1000));
  const count = await ctx.ephemeral.incrementCounter(`token-daily:${app.appid}:${day}`, now + 2 * 86_400_000);
  if (count > quota) throw new PlatformApiError('DAILY_QUOTA');
}

function checkGrantType(grantType: string): void {
  if (grantType !== 'client_credential') throw new PlatformApiError('INVALID_GRANT_TYPE');
}

/** GET /cgi-bin/token (and QQ /api/getToken): a new token; the previous one keeps working for 5 minutes. */
export async function getAccessToken(
  ctx: PlatformContext,
  platform: MiniProgramPlatform,
  params: { grant_type: string; appid: string; secret: string },
): Promise<AccessTokenResult> {
  checkGrantType(params.grant_type);
  const app = await requireAppCredentials(ctx, platform, params.appid, params.secret, 'INVALID_CREDENTIAL');
  if (platform === 'weapp') await spendDailyTokenQuota(ctx, app);
  return issue(ctx, app, 'normal', TOKEN_OVERLAP_SECONDS);
}

/** POST /cgi-bin/stable_token: the same token until its last 5 minutes; force_refresh replaces it at once. */
export async function getStableAccessToken(
  ctx: PlatformContext,
  params: { grant_type: string; appid: string; secret: string; force_refresh?: boolean },
): Promise<AccessTokenResult> {
  checkGrantType(params.grant_type);
  const app = await requireAppCredentials(ctx, 'weapp', params.appid, params.secret, 'INVALID_CREDENTIAL');
  const now = ctx.clock.now();
  const current = await ctx.ephemeral.latestAccessToken(app.appid, 'stable');
  const live = current && current.supersededUntil === null && now < current.expiresAt ? current : undefined;
  const remaining = live ? Math.floor((live.expiresAt - now) / 1000) : 0;
  if (params.force_refresh) {
    if (live && now - live.issuedAt < STABLE_FORCE_REFRESH_MIN_INTERVAL_SECONDS * 1000) {
      return { access_token: live.token, expires_in: remaining };
    }
    const day = chinaDateOf(Math.floor(now / 1000));
    const count = await ctx.ephemeral.incrementCounter(`stable-force:${app.appid}:${day}`, now + 2 * 86_400_000);
    if (count > STABLE_FORCE_REFRESH_PER_DAY) throw new PlatformApiError('DAILY_QUOTA');
    return issue(ctx, app, 'stable', 0);
  }
  if (live && remaining > TOKEN_OVERLAP_SECONDS) return { access_token: live.token, expires_in: remaining };
  return issue(ctx, app, 'stable', TOKEN_OVERLAP_SECONDS);
}

/** The app a token-protected call acts for: 41001 missing, 40014 malformed, 42001 expired, 40001 unknown or replaced. */
export async function requireAccessToken(ctx: PlatformContext, token: string | undefined): Promise<string> {
  if (token === undefined || token === '') throw new PlatformApiError('ACCESS_TOKEN_MISSING');
  if (!ACCESS_TOKEN_PATTERN.test(token)) throw new PlatformApiError('INVALID_ACCESS_TOKEN');
  const record = await ctx.ephemeral.getAccessToken(token);
  if (!record) throw new PlatformApiError('INVALID_CREDENTIAL');
  const now = ctx.clock.now();
  if (record.supersededUntil !== null && now >= record.supersededUntil && record.supersededUntil < record.expiresAt) {
    throw new PlatformApiError('INVALID_CREDENTIAL');
  }
  if (now >= record.expiresAt) throw new PlatformApiError('ACCESS_TOKEN_EXPIRED');
  return record.appid;
}
