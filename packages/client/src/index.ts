/**
 * `@openrun/client`: `wx`- and `qq`-shaped mini-program APIs (login, checkSession, authorize, getSetting,
 * openSetting, getWeRunData, getQQRunData, cloud) that run in browsers, Node and tests against OpenRun.
 * Uses only web-standard APIs (`fetch`, `AbortController`, `setTimeout`), or only `wx.request` and `setTimeout` with
 * `transport: 'wx.request'`. Test helpers: `@openrun/client/testing`.
 */
export { connect, DEFAULT_TIMEOUT_MS, platformOfAppid } from './connect.js';
export type {
  ConnectOptions,
  FetchLike,
  TransportOption,
  WxRequestLike,
  WxRequestOption,
  WxRequestSuccessResult,
  WxRequestTask,
} from './connect.js';

export { showAuthorizationSheet, scopeDescription } from './authorization-sheet.js';
export type { AuthorizationAnswer, AuthorizationPrompt, PromptHandler } from './authorization-prompt.js';

export type { WxApi } from './wx-api.js';
export type { QqApi } from './qq-api.js';
export type { MiniProgramApi } from './mini-program-api.js';

export { CloudID, CloudIdObject } from './cloud-id.js';
export type { CloudIDConstructor } from './cloud-id.js';
export { CallFunctionError } from './call-function-error.js';
export type { CallFunctionOption, CallFunctionResult, CloudInitOption, WxCloud } from './wx-cloud.js';

export type {
  AsyncReturn,
  AuthorizeOption,
  AuthSetting,
  CallbackOptions,
  CallbackResult,
  CheckSessionOption,
  GetQQRunDataOption,
  GetSettingOption,
  GetWeRunDataOption,
  LoginOption,
  LoginResult,
  OpenSettingOption,
  QQRunDataResult,
  SettingResult,
  SubscriptionsSetting,
  WeRunDataResult,
} from './api-types.js';
