/**
 * One cloud-function call, whoever makes it (the mini program, the HTTP API, another function): finds the function,
 * registers the call's API token for the gateway while it runs, and returns what happened as a plain value.
 * @see PROTOCOL.md §11, §13.1
 */
import type { FunctionLogLine, FunctionFailureKind } from '../../functions/worker-pool.js';
import type { FunctionRunner } from '../../functions/function-runner.js';
import type { AppRecord } from '../../stores/records.js';
import type { PlatformContext } from '../context.js';

/** A call to run. */
export interface CloudFunctionRequest {
  /** A cloud-enabled WeChat app. */
  app: AppRecord & { cloudEnv: string };
  name: string;
  event: Record<string, unknown>;
  /** The calling user; absent for HTTP API calls. */
  openid?: string | undefined;
  unionid?: string | undefined;
  clientIp: string;
  /** `TCB_SOURCE`: `wx_client`, `wx_http`, or a parent's source plus `,scf`. */
  source: string;
  /** Event keys filled with open data (OPEN_DATA_INFO). */
  openDataKeys?: string[];
}

/** What a call came to. */
export type CloudFunctionOutcome =
  | { status: 'ok'; requestId: string; json: string | undefined; logs: FunctionLogLine[] }
  | { status: 'not-found'; requestId: string }
  | { status: 'failed'; requestId: string; kind: FunctionFailureKind; message: string; logs: FunctionLogLine[] };

/** A request id in the UUID form the cloud SDKs print, from the platform's injected randomness. */
export function newRequestId(ctx: PlatformContext): string {
  const hex = (ctx.ids.rid() + ctx.ids.rid()).replace(/-/g, '');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Runs `request` on the runner; never throws for the function's own failures. */
export async function runCloudFunction(ctx: PlatformContext, runner: FunctionRunner, request: CloudFunctionRequest): Promise<CloudFunctionOutcome> {
  const requestId = newRequestId(ctx);
  let fn;
  try {
    fn = runner.find(request.name);
  } catch (error) {
    return { status: 'failed', requestId, kind: 'startup', message: (error as Error).message, logs: [] };
  }
  if (!fn) return { status: 'not-found', requestId };
  const token = ctx.ids.accessToken();
  const keys = request.openDataKeys ?? [];
  runner.invocations.begin({
    token,
    requestId,
    appid: request.app.appid,
    openid: request.openid ?? '',
    unionid: request.unionid,
    clientIp: request.clientIp,
    functionName: fn.name,
    cloudEnv: request.app.cloudEnv,
    openapi: fn.openapi,
    source: request.source,
  });
  try {
    const outcome = await runner.run(fn, {
      requestId,
      cloudEnv: request.app.cloudEnv,
      identity: {
        openid: request.openid,
        appid: request.app.appid,
        unionid: request.unionid,
        clientIp: request.clientIp,
        apiToken: token,
        openDataInfo: keys.length > 0 ? JSON.stringify({ keys }) : undefined,
        source: request.source,
      },
      event: request.event,
    });
    return outcome.ok
      ? { status: 'ok', requestId, json: outcome.json, logs: outcome.logs }
      : { status: 'failed', requestId, kind: outcome.kind, message: outcome.message, logs: outcome.logs };
  } finally {
    runner.invocations.end(token);
  }
}
