/**
 * OpenRun's `login`, `checkSession`, `authorize`, `getSetting`, `openSetting`, `getWeRunData`, `getQQRunData` and
 * `cloud` (`init`, `CloudID`, `callFunction`) with Taro's calling convention, over `@openrun/client`, for whichever
 * user holds the device at the time of the call. Shared by the H5 override module and the Jest / Vitest entries.
 */
import {
  CloudID,
  connect,
  type AuthorizeOption,
  type CallbackResult,
  type CallFunctionOption,
  type CallFunctionResult,
  type CheckSessionOption,
  type CloudIDConstructor,
  type CloudInitOption,
  type ConnectOptions,
  type GetQQRunDataOption,
  type GetSettingOption,
  type GetWeRunDataOption,
  type LoginOption,
  type LoginResult,
  type OpenSettingOption,
  type QqApi,
  type QQRunDataResult,
  type SettingResult,
  type WeRunDataResult,
  type WxApi,
} from '@openrun/client';
import { taroCall } from './taro-call.js';

/** `Taro.cloud` as OpenRun provides it. */
export interface OpenRunTaroCloud {
  /** Enables the cloud APIs (only the first call counts). */
  init(config?: CloudInitOption): void;
  /** Wraps a cloudID so callFunction replaces it with open data. */
  CloudID: CloudIDConstructor;
  /** Calls a cloud function on the platform's runner. */
  callFunction(option: CallFunctionOption): Promise<CallFunctionResult>;
}

/** The APIs `@openrun/taro` puts in place of Taro's H5 stubs; each returns a Promise and calls the callbacks. */
export interface OpenRunTaroApis {
  login(option?: LoginOption): Promise<LoginResult>;
  checkSession(option?: CheckSessionOption): Promise<CallbackResult>;
  authorize(option: AuthorizeOption): Promise<CallbackResult>;
  getSetting(option?: GetSettingOption): Promise<SettingResult>;
  openSetting(option?: OpenSettingOption): Promise<SettingResult>;
  getWeRunData(option?: GetWeRunDataOption): Promise<WeRunDataResult>;
  getQQRunData(option?: GetQQRunDataOption): Promise<QQRunDataResult>;
  cloud: OpenRunTaroCloud;
}

/** The names of the replaced APIs, as they appear on `Taro`. */
export const OPENRUN_TARO_API_NAMES = [
  'login',
  'checkSession',
  'authorize',
  'getSetting',
  'openSetting',
  'getWeRunData',
  'getQQRunData',
  'cloud',
] as const satisfies readonly (keyof OpenRunTaroApis)[];

/** Where each call goes: the connection options of the user holding the device now (resolved per call). */
export type ConnectionSource = () => ConnectOptions | Promise<ConnectOptions>;

/** Builds the Taro-convention APIs over `source`; a connection is made once per (platform, app, device token). */
export function createOpenRunTaroApis(source: ConnectionSource): OpenRunTaroApis {
  const connections = new Map<string, WxApi | QqApi>();
  let cloudConfig: { value: CloudInitOption | undefined } | undefined;

  const current = async (): Promise<WxApi | QqApi> => {
    const options = await source();
    const key = JSON.stringify([options.baseUrl, options.appid, options.deviceToken, options.baseLibVersion ?? null]);
    let api = connections.get(key);
    if (!api) {
      api = connect(options);
      connections.set(key, api);
    }
    return api;
  };
  const wechat = async (api: string): Promise<WxApi> => {
    const client = await current();
    if (!('cloud' in client)) throw new Error(`this is a QQ app, and ${api} is WeChat's (use getQQRunData)`);
    return client;
  };
  const qq = async (api: string): Promise<QqApi> => {
    const client = await current();
    if (!('getQQRunData' in client)) throw new Error(`this is a WeChat app, and ${api} is QQ's (use getWeRunData)`);
    return client;
  };

  return {
    login: (option) => taroCall('login', option, async (rest) => (await current()).login(rest as LoginOption)),
    checkSession: (option) =>
      taroCall('checkSession', option, async (rest) => (await current()).checkSession(rest as CheckSessionOption)),
    authorize: (option) => taroCall('authorize', option, async (rest) => (await current()).authorize(rest as AuthorizeOption)),
    getSetting: (option) => taroCall('getSetting', option, async (rest) => (await current()).getSetting(rest as GetSettingOption)),
    openSetting: (option) => taroCall('openSetting', option, async (rest) => (await current()).openSetting(rest as OpenSettingOption)),
    getWeRunData: (option) =>
      taroCall('getWeRunData', option, async (rest) => (await wechat('getWeRunData')).getWeRunData(rest as GetWeRunDataOption)),
    getQQRunData: (option) =>
      taroCall('getQQRunData', option, async (rest) => (await qq('getQQRunData')).getQQRunData(rest as GetQQRunDataOption)),
    cloud: {
      init: (config) => {
        cloudConfig ??= { value: config };
      },
      CloudID,
      callFunction: (option) =>
        taroCall('cloud.callFunction', option, async (rest) => {
          const client = await wechat('cloud.callFunction');
          if (cloudConfig) client.cloud.init(cloudConfig.value);
          return client.cloud.callFunction(rest as CallFunctionOption);
        }),
    },
  };
}
