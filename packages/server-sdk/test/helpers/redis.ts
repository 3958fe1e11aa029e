/** Where the Redis-backed tests find Redis: `OPENRUN_TEST_REDIS_URL`; without it they are skipped, loudly. */
import { randomUUID } from 'node:crypto';

/** The Redis URL for tests, or undefined (blank counts as unset). */
export const REDIS_URL: string | undefined = process.env['OPENRUN_TEST_REDIS_URL']?.trim() || undefined;

if (REDIS_URL === undefined) {
  console.warn(
    '[openrun] OPENRUN_TEST_REDIS_URL is not set: the Redis token-store and multi-process tests of @openrun/server-sdk ' +
      'are SKIPPED. Set it (e.g. OPENRUN_TEST_REDIS_URL=redis://127.0.0.1:6379) to run them; .ci/run exports it.',
  );
}

/** A key prefix no other test run shares. */
export function uniquePrefix(): string {
  return `openrun-test:${randomUUID()}`;
}
