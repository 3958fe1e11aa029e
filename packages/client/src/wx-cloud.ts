/**
 * `wx.cloud` on OpenRun: `init`, `CloudID` and `callFunction` against the platform's function runner.
 * @see PROTOCOL.md §11
 */
import { failErrMsg, okErrMsg } from '@openrun/core';
import type { AsyncReturn, CallbackOptions } from './api-types.js';
import { CallFunctionError } from './call-function-error.js';
import { CloudID, type CloudIDConstructor } from './cloud-id.js';
import { ApiCallError, expectParameter, isRecord, parameterError } from './internal/api-call-error.js';
import { callTimeout, replyString, type ApiContext } from './internal/api-context.js';
import { invokeApi } from './internal/invoke-api.js';
import { serializeFunctionData } from './internal/serialize-function-data.js';
import { promised } from './internal/promised.js';

/** The errMsg prefix of callFunction. */
const CALL_FUNCTION = 'cloud.callFunction';

/** Failure text of a cloud API called before `wx.cloud.init` (observed wording, PROTOCOL.md §11 [I]). */
const NOT_INITIALIZED_REASON = "Cloud API isn't enabled, please call wx.cloud.init first";

/** `wx.cloud.init` options. */
export interface CloudInitOption {
  /** Environment id (or per-service ids); kept for compatibility, OpenRun has one environment per app. */
  env?: string | { database?: string; functions?: string; storage?: string };
  traceUser?: boolean;
}

/** `wx.cloud.callFunction` options. */
export interface CallFunctionOption extends CallbackOptions<CallFunctionResult, CallFunctionError> {
  /** The cloud function's name. */
  name: string;
  /** The event; top-level `CloudID` values are replaced with open data, nested ones arrive as strings. */
  data?: Record<string, unknown>;
  slow?: boolean;
  config?: { env?: string; traceUser?: boolean };
}

/** `wx.cloud.callFunction` success. @see PROTOCOL.md §11.6 */
export interface CallFunctionResult {
  errMsg: string;
  /** What the function's `main` returned (typed as in miniprogram-api-typings). */
  result: Record<string, unknown> | string | undefined;
  requestID: string;
}

/** `wx.cloud` as OpenRun implements it. */
export interface WxCloud {
  /**
   * Enables the cloud APIs; only the first call takes effect.
   * @example wx.cloud.init({ env: 'test-env' })
   * @see PROTOCOL.md §11
   */
  init(config?: CloudInitOption): void;
  /**
   * Wraps a cloudID so callFunction replaces it with open data.
   * @example wx.cloud.CloudID(res.cloudID)
   * @see PROTOCOL.md §11.1
   */
  CloudID: CloudIDConstructor;
  /**
   * Calls a cloud function: `{errMsg: 'cloud.callFunction:ok', result, requestID}`.
   * @example const { result } = await wx.cloud.callFunction({ name: 'steps', data: { weRunData: wx.cloud.CloudID(id) } })
   * @see PROTOCOL.md §11.6
   */
  callFunction<T extends CallFunctionOption = CallFunctionOption>(option: T): AsyncReturn<T, CallFunctionResult>;
}

/** Builds `wx.cloud` over one connection. */
export function createWxCloud(ctx: ApiContext): WxCloud {
  let initialized = false;
  return {
    init: () => {
      initialized = true;
    },
    CloudID,
    callFunction: (option) =>
      promised(
        invokeApi<CallFunctionResult, CallFunctionError>(
          {
            api: CALL_FUNCTION,
            promise: true,
            toFailure: (errMsg, errCode) => new CallFunctionError(errMsg, errCode ?? -1),
            reportCallbackError: ctx.settings.onCallbackError,
          },
          option,
          async (opts) => {
            const timeout = callTimeout(CALL_FUNCTION, opts, ctx.settings.timeout);
            if (!initialized) throw new ApiCallError(failErrMsg(CALL_FUNCTION, NOT_INITIALIZED_REASON), -1);
            expectParameter(CALL_FUNCTION, opts, 'name', 'String', true);
            const data = opts.data ?? {};
            const proto: unknown = isRecord(data) ? Object.getPrototypeOf(data) : undefined;
            if (!isRecord(data) || (proto !== Object.prototype && proto !== null)) {
              throw parameterError(CALL_FUNCTION, 'data', 'Object', data);
            }
            let body: string;
            try {
              body = serializeFunctionData(data);
            } catch (error) {
              const reason = error instanceof Error ? error.message : String(error);
              throw new ApiCallError(failErrMsg(CALL_FUNCTION, `data cannot be sent as JSON: ${reason}`), -1);
            }
            const path = `/functions/${encodeURIComponent(String(opts.name))}`;
            const reply = await ctx.runtime.request({ api: CALL_FUNCTION, method: 'POST', path, body, timeout });
            const result = reply.result;
            return {
              errMsg: okErrMsg(CALL_FUNCTION),
              result: result as CallFunctionResult['result'],
              requestID: replyString(CALL_FUNCTION, reply, 'requestID'),
            };
          },
        ),
      ),
  };
}
