/**
 * The retry policy, as two pure functions. WeChat rules: retry -1 (`system error`, "busy, retry") and connection
 * failures with capped, jittered exponential backoff; never retry any other errcode; never replay a request that
 * may have reached the server when replaying it is unsafe (a login code is single-use). Token rejections
 * (40001/42001/40014) are not retried here: the client refreshes the token once and retries once.
 * @see PROTOCOL.md §8.2, §9.1; STYLE.md P21
 */
import { PLATFORM_ERRORS } from '@openrun/core';

/** What one attempt ended with, as far as retrying is concerned. */
export type AttemptOutcome =
  | { kind: 'platform-error'; errcode: number }
  | { kind: 'connection-error'; mayHaveReachedServer: boolean }
  | { kind: 'unexpected-response'; status: number };

/** Retry settings of one call. */
export interface RetrySettings {
  /** How many retries after the first attempt (default 2). */
  maxRetries: number;
  /** Whether the request may be sent twice; false for jscode2session, whose code is single-use. */
  replaySafe: boolean;
}

/** Default number of retries after the first attempt. */
export const DEFAULT_MAX_RETRIES = 2;

/** First backoff delay, milliseconds. */
export const BASE_BACKOFF_MS = 200;

/** Largest backoff delay, milliseconds. */
export const MAX_BACKOFF_MS = 2_000;

/** Decides whether attempt number `attempt` (0 = the first) should be followed by another. */
export function shouldRetry(outcome: AttemptOutcome, attempt: number, settings: RetrySettings): boolean {
  if (attempt >= settings.maxRetries) return false;
  switch (outcome.kind) {
    case 'platform-error':
      return outcome.errcode === PLATFORM_ERRORS.SYSTEM_ERROR.errcode;
    case 'connection-error':
      return settings.replaySafe || !outcome.mayHaveReachedServer;
    case 'unexpected-response':
      return false;
  }
}

/**
 * Delay before retry number `attempt + 1`: exponential from {@link BASE_BACKOFF_MS}, capped at
 * {@link MAX_BACKOFF_MS}, with jitter taking off up to a quarter. `random` returns [0, 1).
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** Math.max(0, attempt));
  return Math.round(exponential * (1 - 0.25 * random()));
}
