/**
 * The live ephemeral records — login codes, access tokens and cloudIDs — with their remaining lifetime on the
 * platform clock, as the control API and the dashboard show them.
 */
import type { PlatformContext } from './context.js';

/** A live login code. */
export interface LiveLoginCode {
  code: string;
  appid: string;
  userId: string;
  used: boolean;
  expiresAt: number;
  remainingMs: number;
}

/** A live access token. */
export interface LiveAccessToken {
  token: string;
  appid: string;
  kind: 'normal' | 'stable';
  /** When a newer token replaced it: the instant it stops working. */
  supersededUntil: number | null;
  expiresAt: number;
  remainingMs: number;
}

/** A live cloudID. */
export interface LiveCloudId {
  cloudId: string;
  appid: string;
  openid: string;
  expiresAt: number;
  remainingMs: number;
}

/** Everything still alive at the platform's now. */
export interface LiveRecords {
  now: number;
  loginCodes: LiveLoginCode[];
  accessTokens: LiveAccessToken[];
  cloudIds: LiveCloudId[];
}

/** Lists live codes, tokens and cloudIDs with the time each has left. */
export async function listLiveRecords(ctx: PlatformContext): Promise<LiveRecords> {
  const now = ctx.clock.now();
  const [codes, tokens, cloudIds] = await Promise.all([
    ctx.ephemeral.listLiveLoginCodes(now),
    ctx.ephemeral.listLiveAccessTokens(now),
    ctx.ephemeral.listLiveCloudIds(now),
  ]);
  return {
    now,
    loginCodes: codes.map((c) => ({ ...c, remainingMs: c.expiresAt - now })),
    accessTokens: tokens.map((t) => {
      const end = t.supersededUntil === null ? t.expiresAt : Math.min(t.expiresAt, t.supersededUntil);
      return { token: t.token, appid: t.appid, kind: t.kind, supersededUntil: t.supersededUntil, expiresAt: t.expiresAt, remainingMs: end - now };
    }),
    cloudIds: cloudIds.map((c) => ({ cloudId: c.cloudId, appid: c.appid, openid: c.openid, expiresAt: c.expiresAt, remainingMs: c.expiresAt - now })),
  };
}
