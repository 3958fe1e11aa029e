/**
 * The APIs WeChat's `wx` and QQ's `qq` share: login, checkSession, authorize, getSetting, openSetting.
 * @see PROTOCOL.md §2–4
 */
import { failErrMsg, okErrMsg } from '@openrun/core';
import type {
  AsyncReturn,
  AuthorizeOption,
  AuthSetting,
  CallbackResult,
  CheckSessionOption,
  GetSettingOption,
  LoginOption,
  LoginResult,
  OpenSettingOption,
  SettingResult,
} from './api-types.js';
import { ApiCallError, expectParameter, isRecord, typeTag } from './internal/api-call-error.js';
import { replyString, type ApiContext } from './internal/api-context.js';
import { promised } from './internal/promised.js';

/** The account and authorization APIs of a `wx` or `qq` object. */
export interface MiniProgramApi {
  /**
   * Gets a single-use login code for `jscode2session` (may rotate the session_key).
   * @example const { code } = await wx.login()
   * @see PROTOCOL.md §2
   */
  login<T extends LoginOption = LoginOption>(option?: T): AsyncReturn<T, LoginResult>;
  /**
   * Succeeds while the session_key of the latest login is current; fails with the -13001 text after a rotation.
   * @example wx.checkSession({ fail: () => wx.login() })
   * @see PROTOCOL.md §3
   */
  checkSession<T extends CheckSessionOption = CheckSessionOption>(option?: T): AsyncReturn<T, CallbackResult>;
  /**
   * Asks for a scope in advance: `authorize:ok`, `authorize:fail auth deny`, or the -12006 text if refused earlier.
   * @example await wx.authorize({ scope: 'scope.werun' })
   * @see PROTOCOL.md §4
   */
  authorize<T extends AuthorizeOption = AuthorizeOption>(option: T): AsyncReturn<T, CallbackResult>;
  /**
   * Reads the scopes asked so far: `true` granted, `false` refused, absent never asked.
   * @example const { authSetting } = await wx.getSetting()
   * @see PROTOCOL.md §4.1
   */
  getSetting<T extends GetSettingOption = GetSettingOption>(option?: T): AsyncReturn<T, SettingResult>;
  /**
   * Opens the settings page; the connection's `onOpenSetting` plays the user's toggles (default: none).
   * @example const { authSetting } = await wx.openSetting()
   * @see PROTOCOL.md §4.1
   */
  openSetting<T extends OpenSettingOption = OpenSettingOption>(option?: T): AsyncReturn<T, SettingResult>;
}

/** Builds the shared APIs over one connection. */
export function createMiniProgramApi(ctx: ApiContext): MiniProgramApi {
  return {
    login: (option) =>
      promised(
        ctx.invoke('login', option, async (_opts, timeout) => {
          const reply = await ctx.runtime.request({ api: 'login', method: 'POST', path: '/login', timeout });
          return { errMsg: okErrMsg('login'), code: replyString('login', reply, 'code') };
        }),
      ),
    checkSession: (option) =>
      promised(
        ctx.invoke('checkSession', option, async (_opts, timeout) => {
          await ctx.runtime.request({ api: 'checkSession', method: 'POST', path: '/check-session', timeout });
          return { errMsg: okErrMsg('checkSession') };
        }),
      ),
    authorize: (option) =>
      promised(
        ctx.invoke('authorize', option, async (opts, timeout) => {
          expectParameter('authorize', opts, 'scope', 'String', true);
          const body = JSON.stringify({ scope: opts.scope });
          await ctx.runtime.request({ api: 'authorize', method: 'POST', path: '/authorize', body, timeout });
          return { errMsg: okErrMsg('authorize') };
        }),
      ),
    getSetting: (option) =>
      promised(
        ctx.invoke('getSetting', option, async (_opts, timeout) => {
          const reply = await ctx.runtime.request({ api: 'getSetting', method: 'GET', path: '/setting', timeout });
          return settingResult('getSetting', reply);
        }),
      ),
    openSetting: (option) =>
      promised(
        ctx.invoke('openSetting', option, async (_opts, timeout) => {
          const api = 'openSetting';
          const current = settingResult(api, await ctx.runtime.request({ api, method: 'GET', path: '/setting', timeout }));
          const choose = ctx.settings.onOpenSetting;
          if (!choose) return current;
          const chosen: unknown = await choose({ ...current.authSetting });
          const authSetting = readAuthSetting(api, chosen, 'onOpenSetting returned');
          const body = JSON.stringify({ authSetting });
          return settingResult(api, await ctx.runtime.request({ api, method: 'PUT', path: '/setting', body, timeout }));
        }),
      ),
  };
}

function settingResult(api: string, reply: Record<string, unknown>): SettingResult {
  return {
    errMsg: okErrMsg(api),
    authSetting: readAuthSetting(api, reply.authSetting, 'invalid reply from OpenRun: authSetting'),
    subscriptionsSetting: { mainSwitch: true },
  };
}

function readAuthSetting(api: string, value: unknown, what: string): AuthSetting {
  if (!isRecord(value)) throw new ApiCallError(failErrMsg(api, `${what} should be Object instead of ${typeTag(value)}`));
  const authSetting: AuthSetting = {};
  for (const [scope, granted] of Object.entries(value)) {
    if (typeof granted !== 'boolean') {
      throw new ApiCallError(failErrMsg(api, `${what}['${scope}'] should be Boolean instead of ${typeTag(granted)}`));
    }
    authSetting[scope] = granted;
  }
  return authSetting;
}
