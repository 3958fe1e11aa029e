/**
 * POST /tcb/invokecloudfunction: the developer's backend runs a cloud function of its app over HTTPS. No user, so no
 * CloudID replacement, no `event.userInfo` and no OPENID in the context; `SOURCE` is `wx_http`.
 * @see PROTOCOL.md §18.1, ARCHITECTURE.md §3
 */
import type { FunctionRunner } from '../../functions/function-runner.js';
import type { PlatformContext } from '../context.js';
import { PlatformApiError } from '../errors.js';
import { runCloudFunction } from './run-cloud-function.js';

/** The success body: `resp_data` is the JSON text of what `main` returned. */
export interface InvokeCloudFunctionResult {
  errcode: 0;
  errmsg: 'ok';
  resp_data: string;
}

/** Runs function `name` of `appid`'s cloud env `env` with `data` as the event. */
export async function invokeCloudFunction(
  ctx: PlatformContext,
  runner: FunctionRunner,
  input: { appid: string; env: string | undefined; name: string | undefined; data: Record<string, unknown>; clientIp: string },
): Promise<InvokeCloudFunctionResult> {
  const app = await ctx.durable.getApp(input.appid);
  if (!app || app.platform !== 'weapp' || !app.cloud || !app.cloudEnv) throw new PlatformApiError('API_UNAUTHORIZED');
  if (!input.env || !input.name) throw new PlatformApiError('INVALID_ARGS');
  if (input.env !== app.cloudEnv) throw new PlatformApiError('INVALID_ARGS', `env ${input.env} is not this app's cloud environment`);
  const outcome = await runCloudFunction(ctx, runner, {
    app: { ...app, cloudEnv: app.cloudEnv },
    name: input.name,
    event: input.data,
    clientIp: input.clientIp,
    source: 'wx_http',
  });
  if (outcome.status === 'not-found') throw new PlatformApiError('FUNCTION_NOT_FOUND');
  if (outcome.status === 'failed') throw new PlatformApiError('FUNCTION_EXECUTE_FAIL', `requestID ${outcome.requestId}, ${outcome.message}`);
  return { errcode: 0, errmsg: 'ok', resp_data: outcome.json ?? 'null' };
}
