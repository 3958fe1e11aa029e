/**
 * The request log: a bounded log of the platform routes' calls (those whose route names a `config.operation`),
 * recorded by an onResponse hook and shown with secrets, session keys, codes and tokens redacted — query strings
 * included — filterable by route, status and time. Dropped connections (a fault) are logged with status 0. A call is
 * redacted when the log is first read or written out, not while it is answered (a large body at once). Where it lives
 * depends on the backend (docs/shared-state.md): on PostgreSQL + Redis in the shared Redis list, so every instance
 * lists the calls of all (each writes its calls in batches at most `flushMs` late, and its own pending calls before it
 * lists); on the embedded store, which one process owns, in that process's memory, kept in the store from one start
 * to the next.
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
  record(call: LoggedCall): void;
  /** Newest first. */
  list(filter?: RequestLogFilter): Promise<RequestLogEntry[]>;
  clear(): Promise<void>;
  /** Writes the pending entries now. */
  flush(): Promise<void>;
}

const SENSITIVE = /secret|session_?key|code|token|signature|encrypted|iv$|cloud_?id|password/i;

/** A query parameter that nothing escapes and that needs no escaping: it is logged as it is written. */
const PLAIN_PARAMETER = /^[\w.!~*'()-]*(?:=[\w.!~*'()-]*)?$/;

/** Replaces the values of sensitive query parameters with "[redacted]". */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const parts = url.slice(q + 1).split('&');
  // The usual query (ids, codes, tokens) needs no decoding: copied part by part, exactly as the general path writes it.
  let out = '';
  for (const part of parts) {
    if (part === '') continue;
    if (!PLAIN_PARAMETER.test(part)) return redactEscapedUrl(url, q);
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    out += `${out === '' ? '' : '&'}${key}=${SENSITIVE.test(key) ? '[redacted]' : eq < 0 ? '' : part.slice(eq + 1)}`;
  }
  return `${url.slice(0, q)}?${out}`;
}

function redactEscapedUrl(url: string, q: number): string {
  const params = new URLSearchParams(url.slice(q + 1));
  const out = [...params].map(([k, v]) => `${encodeURIComponent(k)}=${SENSITIVE.test(k) ? '[redacted]' : encodeURIComponent(v)}`);
  return `${url.slice(0, q)}?${out.join('&')}`;
}

/** `errcode`/`errCode` and OpenRun's `error.code` name an error; they are not secrets (a login `code` is). */
const isErrorCode = (key: string, value: unknown): boolean =>
  /^err_?code$/i.test(key) || (key === 'code' && typeof value === 'string' && value.startsWith('OR_ERR_'));

/** Characters of a request or response body kept in the log. */
const BODY_CHARS = 4096;

/** JSON text being written, its length so far, and the values redacted so far under sensitive keys. */
interface JsonOut {
  parts: string[];
  length: number;
  secrets: string[];
}

/** Shortest redacted value that is also scrubbed from the body's later strings (shorter ones are no credentials). */
const ECHOED_SECRET_CHARS = 8;

/** Remembers the strings of a redacted value (a string, or a list of them such as `cloudid_list`). */
const rememberSecret = (out: JsonOut, value: unknown): void => {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (typeof item === 'string' && item.length >= ECHOED_SECRET_CHARS) out.secrets.push(item);
  }
};

/** `text` with every secret redacted earlier in the body replaced, e.g. the cloudID inside getopendata's `json` text. */
const scrubbed = (text: string, secrets: string[]): string => {
  for (const secret of secrets) if (text.includes(secret)) text = text.replaceAll(secret, '[redacted]');
  return text;
};

const push = (out: JsonOut, text: string): void => {
  out.parts.push(text);
  out.length += text.length;
};

/**
 * Writes `value` as JSON into `out` with the values of sensitive keys redacted, without copying it first; stops (and
 * answers false) once more than BODY_CHARS are written, since the log keeps no more. Values nested deeper than
 * MAX_JSON_DEPTH are not walked (nor left for JSON.stringify to recurse into): a hostile body cannot overflow the stack.
 */
