/**
 * Who a cloud gateway request comes from: the running call whose `WX_API_TOKEN` the SDK sent as `wxCloudApiToken`.
 * The gateway acts as that call's app and user, with that function's permissions.
 * @see PROTOCOL.md §13.1
 */
import type { FunctionRunner } from '../../functions/function-runner.js';
import type { LiveInvocation } from '../../functions/live-invocations.js';
import { CloudGatewayError } from './cloud-gateway-error.js';

/** The running call of `token`, else PERMISSION_DENIED. */
export function requireGatewayCaller(runner: FunctionRunner, token: unknown): LiveInvocation {
  const invocation = typeof token === 'string' && token !== '' ? runner.invocations.get(token) : undefined;
  if (!invocation) throw new CloudGatewayError('INVALID_API_TOKEN');
  return invocation;
}
