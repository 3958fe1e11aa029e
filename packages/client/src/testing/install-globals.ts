/**
 * `installGlobals()`: gives the vitest/jest suite of a mini-program codebase OpenRun's `wx` and/or `qq` APIs, and
 * takes them off again. By default it overlays OpenRun's APIs onto the `wx`/`qq` the suite already has (its own mock,
 * miniprogram-simulate's), so `wx.showLoading`, `wx.request` and the rest stay what they were; `replace: true` puts
 * OpenRun's object in place of the whole global. Nothing is installed on import (STYLE.md P5).
 */
import { connect, type ConnectOptions } from '../connect.js';
import type { QqApi } from '../qq-api.js';
import type { WxApi } from '../wx-api.js';

/** What to install: a ready `wx`/`qq` object from `connect()`, or the options to connect one. */
export interface InstallGlobalsOptions {
  /** The `wx` global: an object from `connect()` or its options (the platform is forced to `weapp`). */
  wx?: WxApi | Omit<ConnectOptions, 'platform'>;
  /** The `qq` global: an object from `connect()` or its options (the platform is forced to `qq`). */
  qq?: QqApi | Omit<ConnectOptions, 'platform'>;
  /**
   * `false` (default): add OpenRun's APIs ({@link OVERLAID_APIS}) onto an existing `wx`/`qq` object, keeping its other
   * members; with no existing object, OpenRun's becomes the global. `true`: OpenRun's object replaces the global.
   */
  replace?: boolean;
}

/** The installed globals and the way to remove them. */
export interface InstalledGlobals {
  /** What `globalThis.wx` now is: the overlaid existing object, or OpenRun's own. */
  wx: WxApi | undefined;
  /** What `globalThis.qq` now is: the overlaid existing object, or OpenRun's own. */
  qq: QqApi | undefined;
  /** Restores `globalThis.wx` / `globalThis.qq` to what they were before (same as `uninstallGlobals()`). */
  uninstall(): void;
}

type GlobalName = 'wx' | 'qq';

/**
 * The members OpenRun puts onto an existing `wx` / `qq` when overlaying.
 * @example OVERLAID_APIS.wx.includes('getWeRunData') // true
 */
export const OVERLAID_APIS: Readonly<Record<GlobalName, readonly string[]>> = Object.freeze({
  wx: Object.freeze(['login', 'checkSession', 'authorize', 'getSetting', 'openSetting', 'getWeRunData', 'cloud']),
  qq: Object.freeze(['login', 'checkSession', 'authorize', 'getSetting', 'openSetting', 'getQQRunData']),
});

/** How to undo one global: put the global's own descriptor back, or put back each overlaid member's. */
type Undo =
  | { kind: 'global'; name: GlobalName; before: PropertyDescriptor | undefined }
  | { kind: 'members'; target: object; before: Map<string, PropertyDescriptor | undefined> };

let installed: Undo[] | undefined;

/**
 * Overlays (default) or replaces `wx` / `qq` on `globalThis`; a second install first undoes the previous one.
 * @example const { uninstall } = installGlobals({ wx: { baseUrl, appid, deviceToken } }); afterEach(uninstall)
 * @example installGlobals({ wx: connect({ ... }), replace: true }) // the whole global is OpenRun's object
 * @see ARCHITECTURE.md §4
 */
export function installGlobals(options: InstallGlobalsOptions): InstalledGlobals {
  if (options === null || typeof options !== 'object' || (options.wx === undefined && options.qq === undefined)) {
    throw new TypeError('[openrun] installGlobals() needs { wx } and/or { qq }: an object from connect() or its options.');
  }
  if (options.replace !== undefined && typeof options.replace !== 'boolean') {
    throw new TypeError(`[openrun] installGlobals(): replace must be true or false, got ${String(options.replace)}.`);
  }
  const wx = options.wx === undefined ? undefined : isApi(options.wx) ? options.wx : connect({ ...options.wx, platform: 'weapp' });
  const qq = options.qq === undefined ? undefined : isApi(options.qq) ? options.qq : connect({ ...options.qq, platform: 'qq' });
  uninstallGlobals();
  const replace = options.replace === true;
  const scope = globalThis as Record<string, unknown>;
  // Both globals are checked before either changes, so a refused install leaves them as the undone one left them.
  const targets = { wx: wx && overlayTarget(scope, 'wx', replace), qq: qq && overlayTarget(scope, 'qq', replace) };
  const undo: Undo[] = [];
  const results: { wx?: unknown; qq?: unknown } = {};
  for (const [name, api] of [['wx', wx], ['qq', qq]] as const) {
    if (!api) continue;
    const target = targets[name];
    if (target) {
      undo.push(overlay(target, api, OVERLAID_APIS[name]));
      results[name] = target;
    } else {
      undo.push({ kind: 'global', name, before: Object.getOwnPropertyDescriptor(scope, name) });
      Object.defineProperty(scope, name, { value: api, configurable: true, writable: true, enumerable: false });
      results[name] = api;
    }
  }
  installed = undo;
  return { wx: results.wx as WxApi | undefined, qq: results.qq as QqApi | undefined, uninstall: uninstallGlobals };
}

/**
 * Undoes `installGlobals()`: overlaid members get back their original values (the same functions) or are removed if
 * OpenRun added them, replaced globals get back what was there; does nothing if nothing is installed.
 * @example afterEach(() => uninstallGlobals())
 * @see ARCHITECTURE.md §4
 */
export function uninstallGlobals(): void {
  if (!installed) return;
  const scope = globalThis as Record<string, unknown>;
  for (const undo of installed.reverse()) {
    if (undo.kind === 'global') restore(scope, undo.name, undo.before);
    else for (const [key, before] of undo.before) restore(undo.target as Record<string, unknown>, key, before);
  }
  installed = undefined;
}

/** The existing global to overlay, or undefined when the global is to be (re)placed; throws if it cannot be overlaid. */
function overlayTarget(scope: Record<string, unknown>, name: GlobalName, replace: boolean): object | undefined {
  if (replace) return undefined;
  const current = scope[name];
  if (current === undefined || current === null) return undefined;
  if (typeof current !== 'object' && typeof current !== 'function') {
    throw new TypeError(`[openrun] installGlobals(): globalThis.${name} is a ${typeof current}, not an object to add OpenRun's APIs to; pass replace: true to replace it.`);
  }
  const blocked = OVERLAID_APIS[name].filter((key) => !canDefine(current, key));
  if (blocked.length > 0) {
    throw new TypeError(
      `[openrun] installGlobals(): cannot add ${blocked.join(', ')} to globalThis.${name} (frozen or read-only); pass replace: true to replace it.`,
    );
  }
  return current;
}

function canDefine(target: object, key: string): boolean {
  const own = Object.getOwnPropertyDescriptor(target, key);
  return own ? own.configurable === true : Object.isExtensible(target);
}

function overlay(target: object, api: WxApi | QqApi, keys: readonly string[]): Undo {
  const before = new Map<string, PropertyDescriptor | undefined>();
  for (const key of keys) {
    before.set(key, Object.getOwnPropertyDescriptor(target, key));
    Object.defineProperty(target, key, { value: (api as unknown as Record<string, unknown>)[key], configurable: true, writable: true, enumerable: true });
  }
  return { kind: 'members', target, before };
}

function restore(target: Record<string, unknown>, key: string, before: PropertyDescriptor | undefined): void {
  if (before) Object.defineProperty(target, key, before);
  else delete target[key];
}

function isApi<T extends WxApi | QqApi>(value: T | Omit<ConnectOptions, 'platform'>): value is T {
  return typeof (value as { login?: unknown }).login === 'function';
}
