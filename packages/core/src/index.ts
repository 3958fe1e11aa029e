/**
 * `@openrun/core`: the rules every OpenRun part shares, with no I/O. The Node-only cipher is `@openrun/core/cipher`.
 */
export {
  CLOUD_CALL_ERRORS,
  CLOUD_FUNCTION_ERRORS,
  CLOUD_GATEWAY_ERRORS,
  CLOUD_ID_ERRORS,
  formatErrmsg,
  OPENRUN_ERRORS,
  PLATFORM_ERRORS,
  platformErrorBody,
  platformErrorByCode,
} from './error-catalogue.js';
export type {
  CloudGatewayErrorName,
  CloudIdErrorName,
  Flavour,
  OpenRunErrorEntry,
  OpenRunErrorName,
  PlatformErrorEntry,
  PlatformErrorName,
} from './error-catalogue.js';

export {
  authDenyErrMsg,
  CHECK_SESSION_EXPIRED_ERRMSG,
  failErrMsg,
  isAuthDenied,
  NO_STEP_COUNTER_REASON,
  NOT_LOGGED_IN_REASON,
  okErrMsg,
  rememberedDenyErrMsg,
  WERUN_DISABLED_REASON,
} from './client-errmsg.js';

export {
  addChinaDays,
  buildStepInfoList,
  chinaDateOf,
  chinaDateOfDayNumber,
  chinaDayNumber,
  chinaDayStart,
  chinaMidnightOf,
  DEFAULT_STEP_DAYS,
  formatChinaTime,
  isChinaDate,
  stepWindowBounds,
  stepWindowDates,
} from './step-calendar.js';
export type { ChinaDate, StepInfo } from './step-calendar.js';

export { checkWatermark, serializeWeRunData } from './open-data.js';
export type { WatermarkCheck, WatermarkProblem, Watermark, WeRunData } from './open-data.js';

export {
  ACCESS_TOKEN_PATTERN,
  CLOUD_ID_PATTERN,
  createIdGenerator,
  OPENID_PATTERN,
  QQ_APPID_PATTERN,
  SECRET_PATTERN,
  WECHAT_APPID_PATTERN,
  pooledWebCryptoRandom,
  webCryptoRandom,
} from './id-formats.js';
export type { IdGenerator, RandomSource } from './id-formats.js';

export {
  CLOUD_ID_MARKER_KEY,
  MAX_CLOUD_ID_REPLACEMENTS,
  readCloudIdMarker,
  toCloudIdMarker,
} from './cloud-id-marker.js';
export type { CloudIdMarker } from './cloud-id-marker.js';

export { CLOUD_ID_MIN_BASE_LIB, compareVersions, flavourOf, STEP_API, STEP_SCOPE } from './platforms.js';
export type { MiniProgramPlatform, StepScope } from './platforms.js';

export { RUNTIME_API_PREFIX } from './runtime-api.js';
export type {
  OpenRunErrorBody,
  PromptAnswer,
  RuntimeCallFunctionResult,
  RuntimeLoginResult,
  RuntimePrompt,
  RuntimePromptAnswer,
  RuntimePromptResult,
  RuntimeSettingResult,
  RuntimeStepDataResult,
} from './runtime-api.js';
