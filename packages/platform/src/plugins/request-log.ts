/**
 * The request log: a bounded log of the platform routes' calls (those whose route names a `config.operation`),
 * written by an onResponse hook with secrets, session keys, codes and tokens redacted — query strings included — and
 * filterable by route, status and time. Dropped connections (a fault) are logged with status 0. Entries are kept in
 * the ephemeral store, so every instance on one store lists the calls of all; each instance writes its calls in
 * batches at most `flushMs` late, and its own pending calls before it lists.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EphemeralStore } from '../stores/ephemeral-store.js';
import { StoreUnavailableError } from '../stores/store-unavailable.js';
import type { NewRequestLogEntry, RequestLogEntry, RequestLogFilter } from '../stores/records.js';
import type {} from './platform-context.js';
import { MAX_JSON_DEPTH } from '../routes/shared/json-body.js';

export type { RequestLogEntry, RequestLogFilter } from '../stores/records.js';

/** The log the control API reads. */
export interface RequestLog {
  record(entry: NewRequestLogEntry): void;
  /** Newest first. */
  list(filter?: RequestLogFilter): Promise<RequestLogEntry[]>;
  clear(): Promise<void>;
  /** Writes the pending entries now. */
  flush(): Promise<void>;
}

const SENSITIVE = /secret|session_?key|code|token|signature|encrypted|iv$|cloud_?id|password/i;

/** Replaces the values of sensitive query parameters with "[redacted]". */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  const out = [...params].map(([k, v]) => `${encodeURIComponent(k)}=${SENSITIVE.test(k) ? '[redacted]' : encodeURIComponent(v)}`);
  return `${url.slice(0, q)}?${out.join('&')}`;
}

/** `errcode`/`errCode` and OpenRun's `error.code` name an error; they are not secrets (a login `code` is). */
const isErrorCode = (key: string, value: unknown): boolean =>
  /^err_?code$/i.test(key) || (key === 'code' && typeof value === 'string' && value.startsWith('OR_ERR_'));

/** Characters of a request or response body kept in the log. */
const BODY_CHARS = 4096;

/** A copy of a JSON value with the values of sensitive keys replaced by "[redacted]" (depth-bounded). */
function redactJson(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Deeper values are not copied (nor left for JSON.stringify to recurse into): a hostile body cannot overflow the stack.
  if (depth > MAX_JSON_DEPTH) return '[nested too deep]';
  if (Array.isArray(value)) return value.map((v) => redactJson(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SENSITIVE.test(k) && !isErrorCode(k, v) ? '[redacted]' : redactJson(v, depth + 1)]),
  );
}

/** A body as the log keeps it: JSON with sensitive values redacted, other text as it is, cut to BODY_CHARS. */
export function redactBody(body: unknown): string | null {
  if (body === undefined || body === null || body === '') return null;
  try {
    return redactedText(body);
  } catch {
    // The log runs after the reply: whatever a body holds, it must never throw there.
    return '[not loggable]';
  }
}

function redactedText(body: unknown): string {
  let text: string;
  if (typeof body === 'string') {
    try {
      text = JSON.stringify(redactJson(JSON.parse(body)));
    } catch {
      // Not JSON (CSV, XML, a page): kept as text; the sensitive values of the platform's replies are all in JSON.
      text = body;
    }
  } else if (Buffer.isBuffer(body)) text = `[${body.length} bytes]`;
  else if (typeof (body as { pipe?: unknown }).pipe === 'function') text = '[streamed]';
  else text = JSON.stringify(redactJson(body));
  return text.length > BODY_CHARS ? `${text.slice(0, BODY_CHARS)}… [${text.length - BODY_CHARS} more characters]` : text;
}

