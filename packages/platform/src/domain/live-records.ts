/**
 * The live ephemeral records — login codes, access tokens and cloudIDs — with their remaining lifetime on the
 * platform clock, as the control API and the dashboard show them.
 */
import type { Page, PageRequest } from '../stores/page.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';

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

/** One page of what is still alive at the platform's now: up to `limit` of each kind; `next` while any kind has more. */
export interface LiveRecords {
  now: number;
  loginCodes: LiveLoginCode[];
  accessTokens: LiveAccessToken[];
  cloudIds: LiveCloudId[];
  next?: string;
}

/** Where each of the three lists stands: a store position, or null once that list is finished. */
type LivePositions = [string | null, string | null, string | null];

function readPositions(after: string | undefined): LivePositions | undefined {
  if (after === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(after);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((p) => p === null || typeof p === 'string')) {
    throw new OpenRunApiError('VALIDATION', 'cursor is not a nextCursor of the live records');
  }
  return parsed as LivePositions;
}

async function pageOrDone<T>(position: string | null | undefined, read: (request: PageRequest) => Promise<Page<T>>, limit: number): Promise<Page<T> | null> {
  if (position === null) return null;
  return read({ limit, after: position });
}

/** Lists one page of live codes, tokens and cloudIDs (soonest expiry first) with the time each has left. */
export async function listLiveRecords(ctx: PlatformContext, request: PageRequest): Promise<LiveRecords> {
  const now = ctx.clock.now();
  const at = readPositions(request.after);
  const { limit } = request;
  const [codePage, tokenPage, cloudIdPage] = await Promise.all([
    pageOrDone(at?.[0], (r) => ctx.ephemeral.listLiveLoginCodes(now, r), limit),
    pageOrDone(at?.[1], (r) => ctx.ephemeral.listLiveAccessTokens(now, r), limit),
    pageOrDone(at?.[2], (r) => ctx.ephemeral.listLiveCloudIds(now, r), limit),
  ]);
  const positions: LivePositions = [codePage?.next ?? null, tokenPage?.next ?? null, cloudIdPage?.next ?? null];
  const codes = codePage?.items ?? [];
  const tokens = tokenPage?.items ?? [];
  const cloudIds = cloudIdPage?.items ?? [];
  return {
    now,
    ...(positions.some((p) => p !== null) ? { next: JSON.stringify(positions) } : {}),
    loginCodes: codes.map((c) => ({ ...c, remainingMs: c.expiresAt - now })),
    accessTokens: tokens.map((t) => {
      const end = t.supersededUntil === null ? t.expiresAt : Math.min(t.expiresAt, t.supersededUntil);
      return { token: t.token, appid: t.appid, kind: t.kind, supersededUntil: t.supersededUntil, expiresAt: t.expiresAt, remainingMs: end - now };
    }),
    cloudIds: cloudIds.map((c) => ({ cloudId: c.cloudId, appid: c.appid, openid: c.openid, expiresAt: c.expiresAt, remainingMs: c.expiresAt - now })),
  };
}
