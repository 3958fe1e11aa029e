/**
 * Runs one API call with the base library's calling conventions: `success` or `fail`, then `complete`; a Promise only
 * when no callback was passed; the failure result as the rejection value. A call never throws synchronously and never
 * leaves an unhandled rejection when callbacks were passed.
 * @see PROTOCOL.md §16
 */
import { failErrMsg } from '@openrun/core';
import { ApiCallError, isRecord, typeTag } from './api-call-error.js';

/** How one API reports its outcome. */
export interface InvokeSettings<Failure> {
  /** The errMsg prefix, e.g. `getWeRunData` or `cloud.callFunction`. */
  api: string;
  /** Whether a call without callbacks returns a Promise. */
  promise: boolean;
  /** Builds the failure result from its errMsg (and errCode, for cloud APIs). */
  toFailure: (errMsg: string, errCode: number | undefined) => Failure;
  /** Receives an exception thrown by a user callback. */
  reportCallbackError: (error: unknown, api: string) => void;
}

type Outcome<Success, Failure> = { ok: true; res: Success } | { ok: false; res: Failure };

/** Runs `run` with the options object and delivers its outcome to callbacks or to the returned Promise. */
export function invokeApi<Success, Failure>(
  settings: InvokeSettings<Failure>,
  options: unknown,
  run: (options: Record<string, unknown>) => Promise<Success>,
): Promise<Success> | undefined {
  const opts = isRecord(options) ? options : {};
  const success = callback<Success>(opts.success);
  const fail = callback<Failure>(opts.fail);
  const complete = callback<Success | Failure>(opts.complete);

  const outcome = (async (): Promise<Outcome<Success, Failure>> => {
    try {
      if (options !== undefined && options !== null && !isRecord(options)) {
        throw new ApiCallError(
          failErrMsg(settings.api, `parameter error: parameter should be Object instead of ${typeTag(options)};`),
        );
      }
      return { ok: true, res: await run(opts) };
    } catch (error) {
      return { ok: false, res: toFailure(settings, error) };
    }
  })();

  const delivered = outcome.then((result) => {
    const first = result.ok ? () => success?.(result.res) : () => fail?.(result.res);
    guard(settings, first);
    guard(settings, () => complete?.(result.res));
    return result;
  });

  if (success || fail || complete || !settings.promise) return undefined;
  return delivered.then((result) => (result.ok ? result.res : Promise.reject(result.res)));
}

function callback<T>(value: unknown): ((res: T) => void) | undefined {
  return typeof value === 'function' ? (value as (res: T) => void) : undefined;
}

function toFailure<Failure>(settings: InvokeSettings<Failure>, error: unknown): Failure {
  if (error instanceof ApiCallError) return settings.toFailure(error.errMsg, error.errCode);
  const reason = error instanceof Error ? error.message : String(error);
  return settings.toFailure(failErrMsg(settings.api, reason), undefined);
}

function guard<Failure>(settings: InvokeSettings<Failure>, call: () => void): void {
  try {
    call();
  } catch (error) {
    settings.reportCallbackError(error, settings.api);
  }
}
