/**
 * `connect()`: the entry point. Binds a `wx`- or `qq`-shaped object to one OpenRun platform, one app and one user's
 * device token. The app's platform is read from the appid format (WeChat `wx` + 16 hex, QQ 10 digits).
 * @see ARCHITECTURE.md §4
 */
import { QQ_APPID_PATTERN, WECHAT_APPID_PATTERN, type MiniProgramPlatform } from '@openrun/core';
import type { AuthSetting } from './api-types.js';
import { defaultPromptHandler, type PromptHandler } from './authorization-prompt.js';
import { createApiContext } from './internal/api-context.js';
import { createFetchTransport } from './internal/fetch-transport.js';
import { withPrompts } from './internal/prompt-flow.js';
import { createRuntimeClient } from './internal/runtime-client.js';
import type { RuntimeTransport } from './internal/transport.js';
import { createWxRequestTransport } from './internal/wx-request-transport.js';
import { createQqApi, type QqApi } from './qq-api.js';
import { createWxApi, type WxApi } from './wx-api.js';

/**
 * Default deadline of every call, in milliseconds (the base library's network default).
 * @example connect({ ...options, timeout: DEFAULT_TIMEOUT_MS / 10 })
 * @see PROTOCOL.md §2 (`timeout`)
 */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** The subset of `fetch` the client needs; inject one to observe or fake requests. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** What the client passes to `wx.request` (a subset of the base library's `RequestOption`). */
export interface WxRequestOption {
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  header: Record<string, string>;
  /** JSON text of the body; absent for GET. */
  data?: string;
  /** Always `'text'`: the client parses the reply itself, and copes with a `wx.request` that parsed it already. */
  dataType: string;
  responseType: 'text';
  /** The call's deadline in ms; `request:fail timeout` becomes `<api>:fail timeout`. */
  timeout: number;
  success(result: WxRequestSuccessResult): void;
  fail(error: { errMsg: string }): void;
}

/** The part of `wx.request`'s success result the client reads. */
export interface WxRequestSuccessResult {
  statusCode: number;
  /** The body: text, or the JSON value when `wx.request` parsed it. */
  data: unknown;
}

/** The part of `wx.request`'s RequestTask the client uses: aborted at the deadline. */
export interface WxRequestTask {
  abort(): void;
}

/** A function shaped like `wx.request` (the base library's, or one a test implements). */
export type WxRequestLike = (option: WxRequestOption) => WxRequestTask | void;

/**
 * How the client reaches the platform: `'fetch'` (default), `'wx.request'` (the global `wx.request`, looked up at each
 * call, for a real mini-program runtime without `fetch`), or a function shaped like `wx.request`.
 */
export type TransportOption = 'fetch' | 'wx.request' | WxRequestLike;

/** Where and as whom a `wx` / `qq` object talks, and the defaults chosen where real behaviour is unknown. */
export interface ConnectOptions {
  /** The OpenRun platform, e.g. `http://127.0.0.1:9527`. */
  baseUrl: string;
  /** The mini program's appid (from the control API). */
  appid: string;
  /** The user's device token (from the control API): who is holding the phone. */
  deviceToken: string;
  /** The emulated base library, e.g. `2.6.0`; unset means the newest. Gates `cloudID` (≥ 2.7.0) and Promise style (≥ 2.10.2). */
  baseLibVersion?: string;
  /** Overrides the platform read from the appid format; must agree with it when the appid has a known format. */
  platform?: MiniProgramPlatform;
  /** Default per-call deadline in ms; a call's own `timeout` option wins. Default 60 000. */
  timeout?: number;
  /** The `fetch` to use with the fetch transport (default: `globalThis.fetch` at call time). */
  fetch?: FetchLike;
  /** `'fetch'` (default), `'wx.request'` (the global one), or a function shaped like `wx.request`. */
  transport?: TransportOption;
  /**
   * Whether `getWeRunData()` without callbacks returns a Promise. The typings and Taro say yes, the current doc says
   * Promise style is unsupported (PROTOCOL.md §17.3). Default `true`; `false` returns `undefined`.
   */
  weRunPromise?: boolean;
  /** Plays the user on the `openSetting` page: gets the current grants, returns the toggled ones. Default: no change. */
  onOpenSetting?: (authSetting: AuthSetting) => AuthSetting | Promise<AuthSetting>;
  /**
   * Plays the user in the consent dialog of a user whose `promptAnswer` is `ask`; the answer is remembered as the grant.
   * Default: the in-page authorization sheet where there is a `document`, else `'accept'`.
   */
  onPrompt?: PromptHandler;
  /** Receives an exception thrown by a `success` / `fail` / `complete` callback. Default: rethrown asynchronously, like an uncaught app error. */
  onCallbackError?: (error: unknown, api: string) => void;
}

/**
 * Returns a `wx`-shaped object for a WeChat appid or a `qq`-shaped one for a QQ appid.
 * @example const wx = connect({ baseUrl, appid: 'wx0123456789abcdef', deviceToken, platform: 'weapp' })
 * @see ARCHITECTURE.md §4
 */
export function connect(options: ConnectOptions & { platform: 'weapp' }): WxApi;
export function connect(options: ConnectOptions & { platform: 'qq' }): QqApi;
export function connect(options: ConnectOptions): WxApi | QqApi;
export function connect(options: ConnectOptions): WxApi | QqApi {
  for (const key of ['baseUrl', 'appid', 'deviceToken'] as const) {
    if (typeof options?.[key] !== 'string' || options[key] === '') {
      throw new TypeError(`[openrun] connect() needs options.${key} as a non-empty string (get it from the control API).`);
    }
  }
  const platform = resolvePlatform(options.appid, options.platform);
  if (options.baseLibVersion !== undefined && !/^\d+(\.\d+){0,3}$/.test(String(options.baseLibVersion))) {
    throw new TypeError(`[openrun] connect(): baseLibVersion must look like '2.10.2', got '${String(options.baseLibVersion)}'.`);
  }
  if (options.timeout !== undefined && !(typeof options.timeout === 'number' && options.timeout > 0 && Number.isFinite(options.timeout))) {
    throw new TypeError(`[openrun] connect(): timeout must be a positive number of milliseconds, got ${String(options.timeout)}.`);
  }
  if (options.onPrompt !== undefined && typeof options.onPrompt !== 'function') {
    throw new TypeError(`[openrun] connect(): onPrompt must be a function returning 'accept' or 'deny', got ${typeof options.onPrompt}.`);
  }
  const runtime = withPrompts(
    createRuntimeClient({
      baseUrl: options.baseUrl,
      appid: options.appid,
      deviceToken: options.deviceToken,
      transport: resolveTransport(options),
    }),
    options.onPrompt ?? defaultPromptHandler,
  );
  const ctx = createApiContext(runtime, {
    baseLibVersion: options.baseLibVersion,
    timeout: options.timeout ?? DEFAULT_TIMEOUT_MS,
    weRunPromise: options.weRunPromise ?? true,
    onOpenSetting: options.onOpenSetting,
    onCallbackError: options.onCallbackError ?? rethrowLater,
  });
  return platform === 'qq' ? createQqApi(ctx) : createWxApi(ctx);
}

/**
 * The platform an appid belongs to, or undefined when its format is neither WeChat's nor QQ's.
 * @example platformOfAppid('wx0123456789abcdef') // 'weapp'
 * @see ARCHITECTURE.md §3.1
 */
export function platformOfAppid(appid: string): MiniProgramPlatform | undefined {
  if (WECHAT_APPID_PATTERN.test(appid)) return 'weapp';
  if (QQ_APPID_PATTERN.test(appid)) return 'qq';
  return undefined;
}

function resolvePlatform(appid: string, requested: MiniProgramPlatform | undefined): MiniProgramPlatform {
  const detected = platformOfAppid(appid);
  if (requested !== undefined && requested !== 'weapp' && requested !== 'qq') {
    throw new TypeError(`[openrun] connect(): platform must be 'weapp' or 'qq', got '${String(requested)}'.`);
  }
  if (detected && requested && detected !== requested) {
    throw new TypeError(`[openrun] connect(): appid ${appid} is a ${detected} appid but platform '${requested}' was given.`);
  }
  const platform = requested ?? detected;
  if (!platform) {
    throw new TypeError(
      `[openrun] connect(): cannot tell the platform of appid '${appid}' (WeChat: wx + 16 hex, QQ: 10 digits); pass options.platform.`,
    );
  }
  return platform;
}

function resolveTransport(options: ConnectOptions): RuntimeTransport {
  const transport = options.transport ?? 'fetch';
  if (transport !== 'fetch' && options.fetch !== undefined) {
    throw new TypeError('[openrun] connect(): options.fetch is only used by the fetch transport; drop it or drop options.transport.');
  }
  if (transport === 'fetch') {
    if (options.fetch === undefined && typeof globalThis.fetch !== 'function') {
      throw new TypeError(
        "[openrun] connect(): this runtime has no global fetch; pass options.fetch, or transport: 'wx.request' inside a mini-program runtime.",
      );
    }
    return createFetchTransport(options.fetch);
  }
  if (transport === 'wx.request') return createWxRequestTransport(undefined);
  if (typeof transport === 'function') return createWxRequestTransport(transport);
  throw new TypeError(
    `[openrun] connect(): transport must be 'fetch', 'wx.request' or a function shaped like wx.request, got ${typeof transport === 'string' ? `'${transport}'` : typeof transport}.`,
  );
}

/** Default callback-error handler: surfaces the error as an uncaught exception without breaking the call. */
function rethrowLater(error: unknown): void {
  setTimeout(() => {
    throw error;
  }, 0);
}
