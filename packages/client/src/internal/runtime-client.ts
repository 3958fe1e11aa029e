/**
 * The client's only I/O: JSON requests to OpenRun's runtime API (`/openrun/runtime/v1`) over a transport (`fetch` or
 * `wx.request`), a deadline per call, and every failure turned into the exact errMsg the calling API reports.
 * @see ARCHITECTURE.md §3 (runtime API)
 */
import { failErrMsg, RUNTIME_API_PREFIX, type RuntimePrompt } from '@openrun/core';
import { ApiCallError, isRecord, PromptRequiredError } from './api-call-error.js';
import { TransportError, type RuntimeTransport } from './transport.js';

/** Where and as whom the runtime client talks, and over which transport. */
export interface RuntimeClientOptions {
  baseUrl: string;
  appid: string;
  deviceToken: string;
  transport: RuntimeTransport;
}

/** One runtime API request. */
export interface RuntimeRequest {
  /** errMsg prefix of the calling API. */
  api: string;
  method: 'GET' | 'POST' | 'PUT';
  /** Path below `/apps/{appid}`, e.g. `/login`. */
  path: string;
  /** JSON text of the body (POST/PUT); `{}` when omitted. */
  body?: string;
  /** Milliseconds before the call fails with `<api>:fail timeout`. */
  timeout: number;
}

/** Sends runtime API requests for one app and device. */
export interface RuntimeClient {
  /** Resolves with the parsed JSON reply, or throws an ApiCallError carrying the errMsg to report. */
  request(request: RuntimeRequest): Promise<Record<string, unknown>>;
}

/** Creates the runtime client for one app and device token. */
export function createRuntimeClient(options: RuntimeClientOptions): RuntimeClient {
  const root = `${options.baseUrl.replace(/\/+$/, '')}${RUNTIME_API_PREFIX}/apps/${encodeURIComponent(options.appid)}`;

  return {
    async request({ api, method, path, body, timeout }) {
      const headers: Record<string, string> = { authorization: `Bearer ${options.deviceToken}` };
      if (method !== 'GET') headers['content-type'] = 'application/json';
      const exchange = options.transport({
        url: `${root}${path}`,
        method,
        headers,
        body: method === 'GET' ? undefined : (body ?? '{}'),
        timeout,
      });
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          exchange.abort();
          reject(new ApiCallError(failErrMsg(api, 'timeout')));
        }, timeout);
      });
      const replied = exchange.reply.then(
        (reply) => readReply(api, reply.status, reply.body),
        (error: unknown) => {
          if (error instanceof TransportError && error.timedOut) throw new ApiCallError(failErrMsg(api, 'timeout'));
          const reason = error instanceof TransportError ? error.reason : String(error);
          throw new ApiCallError(failErrMsg(api, `network error: ${reason}`));
        },
      );
      // The deadline wins even if a transport ignores the abort.
      replied.catch(() => undefined);
      try {
        return await Promise.race([replied, deadline]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** Reads a reply whose body is the text, or a JSON value the transport already parsed (wx.request's default). */
function readReply(api: string, status: number, body: unknown): Record<string, unknown> {
  const json = typeof body === 'string' ? parseJson(body) : body;
  if (status >= 200 && status < 300) {
    if (!isRecord(json)) throw new ApiCallError(failErrMsg(api, `invalid reply from OpenRun (HTTP ${status}, not a JSON object)`));
    return json;
  }
  const error = isRecord(json) && isRecord(json.error) ? json.error : undefined;
  const errCode = typeof error?.errCode === 'number' ? error.errCode : undefined;
  const prompt = error?.prompt;
  if (error?.code === 'OR_ERR_RUNTIME_PROMPT_REQUIRED' && isPrompt(prompt)) {
    throw new PromptRequiredError(typeof error.errMsg === 'string' ? error.errMsg : failErrMsg(api, 'the authorization dialog was not answered'), prompt);
  }
  if (typeof error?.errMsg === 'string' && error.errMsg !== '') throw new ApiCallError(error.errMsg, errCode);
  const code = typeof error?.code === 'string' ? ` ${error.code}` : '';
  const message = typeof error?.message === 'string' ? `: ${error.message}` : '';
  throw new ApiCallError(failErrMsg(api, `OpenRun replied HTTP ${status}${code}${message}`), errCode);
}

function isPrompt(value: unknown): value is RuntimePrompt {
  return (
    isRecord(value) &&
    typeof value.scope === 'string' &&
    typeof value.appName === 'string' &&
    (value.platform === 'weapp' || value.platform === 'qq')
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
