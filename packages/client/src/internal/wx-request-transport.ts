/**
 * The `wx.request` transport, for a real mini-program runtime (WeChat DevTools, a phone preview) where there is no
 * `fetch` or `AbortController`: the request goes through the runtime's own `wx.request`, the deadline aborts its
 * RequestTask, and a reply is accepted whether or not `wx.request` already parsed it as JSON.
 * @see ARCHITECTURE.md §4
 */
import type { WxRequestLike, WxRequestTask } from '../connect.js';
import { isRecord } from './api-call-error.js';
import { TransportError, type RuntimeTransport } from './transport.js';

/** A transport over `request`, or over the global `wx.request` looked up at each call when `request` is undefined. */
export function createWxRequestTransport(request: WxRequestLike | undefined): RuntimeTransport {
  return ({ url, method, headers, body, timeout }) => {
    let task: WxRequestTask | void = undefined;
    let aborted = false;
    const reply = new Promise<{ status: number; body: unknown }>((resolve, reject) => {
      const send = request ?? globalWxRequest();
      if (!send) {
        reject(new TransportError("transport 'wx.request' needs a global wx.request, and there is none"));
        return;
      }
      try {
        task = send({
          url,
          method,
          header: headers,
          ...(body === undefined ? {} : { data: body }),
          // Anything but 'json' asks for the raw text; a wx.request that parses anyway is handled by the reader.
          dataType: 'text',
          responseType: 'text',
          timeout,
          success: (res) => {
            if (!isRecord(res) || typeof res.statusCode !== 'number') {
              reject(new TransportError('wx.request succeeded without a statusCode'));
              return;
            }
            resolve({ status: res.statusCode, body: res.data });
          },
          fail: (err) => reject(failure(err)),
        });
      } catch (error) {
        reject(new TransportError(error instanceof Error ? error.message : String(error)));
      }
      if (aborted) abortTask(task);
    });
    return {
      reply,
      abort: () => {
        aborted = true;
        abortTask(task);
      },
    };
  };
}

/** The global `wx.request`, called as a method of `wx`, or undefined. */
function globalWxRequest(): WxRequestLike | undefined {
  const wx: unknown = (globalThis as { wx?: unknown }).wx;
  if (!isRecord(wx) || typeof wx.request !== 'function') return undefined;
  const request = wx.request as WxRequestLike;
  return (option) => request.call(wx, option);
}

/** `request:fail timeout` is the transport's timeout; any other `request:fail <reason>` is a network error. */
function failure(err: unknown): TransportError {
  const errMsg = isRecord(err) && typeof err.errMsg === 'string' ? err.errMsg : String(err);
  const reason = errMsg.replace(/^request:fail\s*/, '') || errMsg;
  return new TransportError(reason, /^timeout\b/.test(reason));
}

function abortTask(task: WxRequestTask | void): void {
  try {
    if (task && typeof task.abort === 'function') task.abort();
  } catch {
    // An abort that throws changes nothing: the deadline has already failed the call.
  }
}
