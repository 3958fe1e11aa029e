/**
 * The default transport: `fetch` (the global one at call time, or an injected one), aborted with an AbortController.
 */
import type { FetchLike } from '../connect.js';
import { isRecord } from './api-call-error.js';
import { TransportError, type RuntimeTransport } from './transport.js';

/** A transport over `fetchImpl`, or over `globalThis.fetch` looked up at each call. */
export function createFetchTransport(fetchImpl: FetchLike | undefined): RuntimeTransport {
  const doFetch: FetchLike = fetchImpl ?? ((input, init) => globalThis.fetch(input, init));
  return ({ url, method, headers, body }) => {
    const controller = new AbortController();
    const init: RequestInit = { method, headers, signal: controller.signal };
    if (body !== undefined) init.body = body;
    const reply = (async () => {
      try {
        const response = await doFetch(url, init);
        return { status: response.status, body: await response.text() };
      } catch (error) {
        throw new TransportError(describeNetworkError(error));
      }
    })();
    return { reply, abort: () => controller.abort() };
  };
}

/** `fetch failed (ECONNREFUSED)` in Node, `Failed to fetch` in browsers. */
function describeNetworkError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause: unknown = error.cause;
  const code = isRecord(cause) && typeof cause.code === 'string' ? cause.code : undefined;
  return code ? `${error.message} (${code})` : error.message;
}