/** Creates a log on `store` that keeps the newest `capacity` entries; `onError` hears a failed write. */
export function createRequestLog(store: EphemeralStore, capacity: number, onError: (error: unknown) => void): RequestLog {
  let pending: NewRequestLogEntry[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    writing = writing.then(async () => {
      if (pending.length === 0) return;
      const batch = pending;
      pending = [];
      try {
        await store.appendRequests(batch, capacity);
      } catch (error) {
        // Kept for the next attempt (newest `capacity` only), so a store outage loses no more than the log can hold.
        pending = [...batch, ...pending].slice(-capacity);
        onError(error);
      }
    });
    return writing;
  };
  return {
    record(entry) {
      pending.push(entry);
      if (pending.length > capacity) pending = pending.slice(-capacity);
    },
    async list(filter = {}) {
      await flush();
      return store.listRequests({ ...filter, limit: Math.min(filter.limit ?? capacity, capacity) });
    },
    async clear() {
      pending = [];
      await flush();
      await store.clearRequests();
    },
    flush,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Recent calls of the platform routes, secrets redacted. */
    requestLog: RequestLog;
  }
  interface FastifyRequest {
    /** Platform-clock instant the request arrived (set for logged routes). */
    openrunArrivedAt: number;
    /** Id of the fault rule that applied to the request, or null. */
    openrunFaultId: string | null;
  }
}

/** What the onSend hook saw of the reply body. */
const ERRCODE = /"errcode"\s*:\s*(-?\d+)|"code"\s*:\s*"(OR_ERR_[A-Z_]+)"/;

/** Options of the request log plugin. */
export interface RequestLogOptions {
  capacity?: number;
  /** Longest delay before an instance's calls reach the shared log. Default 250 ms. */
  flushMs?: number;
}

/** Decorates `requestLog` and records every call of a route with a `config.operation`. */
export const requestLog = fp<RequestLogOptions>(
  async function requestLog(app, opts) {
    let failing = false;
    const log = createRequestLog(app.openrun.ephemeral, opts.capacity ?? 1000, (err) => {
      // A store outage is logged once by the store's guard.
      if (!failing && !(err instanceof StoreUnavailableError)) app.log.warn({ err }, 'the request log could not be written; retrying');
      failing = true;
    });
    const timer = setInterval(() => {
      void log.flush().then(() => {
        failing = false;
      });
    }, opts.flushMs ?? 250);
    timer.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await log.flush();
    });
    app.decorate('requestLog', log);
    app.decorateRequest('openrunArrivedAt', 0);
    app.decorateRequest('openrunFaultId', null);
    const errcodes = new WeakMap<FastifyRequest, number | string>();
    const replies = new WeakMap<FastifyRequest, string | null>();
    const write = (request: FastifyRequest, reply: FastifyReply | undefined, status: number): void => {
      const operation = request.routeOptions.config.operation;
      if (!operation) return;
      log.record({
        at: request.openrunArrivedAt,
        route: operation,
        method: request.method,
        url: redactUrl(request.url),
        status,
        errcode: errcodes.get(request) ?? null,
        durationMs: Math.round((reply?.elapsedTime ?? 0) * 10) / 10,
        faultId: request.openrunFaultId,
        requestBody: redactBody(request.body),
        responseBody: replies.get(request) ?? null,
      });
    };
    app.addHook('onRequest', async (request, reply) => {
      if (!request.routeOptions.config.operation) return;
      request.openrunArrivedAt = app.openrun.clock.now();
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) write(request, reply, 0);
      });
    });
    app.addHook('onSend', async (request, _reply, payload) => {
      if (request.routeOptions.config.operation && typeof payload === 'string') {
        const m = ERRCODE.exec(payload.slice(0, 512));
        if (m) errcodes.set(request, m[1] !== undefined ? Number(m[1]) : m[2]!);
      }
      if (request.routeOptions.config.operation) replies.set(request, redactBody(payload));
      return payload;
    });
    app.addHook('onResponse', async (request, reply) => {
      write(request, reply, reply.statusCode);
    });
  },
  { name: 'openrun-request-log', dependencies: ['openrun-platform-context'] },
);
