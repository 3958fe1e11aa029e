/**
 * Taro's calling convention (its H5 `MethodHandler`): every call returns a Promise *and* calls the callbacks —
 * `success` then `complete` and resolve; `fail` then `complete`, then resolve when a `fail` or `complete` callback was
 * passed, else reject with the failure result.
 */
import { failErrMsg } from '@openrun/core';

type Callback = (res: unknown) => void;

/** Runs `run` with the options minus the callbacks and reports its outcome the Taro way. */
export function taroCall<Success>(
  api: string,
  options: unknown,
  run: (rest: unknown) => Promise<Success>,
): Promise<Success> {
  const opts = typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  const { success, fail, complete, ...rest } = opts;
  const handlerError = typeof fail === 'function' || typeof complete === 'function';
  return (async () => {
    let res: Success;
    try {
      res = await run(options === undefined || typeof options === 'object' ? rest : options);
    } catch (failure) {
      const result = toFailureResult(api, failure);
      call(fail, result);
      call(complete, result);
      if (handlerError) return result as Success;
      throw result;
    }
    call(success, res);
    call(complete, res);
    return res;
  })();
}

function call(callback: unknown, res: unknown): void {
  if (typeof callback === 'function') (callback as Callback)(res);
}

/** The client's failure results (`{errMsg}`, CallFunctionError) pass through; anything else becomes `{errMsg}`. */
function toFailureResult(api: string, failure: unknown): unknown {
  if (typeof failure === 'object' && failure !== null && typeof (failure as { errMsg?: unknown }).errMsg === 'string') return failure;
  const reason = failure instanceof Error ? failure.message : String(failure);
  return { errMsg: failErrMsg(api, reason) };
}
