/**
 * The one catalogue of platform errors (WeChat / QQ developer APIs, cloudID per-id errors) and of OpenRun's own
 * API errors. Codes are never reused: add entries, never repurpose them.
 * @see PROTOCOL.md §8–§11, §18
 */

/** Which platform's wire personality a reply is written in. */
export type Flavour = 'wechat' | 'qq';

/** A platform error: the numeric errcode and the exact errmsg base text (before the `, rid: …` suffix). */
export interface PlatformErrorEntry {
  readonly errcode: number;
  /** errmsg base text, WeChat flavour. */
  readonly wechat: string;
  /** errmsg base text, QQ flavour (QQ uses the WeChat texts where it documents the code). */
  readonly qq: string;
  /** One line for people: when the platform answers with this. */
  readonly description: string;
}

function same(errcode: number, text: string, description: string): PlatformErrorEntry {
  return { errcode, wechat: text, qq: text, description };
}

/** Every platform errcode OpenRun emits, keyed by a stable name. */
export const PLATFORM_ERRORS = {
  SYSTEM_ERROR: same(-1, 'system error', 'the platform is busy; retry'),
  INVALID_CREDENTIAL: same(
    40001,
    'invalid credential, access_token is invalid or not latest',
    'wrong secret at /cgi-bin/token, or a stale/unknown access_token',
  ),
  INVALID_GRANT_TYPE: same(40002, 'invalid grant_type', 'grant_type is not the one the endpoint requires'),
  INVALID_OPENID: same(40003, 'invalid openid', 'the openid is not a user of this app'),
  INVALID_APPID: same(40013, 'invalid appid', 'no app has this appid'),
  INVALID_ACCESS_TOKEN: same(40014, 'invalid access_token', 'the access_token is malformed'),
  INVALID_CODE: same(40029, 'invalid code', 'the login code is unknown, expired or from another app'),
  INVALID_APPSECRET: same(40125, 'invalid appsecret', 'the secret does not belong to the appid'),
  CODE_BEEN_USED: same(40163, 'code been used', 'the login code was already exchanged once'),
  ACCESS_TOKEN_MISSING: same(41001, 'access_token missing', 'a token-protected API was called without access_token'),
  APPID_MISSING: same(41002, 'appid missing', 'the appid query parameter is missing'),
  APPSECRET_MISSING: same(41004, 'appsecret missing', 'the secret query parameter is missing'),
  CODE_MISSING: same(41008, 'missing code', 'the js_code query parameter is missing'),
  ACCESS_TOKEN_EXPIRED: same(42001, 'access_token expired', 'the access_token outlived its 7200 s'),
  REQUIRE_POST: same(43002, 'require POST method', 'the endpoint only accepts POST'),
  EMPTY_POST_DATA: same(44002, 'empty post data', 'a POST endpoint received no body'),
  DAILY_QUOTA: same(45009, 'reach max api daily quota limit', 'the daily quota of this API is spent'),
  MINUTE_QUOTA: same(
    45011,
    'api minute-quota reach limit mustslower retry next minute',
    'more than 100 code exchanges for one user within a minute',
  ),
  INVALID_URL: same(40066, 'invalid url', 'the path cannot be read (a broken %-escape, an over-long segment)'),
  DATA_FORMAT_ERROR: same(47001, 'data format error', 'the POST body is not the JSON the endpoint expects'),
  API_UNAUTHORIZED: same(48001, 'api unauthorized', 'the app has no permission for this API'),
  INVALID_SIGNATURE: same(87009, 'invalid signature', 'checksession: the signature does not match the current session_key'),
  INVALID_ARGS: same(40097, 'invalid args', 'invokecloudfunction: env or name is missing, or env is not the app\'s cloud environment'),
  FUNCTION_NOT_FOUND: same(
    -501000,
    '[ResourceNotFound.Function] FunctionName parameter could not be found',
    'invokecloudfunction: no cloud function has this name',
  ),
  FUNCTION_EXECUTE_FAIL: same(-504002, 'functions execute fail', 'invokecloudfunction: the function threw, timed out, exited or ran out of memory'),
} as const satisfies Record<string, PlatformErrorEntry>;

/** Name of a platform error in the catalogue. */
export type PlatformErrorName = keyof typeof PLATFORM_ERRORS;

