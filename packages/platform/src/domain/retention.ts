/**
 * Retention of ephemeral records: codes, tokens, cloudIDs and counters are forgotten shortly after they expire on the
 * platform clock, so the store holds live state plus durable data. An expired record is kept for a grace period only,
 * so that a call made just after expiry still hears "expired" (-601006 for a cloudID, 42001 for a token) instead of
 * "unknown". The purge runs on a timer, in chunks with a turn of the event loop between them.
 */
import type { PlatformContext } from './context.js';

/** How long an expired record is kept, ms of platform time. */
export const EXPIRED_GRACE_MS = 10 * 60 * 1000;
/** How often the purge runs, ms of wall time. */
export const PURGE_INTERVAL_MS = 60 * 1000;
/** Records forgotten per store call. */
const PURGE_CHUNK = 2000;

/** A running purge timer. */
export interface RetentionPurge {
  /** Purges now (waiting for a run in progress) and returns how many records were forgotten. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Forgets every record that expired more than the grace period ago, chunk by chunk. */
export async function purgeExpiredRecords(ctx: PlatformContext): Promise<number> {
  // The clock is shared through the store: purge by the time the last control call left it.
  await ctx.clock.refresh();
  const before = ctx.clock.now() - EXPIRED_GRACE_MS;
  let total = 0;
  for (;;) {
    const forgotten = await ctx.ephemeral.purgeExpired(before, PURGE_CHUNK);
    total += forgotten;
    if (forgotten < PURGE_CHUNK) return total;
    await new Promise((done) => setImmediate(done));
  }
}

/** Starts purging every `intervalMs` (default PURGE_INTERVAL_MS); the timer does not keep the process alive. */
export function startRetentionPurge(
  ctx: PlatformContext,
  options: { intervalMs?: number; onError: (error: unknown) => void },
): RetentionPurge {
  let running: Promise<number> | undefined;
  const runOnce = (): Promise<number> => {
    running ??= purgeExpiredRecords(ctx).finally(() => {
      running = undefined;
    });
    return running;
  };
  const timer = setInterval(() => {
    runOnce().catch(options.onError);
  }, options.intervalMs ?? PURGE_INTERVAL_MS);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
