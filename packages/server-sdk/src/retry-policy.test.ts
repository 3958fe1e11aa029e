import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, BASE_BACKOFF_MS, MAX_BACKOFF_MS, shouldRetry } from './retry-policy.js';

const safe = { maxRetries: 2, replaySafe: true };
const once = { maxRetries: 2, replaySafe: false };

describe('retry policy', () => {
  it('retries -1 system error while retries remain', () => {
    expect(shouldRetry({ kind: 'platform-error', errcode: -1 }, 0, safe)).toBe(true);
    expect(shouldRetry({ kind: 'platform-error', errcode: -1 }, 1, safe)).toBe(true);
    expect(shouldRetry({ kind: 'platform-error', errcode: -1 }, 2, safe)).toBe(false);
  });

  it('retries -1 on jscode2session too, because the platform answered that it did nothing', () => {
    expect(shouldRetry({ kind: 'platform-error', errcode: -1 }, 0, once)).toBe(true);
  });

  it('never retries any other errcode, token rejections included', () => {
    fc.assert(
      fc.property(fc.integer().filter((n) => n !== -1), fc.nat(5), (errcode, attempt) => {
        expect(shouldRetry({ kind: 'platform-error', errcode }, attempt, { maxRetries: 10, replaySafe: true })).toBe(false);
      }),
    );
  });

  it('retries a connection failure of a replay-safe request', () => {
    expect(shouldRetry({ kind: 'connection-error', mayHaveReachedServer: true }, 0, safe)).toBe(true);
  });

  it('never replays jscode2session once the request may have reached the server', () => {
    expect(shouldRetry({ kind: 'connection-error', mayHaveReachedServer: true }, 0, once)).toBe(false);
    expect(shouldRetry({ kind: 'connection-error', mayHaveReachedServer: false }, 0, once)).toBe(true);
  });

  it('never retries an unexpected HTTP reply', () => {
    expect(shouldRetry({ kind: 'unexpected-response', status: 503 }, 0, safe)).toBe(false);
  });

  it('does not retry at all when maxRetries is 0', () => {
    expect(shouldRetry({ kind: 'platform-error', errcode: -1 }, 0, { maxRetries: 0, replaySafe: true })).toBe(false);
  });

  it('backs off exponentially from the base delay', () => {
    expect(backoffDelay(0, () => 0)).toBe(BASE_BACKOFF_MS);
    expect(backoffDelay(1, () => 0)).toBe(2 * BASE_BACKOFF_MS);
    expect(backoffDelay(2, () => 0)).toBe(4 * BASE_BACKOFF_MS);
  });

  it('caps the backoff and jitters it by at most a quarter', () => {
    fc.assert(
      fc.property(fc.nat(50), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const delay = backoffDelay(attempt, () => r);
        const full = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** attempt);
        expect(delay).toBeLessThanOrEqual(full);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(full * 0.75));
      }),
    );
  });
});
