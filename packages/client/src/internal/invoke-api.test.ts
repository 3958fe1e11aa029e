import { describe, expect, it, vi } from 'vitest';
import { ApiCallError } from './api-call-error.js';
import { invokeApi, type InvokeSettings } from './invoke-api.js';

interface Failure {
  errMsg: string;
}

function settings(overrides: Partial<InvokeSettings<Failure>> = {}): InvokeSettings<Failure> {
  return {
    api: 'login',
    promise: true,
    toFailure: (errMsg) => ({ errMsg }),
    reportCallbackError: (error) => {
      throw error;
    },
    ...overrides,
  };
}

const succeed = async () => ({ errMsg: 'login:ok', code: 'c1' });
const failWith = (errMsg: string) => async (): Promise<never> => {
  throw new ApiCallError(errMsg);
};

/** Resolves once every callback of a callback-style call has run. */
function recorder() {
  const calls: Array<[string, unknown]> = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  return {
    calls,
    finished,
    options: {
      success: (res: unknown) => calls.push(['success', res]),
      fail: (res: unknown) => calls.push(['fail', res]),
      complete: (res: unknown) => {
        calls.push(['complete', res]);
        done();
      },
    },
  };
}

describe('invokeApi', () => {
  it('calls success and then complete with the same result, and returns nothing', async () => {
    const r = recorder();
    const returned = invokeApi(settings(), r.options, succeed);
    expect(returned).toBeUndefined();
    await r.finished;
    expect(r.calls).toEqual([
      ['success', { errMsg: 'login:ok', code: 'c1' }],
      ['complete', { errMsg: 'login:ok', code: 'c1' }],
    ]);
  });

  it('calls fail and then complete with the failure result', async () => {
    const r = recorder();
    invokeApi(settings(), r.options, failWith('login:fail timeout'));
    await r.finished;
    expect(r.calls).toEqual([
      ['fail', { errMsg: 'login:fail timeout' }],
      ['complete', { errMsg: 'login:fail timeout' }],
    ]);
  });

  it('returns a Promise of the result only when no callback is passed', async () => {
    await expect(invokeApi(settings(), undefined, succeed)).resolves.toEqual({ errMsg: 'login:ok', code: 'c1' });
    await expect(invokeApi(settings(), {}, succeed)).resolves.toEqual({ errMsg: 'login:ok', code: 'c1' });
  });

  it('rejects the Promise with the failure result itself, not an Error', async () => {
    await expect(invokeApi(settings(), {}, failWith('login:fail x'))).rejects.toEqual({ errMsg: 'login:fail x' });
  });

  it('returns no Promise when the emulated base library has no Promise style', () => {
    expect(invokeApi(settings({ promise: false }), {}, succeed)).toBeUndefined();
  });

  it('treats a complete-only call as callback style', async () => {
    const complete = vi.fn();
    const returned = invokeApi(settings(), { complete }, failWith('login:fail x'));
    expect(returned).toBeUndefined();
    await vi.waitFor(() => expect(complete).toHaveBeenCalledWith({ errMsg: 'login:fail x' }));
  });

  it('reports a throwing success callback and still calls complete', async () => {
    const reported: unknown[] = [];
    const boom = new Error('boom');
    const complete = vi.fn();
    invokeApi(settings({ reportCallbackError: (e) => reported.push(e) }), { success: () => { throw boom; }, complete }, succeed);
    await vi.waitFor(() => expect(complete).toHaveBeenCalledTimes(1));
    expect(reported).toEqual([boom]);
  });

  it('fails with the base library parameter error when the options are not an object', async () => {
    await expect(invokeApi(settings(), 'code', succeed)).rejects.toEqual({
      errMsg: 'login:fail parameter error: parameter should be Object instead of String;',
    });
  });

  it('turns an unexpected exception into <api>:fail with its message', async () => {
    const run = async (): Promise<never> => {
      throw new Error('kaputt');
    };
    await expect(invokeApi(settings(), {}, run)).rejects.toEqual({ errMsg: 'login:fail kaputt' });
  });

  it('turns a synchronous throw of the implementation into a rejection, never a throw from the call', () => {
    const run = (): Promise<never> => {
      throw new Error('sync');
    };
    const returned = invokeApi(settings(), {}, run);
    expect(returned).toBeInstanceOf(Promise);
    return expect(returned).rejects.toEqual({ errMsg: 'login:fail sync' });
  });

  it('ignores callbacks that are not functions', async () => {
    await expect(invokeApi(settings(), { success: 'yes' }, succeed)).resolves.toMatchObject({ errMsg: 'login:ok' });
  });
});
