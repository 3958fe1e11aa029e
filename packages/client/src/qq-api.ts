/**
 * The `qq` object for a QQ app: the shared account APIs and `getQQRunData` (QQ has no cloudID).
 * @see PROTOCOL.md §5.3, §14
 */
import { STEP_API } from '@openrun/core';
import type { AsyncReturn, GetQQRunDataOption, QQRunDataResult } from './api-types.js';
import type { ApiContext } from './internal/api-context.js';
import { promised } from './internal/promised.js';
import { stepDataResult } from './internal/step-data-result.js';
import { createMiniProgramApi, type MiniProgramApi } from './mini-program-api.js';

/** A `qq`-shaped object bound to one QQ app and one user's device. */
export interface QqApi extends MiniProgramApi {
  /**
   * Reads the user's recent steps, encrypted with the session_key (needs `scope.qqrun` and a prior login).
   * @example const { encryptedData, iv } = await qq.getQQRunData()
   * @see PROTOCOL.md §5.3
   */
  getQQRunData<T extends GetQQRunDataOption = GetQQRunDataOption>(option?: T): AsyncReturn<T, QQRunDataResult>;
}

/** Builds the `qq` object over one connection. */
export function createQqApi(ctx: ApiContext): QqApi {
  const api = STEP_API.qq;
  return {
    ...createMiniProgramApi(ctx),
    getQQRunData: (option) =>
      promised(
        ctx.invoke(api, option, async (_opts, timeout) => {
          const { encryptedData, iv, errMsg } = stepDataResult(
            ctx,
            api,
            await ctx.runtime.request({ api, method: 'POST', path: '/qqrun', timeout }),
          );
          return { errMsg, encryptedData, iv };
        }),
      ),
  };
}
