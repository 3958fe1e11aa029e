/**
 * `@openrun/server-sdk`: what a mini program's backend uses against `api.weixin.qq.com` / `api.q.qq.com`, and
 * against OpenRun in development and CI (`baseUrl` or `OPENRUN_EMULATOR_HOST`).
 */

// Clients
export { WeChatMiniProgram } from './wechat-mini-program.js';
export type { AccessTokenMode, OpenDataResult, WeChatMiniProgramOptions } from './wechat-mini-program.js';
export { QQMiniProgram } from './qq-mini-program.js';
export type { QQMiniProgramOptions } from './qq-mini-program.js';
export type { BoundDecryptOptions, Code2SessionResult, MiniProgramOptions } from './internal/mini-program-client.js';
export type { FetchFunction } from './internal/http-transport.js';
export type {
  ClientEventListener,
  ClientEventMap,
  RequestEvent,
  RequestOptions,
  ResponseEvent,
} from './request-options.js';

// Configuration
export { DEFAULT_BASE_URLS, EMULATOR_HOST_ENV, OPENRUN_QQ_PREFIX, resolveBaseUrl } from './config.js';
export type { Environment } from './config.js';

// Token stores
export { MemoryTokenStore } from './memory-token-store.js';
export type { MemoryTokenStoreOptions } from './memory-token-store.js';
export { RedisTokenStore } from './redis-token-store.js';
export type { RedisTokenStoreOptions } from './redis-token-store.js';
export type { CachedToken, TokenLock, TokenStore } from './token-store.js';

// Open data
export { decryptOpenData } from './decrypt-open-data.js';
export type { DecryptOpenDataOptions, OpenData } from './decrypt-open-data.js';
export { decryptWeRunData } from './decrypt-werun-data.js';
export { parseWeRunData } from './parse-werun-data.js';
export type { ParseWeRunDataOptions, WeRunDay, WeRunSnapshot } from './parse-werun-data.js';
export { mergeStepHistory } from './merge-step-history.js';
export { encryptTestWeRunData } from './encrypt-test-werun-data.js';
export type { TestWeRunDataOptions } from './encrypt-test-werun-data.js';

// Retry policy
export { BASE_BACKOFF_MS, backoffDelay, DEFAULT_MAX_RETRIES, MAX_BACKOFF_MS, shouldRetry } from './retry-policy.js';
export type { AttemptOutcome, RetrySettings } from './retry-policy.js';

// Errors
export {
  AccessTokenInvalidError,
  ApiUnauthorizedError,
  CloudFunctionFailedError,
  CloudFunctionNotFoundError,
  CodeUsedError,
  ConnectionError,
  fromResponse,
  InvalidAppIdError,
  InvalidArgsError,
  InvalidCodeError,
  InvalidOpenIdError,
  InvalidSecretError,
  InvalidSignatureError,
  IpNotAllowedError,
  OpenRunError,
  PlatformError,
  RateLimitError,
  SystemBusyError,
  TimeoutError,
  TOKEN_REJECTED_ERRCODES,
  UnexpectedResponseError,
} from './errors.js';
export type { Operation, PlatformErrorBody } from './errors.js';
export {
  Base64DecodeError,
  DecryptError,
  DecryptFailedError,
  InvalidIvError,
  InvalidOpenDataError,
  InvalidSessionKeyError,
  WatermarkAppIdMismatchError,
  WatermarkFromFutureError,
  WatermarkTooOldError,
} from './decrypt-error.js';
export type { DecryptErrorCode } from './decrypt-error.js';
export { CloudIdError, CloudIdExpiredError, CloudIdForeignError, InvalidCloudIdError } from './cloud-id-error.js';
