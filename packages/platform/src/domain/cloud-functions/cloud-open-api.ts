/**
 * `cloud.openapi.<ns>.<api>(…)` inside a function (OPEN_API through `wx.openApi`): only `cloudbase.getOpenData` is
 * implemented; it needs `cloudbase.getOpenData` in the function's `config.json` permissions (else -604101), and an
 * unknown API is -604100. The reply is the HTTP API's JSON (PROTOCOL.md §10.2), errors included.
 * @see PROTOCOL.md §12.2, §13.1
 */
import { CLOUD_CALL_ERRORS, platformErrorBody } from '@openrun/core';
import type { LiveInvocation } from '../../functions/live-invocations.js';
import { getOpenData } from '../cloud-ids.js';
import type { PlatformContext } from '../context.js';
import { PlatformApiError } from '../errors.js';

/** The open APIs OpenRun implements. */
const OPEN_APIS = ['cloudbase.getOpenData'] as const;

/** A gateway-level failure code, or the API's JSON reply. */
export type CloudOpenApiResult = { errorCode: number } | { json: Record<string, unknown> };

/** Calls open API `apiName` for `caller` with `params` (each value already JSON-decoded). */
export async function callCloudOpenApi(
  ctx: PlatformContext,
  caller: LiveInvocation,
  apiName: string,
  params: Record<string, unknown>,
): Promise<CloudOpenApiResult> {
  if (!(OPEN_APIS as readonly string[]).includes(apiName)) return { errorCode: CLOUD_CALL_ERRORS.API_NOT_FOUND.errCode };
  if (!caller.openapi.includes(apiName)) return { errorCode: CLOUD_CALL_ERRORS.NO_PERMISSION.errCode };
  try {
    const list = params.cloudid_list;
    if (!Array.isArray(list) || list.length === 0 || !list.every((id): id is string => typeof id === 'string')) {
      throw new PlatformApiError('DATA_FORMAT_ERROR');
    }
    const openid = typeof params.openid === 'string' && params.openid !== '' ? params.openid : caller.openid || undefined;
    return { json: { ...(await getOpenData(ctx, caller.appid, openid, list)) } };
  } catch (error) {
    if (!(error instanceof PlatformApiError)) throw error;
    return { json: platformErrorBody(error.errorName, 'wechat', ctx.ids.rid()) };
  }
}
