/**
 * The option and result shapes of the `wx` / `qq` APIs that `@openrun/client` implements, kept assignable to
 * `miniprogram-api-typings` and `@tarojs/taro` (the type-level test in `test/types/` proves it).
 * @see PROTOCOL.md §2–5, §11.6, §16
 */

/** The result every API call carries: `"<api>:ok"` or `"<api>:fail…"`. @see PROTOCOL.md §16 */
export interface CallbackResult {
  errMsg: string;
}

/** The `success` / `fail` / `complete` callbacks (and the OpenRun-wide `timeout`) every API accepts. */
export interface CallbackOptions<Success, Failure = CallbackResult> {
  /** Called with the result when the call succeeds, before `complete`. */
  success?: (res: Success) => void;
  /** Called with `{errMsg}` when the call fails, before `complete`. */
  fail?: (res: Failure) => void;
  /** Called last, whatever the outcome. */
  complete?: (res: Success | Failure) => void;
  /** Milliseconds before the call fails with `<api>:fail timeout` (default: the connection's `timeout`). */
  timeout?: number;
}

/**
 * What a call returns: nothing when a callback was passed (the callback style), else a Promise of the success result
 * that rejects with the failure result (the Promise style, base library ≥ 2.10.2). @see PROTOCOL.md §16
 */
export type AsyncReturn<Option, Success> = Option extends { success: unknown }
  ? void
  : Option extends { fail: unknown }
    ? void
    : Option extends { complete: unknown }
      ? void
      : Promise<Success>;

/** Scope grants: `true` granted, `false` refused, absent when never asked. @see PROTOCOL.md §4.1 */
export interface AuthSetting {
  'scope.werun'?: boolean;
  'scope.qqrun'?: boolean;
  [scope: string]: boolean | undefined;
}

/** Subscription-message settings; OpenRun always reports the main switch on and no items. */
export interface SubscriptionsSetting {
  mainSwitch: boolean;
  itemSettings?: Record<string, string>;
}

/** `login` options. */
export type LoginOption = CallbackOptions<LoginResult>;

/** `login` success: a single-use code for `jscode2session`, valid 5 minutes. @see PROTOCOL.md §2 */
export interface LoginResult extends CallbackResult {
  code: string;
}

/** `checkSession` options. */
export type CheckSessionOption = CallbackOptions<CallbackResult>;

/** `authorize` options. */
export interface AuthorizeOption extends CallbackOptions<CallbackResult> {
  /** The scope to ask for, e.g. `scope.werun`. */
  scope: string;
}

/** `getSetting` options. */
export interface GetSettingOption extends CallbackOptions<SettingResult> {
  /** Accepted for compatibility; OpenRun always reports `subscriptionsSetting` as `{mainSwitch: true}`. */
  withSubscriptions?: boolean;
}

/** `openSetting` options. */
export type OpenSettingOption = GetSettingOption;

/** `getSetting` / `openSetting` success. */
export interface SettingResult extends CallbackResult {
  authSetting: AuthSetting;
  subscriptionsSetting: SubscriptionsSetting;
}

/** `getWeRunData` options (no parameters besides the callbacks). */
export type GetWeRunDataOption = CallbackOptions<WeRunDataResult>;

/**
 * `getWeRunData` success. `cloudID` is typed as present, as in `miniprogram-api-typings`, but like the real API it is
 * absent unless the app has cloud development on and the base library is ≥ 2.7.0. @see PROTOCOL.md §5.1
 */
export interface WeRunDataResult extends CallbackResult {
  encryptedData: string;
  iv: string;
  cloudID: string;
}

/** `getQQRunData` options. */
export type GetQQRunDataOption = CallbackOptions<QQRunDataResult>;

/** `getQQRunData` success (QQ returns no cloudID). @see PROTOCOL.md §5.3 */
export interface QQRunDataResult extends CallbackResult {
  encryptedData: string;
  iv: string;
}
