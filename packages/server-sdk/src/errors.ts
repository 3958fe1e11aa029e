/**
 * Typed errors of the server SDK. The platform answers HTTP 200 with `{errcode, errmsg}`, so {@link fromResponse}
 * chooses the class from `errcode` (and, for the token endpoint, from the operation). Messages carry the errcode,
 * the platform's errmsg and the rid, never the secret, a login code, a token or a session_key.
 * @see PROTOCOL.md §8.2, §8.3, §9.1, §10.2
 */
import { PLATFORM_ERRORS } from '@openrun/core';

/** The operations the SDK performs; errors and events name them. */
export type Operation =
  | 'code2Session'
  | 'getAccessToken'
  | 'getStableAccessToken'
  | 'checkSessionKey'
  | 'getOpenData'
  | 'invokeCloudFunction';

/** Base class of every error the SDK throws. */
export class OpenRunError extends Error {
  override readonly name: string = 'OpenRunError';
  /** Stable machine-readable kind, e.g. `invalid_code`. */
  readonly type: string = 'openrun_error';
}

/** The raw `{errcode, errmsg}` body of a platform error reply. */
export interface PlatformErrorBody {
  errcode: number;
  errmsg?: string;
  [key: string]: unknown;
}

const RID_PATTERN = /rid:\s*([0-9A-Za-z-]+)/;

/** The platform refused a call: `errcode` is never 0. */
export class PlatformError extends OpenRunError {
  override readonly name: string = 'PlatformError';
  override readonly type: string = 'platform_error';
  /** The platform's numeric errcode. */
  readonly errcode: number;
  /** The platform's errmsg, rid suffix included. */
  readonly errmsg: string;
  /** The request id of the reply (`rid: …`), when the errmsg has one. */
  readonly rid: string | undefined;
  /** The SDK operation that failed. */
  readonly operation: Operation;
  /** The whole reply body. */
  readonly body: PlatformErrorBody;

  constructor(operation: Operation, body: PlatformErrorBody) {
    const errmsg = typeof body.errmsg === 'string' ? body.errmsg : '';
    super(`[openrun] ${operation} failed: errcode ${body.errcode}${errmsg ? ` (${errmsg})` : ''}`);
    this.errcode = body.errcode;
    this.errmsg = errmsg;
    this.rid = RID_PATTERN.exec(errmsg)?.[1];
    this.operation = operation;
    this.body = body;
  }
}

/** -1 `system error`: the platform is busy; the SDK already retried with backoff. */
export class SystemBusyError extends PlatformError {
  override readonly name = 'SystemBusyError';
  override readonly type = 'system_busy';
}

/** 40029 `invalid code`: the login code is unknown, expired (5 minutes) or from another app. */
export class InvalidCodeError extends PlatformError {
  override readonly name = 'InvalidCodeError';
  override readonly type = 'invalid_code';
}

/** 40163 `code been used`: the login code was already exchanged; ask the client to log in again. */
export class CodeUsedError extends PlatformError {
  override readonly name = 'CodeUsedError';
  override readonly type = 'code_used';
}

/** 40001 / 42001 / 40014 on a token-protected API: the access token is stale, expired or malformed. */
export class AccessTokenInvalidError extends PlatformError {
  override readonly name = 'AccessTokenInvalidError';
  override readonly type = 'access_token_invalid';
}

/** 40001 / 40125 / 40243 at the token endpoint, or 40125 anywhere: the secret is wrong or frozen. */
export class InvalidSecretError extends PlatformError {
  override readonly name = 'InvalidSecretError';
  override readonly type = 'invalid_secret';
}

/** 40013 `invalid appid`: no app has this appid. */
export class InvalidAppIdError extends PlatformError {
  override readonly name = 'InvalidAppIdError';
  override readonly type = 'invalid_appid';
}

/** 40003 `invalid openid`: the openid is not a user of this app. */
export class InvalidOpenIdError extends PlatformError {
  override readonly name = 'InvalidOpenIdError';
  override readonly type = 'invalid_openid';
}

/** 45009 / 45011: a daily or per-minute quota is spent; slow down (never retried automatically). */
export class RateLimitError extends PlatformError {
  override readonly name = 'RateLimitError';
  override readonly type = 'rate_limited';
}

/** 40164 / 61004: the calling IP is not on the app's allow-list. */
export class IpNotAllowedError extends PlatformError {
  override readonly name = 'IpNotAllowedError';
  override readonly type = 'ip_not_allowed';
}

/** 48001 `api unauthorized`: the app has no permission for this API. */
export class ApiUnauthorizedError extends PlatformError {
  override readonly name = 'ApiUnauthorizedError';
  override readonly type = 'api_unauthorized';
}

/** 87009 `invalid signature`: checksession's signature does not match the current session_key. */
export class InvalidSignatureError extends PlatformError {
  override readonly name = 'InvalidSignatureError';
  override readonly type = 'invalid_signature';
}

/** -501000: invokeCloudFunction named a function the environment does not have. */
export class CloudFunctionNotFoundError extends PlatformError {
  override readonly name = 'CloudFunctionNotFoundError';
  override readonly type = 'cloud_function_not_found';
}

/** -504002: the cloud function threw, timed out or crashed; its message follows the errmsg text. */
export class CloudFunctionFailedError extends PlatformError {
  override readonly name = 'CloudFunctionFailedError';
  override readonly type = 'cloud_function_failed';
}

