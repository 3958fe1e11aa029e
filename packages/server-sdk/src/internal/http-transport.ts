/**
 * Sends one platform API call: builds the URL (every query value URL-encoded), applies the timeout, parses the
 * JSON body, picks the typed error from it and retries per the retry policy. Emits request/response events with
 * secret query values redacted.
 */
import { ConnectionError, fromResponse, OpenRunError, PlatformError, TimeoutError, UnexpectedResponseError } from '../errors.js';
import type { Operation } from '../errors.js';
import { backoffDelay, shouldRetry } from '../retry-policy.js';
import type { AttemptOutcome } from '../retry-policy.js';
import type { RequestOptions } from '../request-options.js';
import type { ClientEvents } from './client-events.js';
import { sleep } from './sleep.js';

/** The fetch function the transport uses (global `fetch` by default). */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Client-wide transport settings. */
export interface TransportSettings {
  baseUrl: string;
  fetch: FetchFunction;
  timeoutMs: number;
  maxRetries: number;
  events: ClientEvents;
}

/** One API call. */
export interface ApiRequest {
  operation: Operation;
  method: 'GET' | 'POST';
  path: string;
  query: Readonly<Record<string, string>>;
  /** JSON body (POST); a string is sent as is. */
  body?: unknown;
  /** False when sending twice may be harmful (jscode2session). */
  replaySafe: boolean;
}

/** Query parameters whose values never appear in events. */
const SECRET_PARAMS = new Set(['secret', 'js_code', 'access_token', 'signature', 'cloudbase_access_token']);

/** Connection failures that happen before any byte of the request was sent. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function buildUrl(baseUrl: string, path: string, query: Readonly<Record<string, string>>, redact: boolean): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) params.append(name, redact && SECRET_PARAMS.has(name) ? '***' : value);
  const search = params.toString();
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

function outcomeOf(error: OpenRunError): AttemptOutcome {
  if (error instanceof PlatformError) return { kind: 'platform-error', errcode: error.errcode };
  if (error instanceof ConnectionError) return { kind: 'connection-error', mayHaveReachedServer: error.mayHaveReachedServer };
  if (error instanceof UnexpectedResponseError) return { kind: 'unexpected-response', status: error.status };
  return { kind: 'unexpected-response', status: 0 };
}

async function attemptOnce(
  settings: TransportSettings,
  request: ApiRequest,
  url: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<{ status: number; body: unknown }> {
  const timeoutSignal = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeoutSignal]) : timeoutSignal;
  const init: RequestInit = { method: request.method, signal: combined, headers: { accept: 'application/json' } };
  if (request.body !== undefined) {
    init.body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    init.headers = { accept: 'application/json', 'content-type': 'application/json' };
  }
  let text: string;
  let status: number;
  try {
    const response = await settings.fetch(url, init);
    status = response.status;
    text = await response.text();
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (timeoutSignal.aborted) {
      throw new TimeoutError(request.operation, `no reply within ${timeoutMs} ms`, { cause: error, mayHaveReachedServer: true });
    }
    const code = causeCode(error);
    throw new ConnectionError(request.operation, `connection failed${code ? ` (${code})` : ''}`, {
      cause: error,
      mayHaveReachedServer: code === undefined || !NOT_SENT_CODES.has(code),
    });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new UnexpectedResponseError(request.operation, status, 'the body is not JSON');
  }
  return { status, body };
}

/** Sends `request`, retrying per the policy; resolves with the success body or throws a typed error. */
export async function sendApiRequest(
  settings: TransportSettings,
  request: ApiRequest,
  options: RequestOptions = {},
): Promise<Record<string, unknown>> {
  const url = buildUrl(settings.baseUrl, request.path, request.query, false);
  const loggedUrl = buildUrl(settings.baseUrl, request.path, request.query, true);
  const maxRetries = options.maxRetries ?? settings.maxRetries;
  const timeoutMs = options.timeout ?? settings.timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const base = { operation: request.operation, method: request.method, url: loggedUrl, attempt };
    settings.events.emit('request', base);
    const started = performance.now();
    let failure: OpenRunError;
    try {
      const { status, body } = await attemptOnce(settings, request, url, timeoutMs, options.signal);
      const error = fromResponse(request.operation, status, body);
      const durationMs = performance.now() - started;
      if (error === undefined) {
        settings.events.emit('response', { ...base, status, durationMs });
        return body as Record<string, unknown>;
      }
      settings.events.emit('response', {
        ...base,
        status,
        durationMs,
        error: error.name,
        ...(error instanceof PlatformError ? { errcode: error.errcode } : {}),
      });
      failure = error;
    } catch (error) {
      if (!(error instanceof OpenRunError)) throw error;
      settings.events.emit('response', { ...base, durationMs: performance.now() - started, error: error.name });
      failure = error;
    }
    if (!shouldRetry(outcomeOf(failure), attempt, { maxRetries, replaySafe: request.replaySafe })) throw failure;
    await sleep(backoffDelay(attempt), options.signal);
  }
}