function writeRedacted(value: unknown, depth: number, out: JsonOut): boolean {
  if (out.length > BODY_CHARS) return false;
  if (value === null || typeof value !== 'object') {
    push(out, JSON.stringify(typeof value === 'string' && out.secrets.length > 0 ? scrubbed(value, out.secrets) : value) ?? 'null');
    return true;
  }
  if (depth > MAX_JSON_DEPTH) {
    push(out, '"[nested too deep]"');
    return true;
  }
  if (Array.isArray(value)) {
    push(out, '[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) push(out, ',');
      const item: unknown = value[i];
      if (!writeRedacted(item === undefined || typeof item === 'function' || typeof item === 'symbol' ? null : item, depth + 1, out)) return false;
    }
    push(out, ']');
    return true;
  }
  push(out, '{');
  let first = true;
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    push(out, `${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    if (SENSITIVE.test(key) && !isErrorCode(key, item)) {
      push(out, '"[redacted]"');
      rememberSecret(out, item);
    } else if (!writeRedacted(item, depth + 1, out)) return false;
  }
  push(out, '}');
  return true;
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

const cut = (text: string): string =>
  text.length > BODY_CHARS ? `${text.slice(0, BODY_CHARS)}… [${text.length - BODY_CHARS} more characters]` : text;

function redactedText(body: unknown): string {
  let value: unknown = body;
  if (typeof body === 'string') {
    try {
      value = JSON.parse(body);
    } catch {
      // Not JSON (CSV, XML, a page): kept as text; the sensitive values of the platform's replies are all in JSON.
      return cut(body);
    }
  } else if (Buffer.isBuffer(body)) return `[${body.length} bytes]`;
  else if (typeof (body as { pipe?: unknown }).pipe === 'function') return '[streamed]';
  return redactedJson(value);
}

/** `value` (plain JSON data) as the log keeps it, redacted and cut. */
function redactedJson(value: unknown): string {
  const out: JsonOut = { parts: [], length: 0, secrets: [] };
  const complete = writeRedacted(value, 0, out);
  const text = out.parts.join('');
  return complete ? cut(text) : `${text.slice(0, BODY_CHARS)}… [more characters]`;
}

/** A body part the log already redacted (one too large to keep raw until the log is read). */
class Redacted {
  constructor(readonly text: string | null) {}
}

/** Longest reply text (characters) kept raw until the log is read; a longer one is redacted as the call ends. */
const RAW_REPLY_CHARS = 8_192;
/** Largest request body (bytes as sent, or characters of a text body) kept raw until the log is read. */
const RAW_REQUEST_BYTES = 1_024;
/** Calls the embedded log holds past its capacity before it drops the oldest (a few array copies per 256 calls). */
const LOCAL_SLACK = 256;

/**
 * A call as the log holds it: the url and the bodies stay as the call had them (the url, the parsed request body, the
 * reply text sent) until the entry is first listed or written out, and are redacted then, once; a body past
 * RAW_REPLY_CHARS / RAW_REQUEST_BYTES is redacted at once, so the calls held raw stay within tens of MB.
 */
export interface LoggedCall extends Omit<NewRequestLogEntry, 'requestBody' | 'responseBody'> {
  /** True until `url` and the bodies are redacted. */
  raw: boolean;
  requestBody: unknown;
  responseBody: unknown;
}

const settledPart = (part: unknown): string | null => (part instanceof Redacted ? part.text : redactBody(part));

/** The entry of `call`, redacted (once: the call keeps the redacted parts and lets go of the raw ones). */
function settled<T extends LoggedCall>(call: T): Omit<T, 'raw' | 'requestBody' | 'responseBody'> & NewRequestLogEntry {
  if (call.raw) {
    call.url = redactUrl(call.url);
    call.requestBody = settledPart(call.requestBody);
    call.responseBody = settledPart(call.responseBody);
    call.raw = false;
  }
  const { raw: _raw, ...entry } = call;
  return entry as Omit<T, 'raw' | 'requestBody' | 'responseBody'> & NewRequestLogEntry;
}

/** The log of a store several instances share (Redis): calls are redacted and appended in batches. */
export function createSharedRequestLog(store: EphemeralStore, capacity: number, onError: (error: unknown) => void): RequestLog {
  let pending: LoggedCall[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = (): Promise<void> => {
    writing = writing.then(async () => {
      if (pending.length === 0) return;
      const batch = pending.length > capacity ? pending.slice(-capacity) : pending;
      pending = [];
      try {
        await store.appendRequests(batch.map(settled), capacity);
      } catch (error) {
        // Kept for the next attempt (newest `capacity` only), so a store outage loses no more than the log can hold.
        pending = [...batch, ...pending].slice(-capacity);
        onError(error);
      }
    });
    return writing;
  };
  return {
    record(call) {
      pending.push(call);
      // Trimmed at twice the capacity, not at every call past it: a busy instance fills the log between two flushes.
      if (pending.length >= 2 * capacity) pending = pending.slice(-capacity);
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

const matches = (e: RequestLogEntry | (LoggedCall & { seq: number }), f: RequestLogFilter): boolean =>
  (f.beforeSeq === undefined || e.seq < f.beforeSeq) &&
  (f.route === undefined || e.route === f.route) &&
  (f.status === undefined || e.status === f.status) &&
  (f.since === undefined || e.at >= f.since) &&
  (f.until === undefined || e.at < f.until);

/**
 * The log of the embedded store, which one process owns (the data folder's lock file): the newest `capacity` calls in
 * memory, redacted when first listed. `store` keeps them across a restart: read at start, the calls since written
 * when the platform closes (a killed process loses those).
 */
export async function createLocalRequestLog(store: EphemeralStore, capacity: number): Promise<RequestLog> {
  let calls: (LoggedCall & { seq: number })[] = (await store.listRequests({ limit: capacity })).reverse().map((e) => ({
    ...e, requestBody: e.requestBody ?? null, responseBody: e.responseBody ?? null, raw: false,
  }));
  let nextSeq = (calls[calls.length - 1]?.seq ?? 0) + 1;
  /** Calls from this index on are not in the store yet. */
  let unwritten = calls.length;
  return {
    record(call) {
      calls.push(Object.assign(call, { seq: nextSeq++ }));
      // Trimmed every LOCAL_SLACK calls past the capacity, not at every call past it.
      if (calls.length >= capacity + LOCAL_SLACK) {
        const drop = calls.length - capacity;
        calls = calls.slice(drop);
        unwritten = Math.max(0, unwritten - drop);
      }
    },
    async list(filter = {}) {
      const limit = Math.min(filter.limit ?? capacity, capacity);
      const out: RequestLogEntry[] = [];
      for (let i = calls.length - 1; i >= Math.max(0, calls.length - capacity) && out.length < limit; i--) {
        const call = calls[i]!;
        if (matches(call, filter)) out.push(settled(call));
      }
      return out;
    },
    async clear() {
      calls = [];
      unwritten = 0;
      nextSeq = 1;
      await store.clearRequests();
    },
    async flush() {
      const fresh = calls.slice(Math.max(unwritten, calls.length - capacity));
      unwritten = calls.length;
      await store.appendRequests(fresh.map(({ seq: _seq, ...call }) => settled(call)), capacity);
    },
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
    /** The errcode (or OpenRun error code) the reply names, or null. */
    openrunErrcode: number | string | null;
    /** The reply body for the log: its text while short enough to redact later, else already redacted. */
    openrunReply: unknown;
    /** The data the reply's JSON text was written from, when the route said so (`replyIsJsonOf`). */
    openrunReplyValue: unknown;
    /** True once the call is in the log. */
    openrunLogged: boolean;
  }
}

/**
 * Tells the log that the reply being sent is the JSON text of `value` (plain data, as JSON.stringify wrote it), so that
 * it is redacted from `value` instead of being parsed back from the text.
 */
export function replyIsJsonOf(request: FastifyRequest, value: unknown): void {
  request.openrunReplyValue = value;
}

/** What the onSend hook saw of the reply body. */
const ERRCODE = /"errcode"\s*:\s*(-?\d+)|"code"\s*:\s*"(OR_ERR_[A-Z_]+)"/;

/** The request body for the log: as parsed while it is small, else redacted now. */
function heldRequestBody(request: FastifyRequest): unknown {
  const body = request.body;
  if (body === undefined || body === null) return null;
  const size = typeof body === 'string' ? body.length : Number(request.headers['content-length'] ?? Infinity);
  return size <= RAW_REQUEST_BYTES && !Buffer.isBuffer(body) ? body : new Redacted(redactBody(body));
}

/** The reply for the log: its text while short, else redacted now (from `value`, the data the text was written from, when known). */
function heldReply(payload: unknown, value: unknown): unknown {
  if (typeof payload === 'string' && payload.length <= RAW_REPLY_CHARS) return payload;
  return new Redacted(redactBody(value === undefined ? payload : value));
}

/** Options of the request log plugin. */
export interface RequestLogOptions {
  capacity?: number;
  /** Longest delay before an instance's calls reach the shared log. Default 250 ms. */
  flushMs?: number;
}

/** Decorates `requestLog` and records every call of a route with a `config.operation`. */
export const requestLog = fp<RequestLogOptions>(
  async function requestLog(app, opts) {
    const capacity = opts.capacity ?? 1000;
    let log: RequestLog;
    if (app.openrun.backend.kind === 'postgres+redis') {
      let failing = false;
      log = createSharedRequestLog(app.openrun.ephemeral, capacity, (err) => {
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
    } else {
      log = await createLocalRequestLog(app.openrun.ephemeral, capacity);
      app.addHook('onClose', async () => {
        await log.flush().catch((err: unknown) => app.log.warn({ err }, 'the request log could not be kept for the next start'));
      });
    }
    app.decorate('requestLog', log);
    app.decorateRequest('openrunArrivedAt', 0);
    app.decorateRequest('openrunFaultId', null);
    app.decorateRequest('openrunErrcode', null);
    app.decorateRequest('openrunReply', null);
    app.decorateRequest('openrunReplyValue', undefined);
    app.decorateRequest('openrunLogged', false);
    const write = (request: FastifyRequest, reply: FastifyReply | undefined, status: number): void => {
      const operation = request.routeOptions.config.operation;
      if (!operation || request.openrunLogged) return;
      request.openrunLogged = true;
      log.record({
        raw: true,
        at: request.openrunArrivedAt,
        route: operation,
        method: request.method,
        url: request.url,
        status,
        errcode: request.openrunErrcode,
        durationMs: Math.round((reply?.elapsedTime ?? 0) * 10) / 10,
        faultId: request.openrunFaultId,
        requestBody: heldRequestBody(request),
        responseBody: request.openrunReply,
      });
    };
    app.addHook('onRequest', (request, reply, done) => {
      if (request.routeOptions.config.operation) {
        request.openrunArrivedAt = app.openrun.clock.now();
        reply.raw.once('close', () => {
          // Closed before the reply was written out: a dropped connection (status 0). Under `inject` a finished reply
          // closes without writableFinished too, and its onResponse may still be on its way: looked at a turn later,
          // after which a logged call is never logged again.
          if (!reply.raw.writableFinished) setImmediate(() => write(request, reply, 0));
        });
      }
      done();
    });
    app.addHook('onSend', (request, _reply, payload, done) => {
      if (request.routeOptions.config.operation) {
        if (typeof payload === 'string') {
          const m = ERRCODE.exec(payload.length > 512 ? payload.slice(0, 512) : payload);
          if (m) request.openrunErrcode = m[1] !== undefined ? Number(m[1]) : m[2]!;
        }
        request.openrunReply = heldReply(payload, request.openrunReplyValue);
      }
      done(null, payload);
    });
    app.addHook('onResponse', (request, reply, done) => {
      write(request, reply, reply.statusCode);
      done();
    });
  },
  { name: 'openrun-request-log', dependencies: ['openrun-platform-context'] },
);
