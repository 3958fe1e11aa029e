/**
 * `cloud.callFunction({name, data})` inside a function (`functions.invokeFunction`): runs another function of the same
 * app and env as the same user; `SOURCE` gains `,scf`. Reply `{requestId, data: {response_data}}`.
 * @see PROTOCOL.md §13.1
 */
import type { FunctionRunner } from '../../functions/function-runner.js';
import type { LiveInvocation } from '../../functions/live-invocations.js';
import type { PlatformContext } from '../context.js';
import { CloudGatewayError } from './cloud-gateway-error.js';
import { setOwn } from './replace-cloud-ids.js';
import { runCloudFunction } from './run-cloud-function.js';

/** The gateway's success body for `functions.invokeFunction`. */
export interface InvokeFunctionResult {
  requestId: string;
  data: { response_data: string };
}

/** Runs `name` with the JSON text `requestData` as the event, on behalf of `caller`. */
export async function invokeFunctionFromFunction(
  ctx: PlatformContext,
  runner: FunctionRunner,
  caller: LiveInvocation,
  name: unknown,
  requestData: unknown,
): Promise<InvokeFunctionResult> {
  if (typeof name !== 'string' || name === '') throw new CloudGatewayError('INVALID_PARAM', 'function_name is missing');
  let event: unknown = {};
  if (typeof requestData === 'string' && requestData !== '') {
    try {
      event = JSON.parse(requestData);
    } catch {
      throw new CloudGatewayError('INVALID_PARAM', 'request_data is not JSON');
    }
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) event = {};
  const app = await ctx.durable.getApp(caller.appid);
  if (!app?.cloudEnv) throw new CloudGatewayError('INVALID_PARAM', `app ${caller.appid} has no cloud environment`);
  const payload = event as Record<string, unknown>;
  if (caller.openid) setOwn(payload, 'userInfo', { appId: caller.appid, openId: caller.openid });
  const outcome = await runCloudFunction(ctx, runner, {
    app: { ...app, cloudEnv: app.cloudEnv },
    name,
    event: payload,
    openid: caller.openid || undefined,
    unionid: caller.unionid,
    clientIp: caller.clientIp,
    source: `${caller.source},scf`,
  });
  if (outcome.status === 'not-found') throw new CloudGatewayError('FUNCTION_NOT_FOUND');
  if (outcome.status === 'failed') {
    throw new CloudGatewayError('FUNCTIONS_EXECUTE_FAIL', `requestID ${outcome.requestId}, ${outcome.message}`);
  }
  return { requestId: outcome.requestId, data: { response_data: outcome.json ?? 'null' } };
}
