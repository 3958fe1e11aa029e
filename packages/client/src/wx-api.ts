/**
 * The `wx` object for a WeChat app: the shared account APIs, `getWeRunData` and `wx.cloud`.
 * @see PROTOCOL.md §2–5, §11
 */
import { STEP_API } from '@openrun/core';
import type { AsyncReturn, GetWeRunDataOption, WeRunDataResult } from './api-types.js';
import type { ApiContext } from './internal/api-context.js';
import { promised } from './internal/promised.js';
import { stepDataResult } from './internal/step-data-result.js';
import { createMiniProgramApi, type MiniProgramApi } from './mini-program-api.js';
import { createWxCloud, type WxCloud } from './wx-cloud.js';

/** A `wx`-shaped object bound to one WeChat app and one user's device. */
export interface WxApi extends MiniProgramApi {
  /**
   * Reads the user's last 31 days of steps, encrypted with the session_key (needs `scope.werun` and a prior login).
   * @example const { encryptedData, iv, cloudID } = await wx.getWeRunData()
   * @see PROTOCOL.md §5.1
   */
  getWeRunData<T extends GetWeRunDataOption = GetWeRunDataOption>(option?: T): AsyncReturn<T, WeRunDataResult>;
  /** Cloud development: `init`, `CloudID`, `callFunction`. @see PROTOCOL.md §11 */
  cloud: WxCloud;
}

/** Builds the `wx` object over one connection. */
export function createWxApi(ctx: ApiContext): WxApi {
  const api = STEP_API.weapp;
  return {
    ...createMiniProgramApi(ctx),
    getWeRunData: (option) =>
      promised(
        ctx.invoke(
          api,
          option,
          async (_opts, timeout) => {
            const reply = await ctx.runtime.request({ api, method: 'POST', path: '/werun', timeout });
            return stepDataResult(ctx, api, reply) as WeRunDataResult;
          },
          ctx.settings.weRunPromise,
        ),
      ),
    cloud: createWxCloud(ctx),
  };
}
