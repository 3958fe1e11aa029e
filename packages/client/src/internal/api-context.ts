/**
 * What every API implementation of one connection shares: the runtime client, the resolved connection settings and
 * `invoke`, the calling-convention runner bound to them.
 */
import { compareVersions, failErrMsg } from '@openrun/core';
import type { AuthSetting, CallbackResult } from '../api-types.js';
import { ApiCallError, expectParameter, typeTag } from './api-call-error.js';
import { invokeApi } from './invoke-api.js';
import type { RuntimeClient } from './runtime-client.js';

/** First base library that returns a Promise from a call without callbacks. @see PROTOCOL.md §2, §16 */
export const PROMISE_MIN_BASE_LIB = '2.10.2';

/** Connection settings after defaults. */
export interface ApiSettings {
  baseLibVersion: string | undefined;
  timeout: number;
  weRunPromise: boolean;
  onOpenSetting: ((authSetting: AuthSetting) => AuthSetting | Promise<AuthSetting>) | undefined;
  onCallbackError: (error: unknown, api: string) => void;
}

/** Shared state and helpers of one connection's APIs. */
export interface ApiContext {
  runtime: RuntimeClient;
  settings: ApiSettings;
  /** True when the emulated base library is at least `version` (an unset version means the newest). */
  baseLibAtLeast(version: string): boolean;
  /** Runs one API call with the `{errMsg}` failure result. */
  invoke<Success>(
    api: string,
    options: unknown,
    run: (options: Record<string, unknown>, timeout: number) => Promise<Success>,
    promiseStyle?: boolean,
  ): Promise<Success> | undefined;
}

/** Builds the context of one connection. */
export function createApiContext(runtime: RuntimeClient, settings: ApiSettings): ApiContext {
  const baseLibAtLeast = (version: string): boolean =>
    settings.baseLibVersion === undefined || compareVersions(settings.baseLibVersion, version) >= 0;
  return {
    runtime,
    settings,
    baseLibAtLeast,
    invoke<Success>(
      api: string,
      options: unknown,
      run: (options: Record<string, unknown>, timeout: number) => Promise<Success>,
      promiseStyle = true,
    ): Promise<Success> | undefined {
      return invokeApi<Success, CallbackResult>(
        {
          api,
          promise: promiseStyle && baseLibAtLeast(PROMISE_MIN_BASE_LIB),
          toFailure: (errMsg) => ({ errMsg }),
          reportCallbackError: settings.onCallbackError,
        },
        options,
        (opts) => run(opts, callTimeout(api, opts, settings.timeout)),
      );
    },
  };
}

/** The call's `timeout` option when it is a positive number, else the connection default. */
export function callTimeout(api: string, options: Record<string, unknown>, fallback: number): number {
  expectParameter(api, options, 'timeout', 'Number', false);
  const value = options.timeout;
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** Reads a string field of a runtime reply, or fails the call with an invalid-reply errMsg. */
export function replyString(api: string, reply: Record<string, unknown>, key: string): string {
  const value = reply[key];
  if (typeof value !== 'string') {
    throw new ApiCallError(failErrMsg(api, `invalid reply from OpenRun: ${key} should be String instead of ${typeTag(value)}`));
  }
  return value;
}
