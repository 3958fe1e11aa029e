/**
 * Unexpected failures said out loud: every error a route group cannot map to a wire reply (a SQLite error on a
 * damaged or read-only store, a bug) is written to stderr at once with its cause, whether or not `--log` is on.
 * Repeats of one cause are written once a minute with a count, and nothing secret is written: the path without its
 * query string, and long tokens in messages replaced.
 */
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** Where failure lines go. */
export interface FailureSink {
  write(line: string): void;
}

/** How often one cause is written. */
export const FAILURE_REPEAT_MS = 60_000;

declare module 'fastify' {
  interface FastifyInstance {
    /** Reports an unexpected failure of `request` (or of background work when `request` is undefined). */
    reportFailure(error: unknown, request?: FastifyRequest): void;
  }
}

const LONG_TOKEN = /[A-Za-z0-9_\-+/=]{24,}/g;

/** The text of an error and its causes, with long tokens (keys, tokens, codes) redacted. */
export function describeFailure(error: unknown): string {
  const parts: string[] = [];
  let at: unknown = error;
  for (let depth = 0; at !== undefined && at !== null && depth < 4; depth++) {
    const e = at as { name?: string; code?: unknown; message?: unknown; cause?: unknown };
    const message = typeof e.message === 'string' ? e.message : String(at);
    parts.push(`${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${message}${typeof e.code === 'string' ? ` (${e.code})` : ''}`);
    at = e.cause;
  }
  return parts.join(' <- caused by ').replace(LONG_TOKEN, '[redacted]');
}

/** Decorates `reportFailure`, writing to `sink` (stderr by default). */
export const failureReport = fp<{ sink?: FailureSink }>(
  async function failureReport(app, opts) {
    const sink: FailureSink = opts.sink ?? process.stderr;
    const seen = new Map<string, { at: number; suppressed: number }>();
    app.decorate('reportFailure', (error: unknown, request?: FastifyRequest) => {
      const cause = describeFailure(error);
      const now = performance.now();
      const last = seen.get(cause);
      if (last && now - last.at < FAILURE_REPEAT_MS) {
        last.suppressed++;
        return;
      }
      if (seen.size > 1000) seen.clear();
      seen.set(cause, { at: now, suppressed: 0 });
      const where = request ? `${request.method} ${request.url.split('?')[0]}` : 'background work';
      const repeats = last && last.suppressed > 0 ? ` (and ${last.suppressed} more times in the last minute)` : '';
      sink.write(`[openrun] unexpected failure on ${where}: ${cause}${repeats}\n`);
      request?.log.error({ err: error }, 'unexpected failure');
    });
  },
  { name: 'openrun-failure-report' },
);
