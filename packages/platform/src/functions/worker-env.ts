/**
 * The environment `wx-server-sdk` reads inside a function process: fixed per worker (gateway URL, env id, fake
 * credentials, `TENCENTCLOUD_RUNENV=SCF`) and per call (`WX_OPENID`, `WX_APPID`, …, set before each invocation).
 * @see PROTOCOL.md §11.4, §13.1
 */

/** The context keys every worker announces to `cloud.getWXContext()`. */
export const WX_CONTEXT_KEYS = ['WX_OPENID', 'WX_APPID', 'WX_UNIONID', 'WX_CLIENTIP', 'WX_API_TOKEN', 'WX_OPEN_DATA_INFO'] as const;

/** The region OpenRun pretends to run in. */
export const FUNCTION_REGION = 'ap-shanghai';

/** The host variables a worker keeps from the platform's own environment (nothing secret). */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'SYSTEMROOT'] as const;

/** The fixed environment of a worker of function `name` in cloud env `cloudEnv`, talking to `gatewayUrl`. */
export function workerBaseEnv(options: {
  name: string;
  cloudEnv: string;
  gatewayUrl: string;
  memoryMb: number;
  host?: Record<string, string | undefined>;
}): Record<string, string> {
  const host = options.host ?? process.env;
  const env: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = host[key];
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: options.gatewayUrl }),
    // Without it the SDK probes an off-machine metadata host to find out where it runs.
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: FUNCTION_REGION,
    SCF_NAMESPACE: options.cloudEnv,
    TCB_ENV: options.cloudEnv,
    SCF_FUNCTIONNAME: options.name,
    SCF_FUNCTIONVERSION: '$LATEST',
    SCF_MEMORY_LIMIT_IN_MB: String(options.memoryMb),
    // Any non-empty values work; the gateway authenticates calls by WX_API_TOKEN instead.
    TENCENTCLOUD_SECRETID: 'openrun-local-secret-id',
    TENCENTCLOUD_SECRETKEY: 'openrun-local-secret-key',
    TENCENTCLOUD_SESSIONTOKEN: 'openrun-local-session-token',
    WX_CONTEXT_KEYS: WX_CONTEXT_KEYS.join(','),
  };
}

/** Who a call runs as and where it came from. */
export interface CallIdentity {
  /** Absent for HTTP API calls, which have no user. */
  openid?: string | undefined;
  appid: string;
  unionid?: string | undefined;
  clientIp: string;
  apiToken: string;
  /** `{"keys":[…]}` naming the event fields filled with open data; undefined when none were. */
  openDataInfo?: string | undefined;
  /** `TCB_SOURCE`, e.g. `wx_client`, `wx_http`, `wx_client,scf`. */
  source: string;
}

/** The per-call variables; `null` removes one a previous call set. */
export function workerCallEnv(identity: CallIdentity): Record<string, string | null> {
  return {
    WX_OPENID: identity.openid ?? null,
    WX_APPID: identity.appid,
    WX_UNIONID: identity.unionid ?? null,
    WX_CLIENTIP: identity.clientIp,
    WX_API_TOKEN: identity.apiToken,
    WX_OPEN_DATA_INFO: identity.openDataInfo ?? null,
    TCB_SOURCE: identity.source,
  };
}