/** Per-id cloudID errors, as they appear inside getopendata `json` and replaced CloudIDs. @see PROTOCOL.md §11.5 */
export const CLOUD_ID_ERRORS = {
  INVALID: { errCode: -601005, errMsg: 'invalid cloudID' },
  EXPIRED: { errCode: -601006, errMsg: 'cloudID expired.' },
  NOT_BELONG_TO_USER: { errCode: -601007, errMsg: 'cloudID not belong to user.' },
} as const satisfies Record<string, { errCode: number; errMsg: string }>;

/**
 * Error codes of cloud calls made inside a function (`cloud.openapi.*`, `cloud.getOpenData`): the gateway puts them in
 * `CommOpenApiResp.errorCode`. @see PROTOCOL.md §11.5, §12.2
 */
export const CLOUD_CALL_ERRORS = {
  API_NOT_FOUND: { errCode: -604100, errMsg: 'API not found' },
  NO_PERMISSION: { errCode: -604101, errMsg: 'function has no permission to call this API' },
} as const satisfies Record<string, { errCode: number; errMsg: string }>;

/**
 * TCB error bodies `{code, message, requestId}` of the cloud gateway (`/tcb/admin`); `wx-server-sdk` maps `code` to
 * its errCode table (unknown codes become -501001). @see PROTOCOL.md §13.1
 */
export const CLOUD_GATEWAY_ERRORS = {
  INVALID_API_TOKEN: { code: 'PERMISSION_DENIED', message: 'wxCloudApiToken does not belong to a running cloud function call' },
  INVALID_PARAM: { code: 'INVALID_PARAM', message: 'the request is not one the cloud gateway understands' },
  INVALID_ACTION: { code: 'INVALID_ACTION', message: 'the cloud gateway does not implement this action' },
  FUNCTION_NOT_FOUND: { code: 'RESOURCE_NOT_FOUND', message: '[ResourceNotFound.Function] FunctionName parameter could not be found' },
  FUNCTIONS_EXECUTE_FAIL: { code: 'FUNCTIONS_EXECUTE_FAIL', message: 'functions execute fail' },
} as const satisfies Record<string, { code: string; message: string }>;

/** Name of a cloud gateway error. */
export type CloudGatewayErrorName = keyof typeof CLOUD_GATEWAY_ERRORS;

/** Cloud-function service errors as `wx.cloud.callFunction` reports them. @see PROTOCOL.md §11.6 */
export const CLOUD_FUNCTION_ERRORS = {
  /** The errCode of a failed call, on the client. */
  EXECUTION_ERROR: { errCode: -404011, errMsg: 'cloud function execution error' },
  /** The service code inside the errMsg when the function failed. */
  EXECUTE_FAIL: { errCode: -504002, errMsg: 'functions execute fail' },
  /** No function with this name. */
  NOT_FOUND: { errCode: -501000, errMsg: 'FunctionName parameter could not be found' },
} as const satisfies Record<string, { errCode: number; errMsg: string }>;

/** Name of a per-id cloudID error. */
export type CloudIdErrorName = keyof typeof CLOUD_ID_ERRORS;

/** An OpenRun runtime/control API error: stable string code and HTTP status. */
export interface OpenRunErrorEntry {
  readonly code: `OR_ERR_${string}`;
  readonly status: number;
  readonly description: string;
}