/** 40097 `invalid args`: e.g. invokeCloudFunction without env or name, or with another app's env. */
export class InvalidArgsError extends PlatformError {
  override readonly name = 'InvalidArgsError';
  override readonly type = 'invalid_args';
}

/** The request did not complete: DNS, refused or reset connection, or an unreadable reply. */
export class ConnectionError extends OpenRunError {
  override readonly name: string = 'ConnectionError';
  override readonly type: string = 'connection_error';
  /** The SDK operation that failed. */
  readonly operation: Operation;
  /** False when the request certainly never reached the server (e.g. connection refused). */
  readonly mayHaveReachedServer: boolean;

  constructor(operation: Operation, message: string, options: { cause?: unknown; mayHaveReachedServer: boolean }) {
    super(`[openrun] ${operation}: ${message}`, { cause: options.cause });
    this.operation = operation;
    this.mayHaveReachedServer = options.mayHaveReachedServer;
  }
}

/** The request took longer than its `timeout`. */
export class TimeoutError extends ConnectionError {
  override readonly name = 'TimeoutError';
  override readonly type = 'timeout';
}

/** The server answered something that is not the platform's JSON (an HTTP error status or a non-JSON body). */
export class UnexpectedResponseError extends OpenRunError {
  override readonly name = 'UnexpectedResponseError';
  override readonly type = 'unexpected_response';
  /** The SDK operation that failed. */
  readonly operation: Operation;
  /** The HTTP status of the reply. */
  readonly status: number;

  constructor(operation: Operation, status: number, detail: string) {
    super(`[openrun] ${operation}: unexpected reply (HTTP ${status}): ${detail}`);
    this.operation = operation;
    this.status = status;
  }
}

/** errcodes that mean "the access token you sent is no longer good": refresh once and retry once. */
export const TOKEN_REJECTED_ERRCODES: readonly number[] = [
  PLATFORM_ERRORS.INVALID_CREDENTIAL.errcode,
  PLATFORM_ERRORS.ACCESS_TOKEN_EXPIRED.errcode,
  PLATFORM_ERRORS.INVALID_ACCESS_TOKEN.errcode,
];

type PlatformErrorClass = new (operation: Operation, body: PlatformErrorBody) => PlatformError;

const BY_ERRCODE: ReadonlyMap<number, PlatformErrorClass> = new Map<number, PlatformErrorClass>([
  [PLATFORM_ERRORS.SYSTEM_ERROR.errcode, SystemBusyError],
  [PLATFORM_ERRORS.INVALID_CODE.errcode, InvalidCodeError],
  [PLATFORM_ERRORS.CODE_BEEN_USED.errcode, CodeUsedError],
  [PLATFORM_ERRORS.INVALID_CREDENTIAL.errcode, AccessTokenInvalidError],
  [PLATFORM_ERRORS.ACCESS_TOKEN_EXPIRED.errcode, AccessTokenInvalidError],
  [PLATFORM_ERRORS.INVALID_ACCESS_TOKEN.errcode, AccessTokenInvalidError],
  [PLATFORM_ERRORS.INVALID_APPSECRET.errcode, InvalidSecretError],
  [40243, InvalidSecretError],
  [PLATFORM_ERRORS.INVALID_APPID.errcode, InvalidAppIdError],
  [PLATFORM_ERRORS.INVALID_OPENID.errcode, InvalidOpenIdError],
  [PLATFORM_ERRORS.DAILY_QUOTA.errcode, RateLimitError],
  [PLATFORM_ERRORS.MINUTE_QUOTA.errcode, RateLimitError],
  [40164, IpNotAllowedError],
  [61004, IpNotAllowedError],
  [PLATFORM_ERRORS.API_UNAUTHORIZED.errcode, ApiUnauthorizedError],
  [PLATFORM_ERRORS.INVALID_SIGNATURE.errcode, InvalidSignatureError],
  [PLATFORM_ERRORS.FUNCTION_NOT_FOUND.errcode, CloudFunctionNotFoundError],
  [PLATFORM_ERRORS.FUNCTION_EXECUTE_FAIL.errcode, CloudFunctionFailedError],
  [PLATFORM_ERRORS.INVALID_ARGS.errcode, InvalidArgsError],
]);

/** True when an operation obtains a token, so 40001 there means "wrong secret", not "stale token". */
function isTokenOperation(operation: Operation): boolean {
  return operation === 'getAccessToken' || operation === 'getStableAccessToken';
}

function isErrorBody(body: unknown): body is PlatformErrorBody {
  return typeof body === 'object' && body !== null && typeof (body as { errcode?: unknown }).errcode === 'number';
}

/**
 * Picks the error for a platform reply: undefined when the reply is a success (HTTP 2xx and `errcode` absent or 0),
 * otherwise the {@link PlatformError} subclass for its errcode, or {@link UnexpectedResponseError}.
 */
export function fromResponse(operation: Operation, status: number, body: unknown): OpenRunError | undefined {
  if (isErrorBody(body) && body.errcode !== 0) {
    if (isTokenOperation(operation) && body.errcode === PLATFORM_ERRORS.INVALID_CREDENTIAL.errcode) {
      return new InvalidSecretError(operation, body);
    }
    const ErrorClass = BY_ERRCODE.get(body.errcode) ?? PlatformError;
    return new ErrorClass(operation, body);
  }
  if (status < 200 || status > 299) return new UnexpectedResponseError(operation, status, 'HTTP error status');
  if (typeof body !== 'object' || body === null) {
    return new UnexpectedResponseError(operation, status, 'the body is not a JSON object');
  }
  return undefined;
}
