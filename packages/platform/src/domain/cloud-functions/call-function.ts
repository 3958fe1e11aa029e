/**
 * `wx.cloud.callFunction` as the runtime API receives it: CloudID replacement for the calling user, `event.userInfo`,
 * the run, and the client's `{result, requestID}` or its exact failure (`errCode`, `errMsg`).
 * @see PROTOCOL.md §11.2, §11.3, §11.6
 */
import { CLOUD_FUNCTION_ERRORS, failErrMsg, type RuntimeCallFunctionResult } from '@openrun/core';
import type { FunctionRunner } from '../../functions/function-runner.js';
import type { AppRecord, UserRecord } from '../../stores/records.js';
import type { PlatformContext } from '../context.js';
import { OpenRunApiError } from '../errors.js';
import { ensureAppUser } from '../grants.js';
import { replaceCloudIds, setOwn } from './replace-cloud-ids.js';
import { runCloudFunction } from './run-cloud-function.js';

/** The client API name, the errMsg prefix. */
const API = 'cloud.callFunction';

/** The errMsg of a call the cloud service failed, with its service code and message. */
export function serviceFailErrMsg(requestId: string, serviceCode: number, message: string): string {
  return failErrMsg(API, `requestID ${requestId}, cloud function service error code ${serviceCode}, error message ${message}; at ${API} api;`);
}

/** Runs function `name` for `user` of `app` with the client's `data`. */
export async function callFunction(
  ctx: PlatformContext,
  runner: FunctionRunner,
  input: { app: AppRecord; user: UserRecord; name: string; data: Record<string, unknown>; clientIp: string },
): Promise<RuntimeCallFunctionResult> {
  const { app, user } = input;
  if (app.platform !== 'weapp' || !app.cloud || !app.cloudEnv) {
    throw new OpenRunApiError(
      'CLOUD_DISABLED',
      `${app.appid} has no cloud development: create the app with cloud: true`,
      failErrMsg(API, 'cloud development is not enabled for this mini program'),
      -1,
    );
  }
  await ensureAppUser(ctx, app, user);
  const appUser = await ctx.durable.getAppUser(app.appid, user.id);
  if (!appUser) throw new Error(`[openrun] app user ${app.appid}/${user.id} vanished`);
  const { event, openDataKeys } = await replaceCloudIds(ctx, app.appid, appUser.openid, input.data);
  setOwn(event, 'userInfo', { appId: app.appid, openId: appUser.openid });
  const outcome = await runCloudFunction(ctx, runner, {
    app: { ...app, cloudEnv: app.cloudEnv },
    name: input.name,
    event,
    openid: appUser.openid,
    unionid: appUser.unionid ?? undefined,
    clientIp: input.clientIp,
    source: 'wx_client',
    openDataKeys,
  });
  if (outcome.status === 'not-found') {
    const { errCode, errMsg } = CLOUD_FUNCTION_ERRORS.NOT_FOUND;
    throw new OpenRunApiError(
      'FUNCTION_NOT_FOUND',
      `no cloud function "${input.name}"${ctx.config.functionsDir ? ` in ${ctx.config.functionsDir}` : ': start the platform with --functions DIR'}`,
      serviceFailErrMsg(outcome.requestId, errCode, errMsg),
      errCode,
    );
  }
  if (outcome.status === 'failed') {
    throw new OpenRunApiError(
      'FUNCTION_FAILED',
      `cloud function "${input.name}" failed (${outcome.kind}): ${outcome.message}`,
      serviceFailErrMsg(outcome.requestId, CLOUD_FUNCTION_ERRORS.EXECUTE_FAIL.errCode, outcome.message),
      CLOUD_FUNCTION_ERRORS.EXECUTION_ERROR.errCode,
    );
  }
  // A main that returns nothing gives `result: null`, as the cloud does.
  return { result: outcome.json === undefined ? null : (JSON.parse(outcome.json) as unknown), requestID: outcome.requestId };
}