/** OpenRun's own API error codes (`{error:{code,message}}` bodies). */
export const OPENRUN_ERRORS = {
  VALIDATION: { code: 'OR_ERR_REQUEST_INVALID', status: 400, description: 'the request does not match the schema' },
  BODY_TOO_LARGE: { code: 'OR_ERR_REQUEST_TOO_LARGE', status: 413, description: 'the request body exceeds the limit' },
  BAD_URL: { code: 'OR_ERR_REQUEST_BAD_URL', status: 400, description: 'the path has a broken %-escape' },
  URL_TOO_LONG: { code: 'OR_ERR_REQUEST_URL_TOO_LONG', status: 414, description: 'a path segment is longer than 600 characters' },
  UNAUTHENTICATED_DEVICE: {
    code: 'OR_ERR_RUNTIME_DEVICE_TOKEN',
    status: 401,
    description: 'missing or unknown device token',
  },
  UNAUTHENTICATED_CONTROL: {
    code: 'OR_ERR_CONTROL_TOKEN',
    status: 401,
    description: 'missing or wrong control token',
  },
  APP_NOT_FOUND: { code: 'OR_ERR_APP_NOT_FOUND', status: 404, description: 'no app has this appid' },
  USER_NOT_FOUND: { code: 'OR_ERR_USER_NOT_FOUND', status: 404, description: 'no user has this id' },
  ROUTE_NOT_FOUND: { code: 'OR_ERR_ROUTE_NOT_FOUND', status: 404, description: 'no such OpenRun API route' },
  WRONG_PLATFORM: {
    code: 'OR_ERR_RUNTIME_WRONG_PLATFORM',
    status: 400,
    description: 'the API belongs to the other platform (getWeRunData on a QQ app or the reverse)',
  },
  INVALID_SCOPE: { code: 'OR_ERR_RUNTIME_INVALID_SCOPE', status: 400, description: 'the scope is not one this platform knows' },
  AUTH_DENIED: { code: 'OR_ERR_RUNTIME_AUTH_DENIED', status: 403, description: 'the user refused the scope' },
  PROMPT_REQUIRED: {
    code: 'OR_ERR_RUNTIME_PROMPT_REQUIRED',
    status: 409,
    description: "the user answers the consent dialog on the device (promptAnswer 'ask'): show it, then POST …/prompt",
  },
  NOT_LOGGED_IN: {
    code: 'OR_ERR_RUNTIME_NOT_LOGGED_IN',
    status: 403,
    description: 'the mini program has no session for this user: call login first',
  },
  SESSION_EXPIRED: { code: 'OR_ERR_RUNTIME_SESSION_EXPIRED', status: 403, description: 'the session_key is no longer current' },
  WERUN_DISABLED: { code: 'OR_ERR_RUNTIME_WERUN_DISABLED', status: 403, description: 'the user has not enabled WeRun / QQ Run' },
  NO_STEP_COUNTER: { code: 'OR_ERR_RUNTIME_NO_STEP_COUNTER', status: 403, description: "the user's device has no step counter" },
  INVALID_DATE: { code: 'OR_ERR_CONTROL_INVALID_DATE', status: 400, description: 'a date is not a real YYYY-MM-DD calendar day' },
  CONFLICT: { code: 'OR_ERR_CONTROL_CONFLICT', status: 409, description: 'the change conflicts with existing state' },
  IMPORT_INVALID: {
    code: 'OR_ERR_CONTROL_IMPORT_INVALID',
    status: 400,
    description: 'an imported file has a bad row, date, count or syntax; nothing was written',
  },
  INTERNAL: { code: 'OR_ERR_INTERNAL', status: 500, description: 'an unexpected failure inside OpenRun' },
  STORE_UNAVAILABLE: {
    code: 'OR_ERR_STORE_UNAVAILABLE',
    status: 503,
    description: 'the PostgreSQL or Redis store cannot be reached; nothing was changed, retry when it is back',
  },
  CLOUD_DISABLED: {
    code: 'OR_ERR_RUNTIME_CLOUD_DISABLED',
    status: 403,
    description: 'the app is not a WeChat app with cloud development on',
  },
  FUNCTION_NOT_FOUND: {
    code: 'OR_ERR_FUNCTION_NOT_FOUND',
    status: 404,
    description: 'no cloud function has this name (or the platform runs without --functions)',
  },
  FUNCTION_FAILED: {
    code: 'OR_ERR_FUNCTION_FAILED',
    status: 502,
    description: 'the cloud function threw, timed out, exited or ran out of memory',
  },
  HOST_NOT_SERVED: {
    code: 'OR_ERR_PROXY_HOST_NOT_SERVED',
    status: 403,
    description: 'a proxy request or CONNECT named a host OpenRun does not serve (it never forwards to the internet)',
  },
} as const satisfies Record<string, OpenRunErrorEntry>;

/** Name of an OpenRun API error. */
export type OpenRunErrorName = keyof typeof OPENRUN_ERRORS;

/** Appends the platform's request-id suffix: `invalid code, rid: 668f2aa4-51c08c03-3d141241`. */
export function formatErrmsg(text: string, rid: string): string {
  return `${text}, rid: ${rid}`;
}

/** Builds the `{errcode, errmsg}` body of a platform error reply. */
export function platformErrorBody(
  name: PlatformErrorName,
  flavour: Flavour,
  rid: string,
): { errcode: number; errmsg: string } {
  const entry: PlatformErrorEntry = PLATFORM_ERRORS[name];
  return { errcode: entry.errcode, errmsg: formatErrmsg(entry[flavour], rid) };
}

/** Finds the catalogue entry for a numeric errcode, if OpenRun knows it. */
export function platformErrorByCode(errcode: number): PlatformErrorName | undefined {
  for (const [name, entry] of Object.entries(PLATFORM_ERRORS) as [PlatformErrorName, PlatformErrorEntry][]) {
    if (entry.errcode === errcode) return name;
  }
  return undefined;
}
