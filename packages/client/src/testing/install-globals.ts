/**
 * `installGlobals()`: puts `wx` and/or `qq` on `globalThis` for the vitest/jest suite of a mini-program codebase, and
 * takes them off again. Nothing is installed on import (STYLE.md P5).
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
}

/** The installed globals and the way to remove them. */
export interface InstalledGlobals {
  wx: WxApi | undefined;
  qq: QqApi | undefined;
  /** Restores `globalThis.wx` / `globalThis.qq` to what they were before (same as `uninstallGlobals()`). */
  uninstall(): void;
}

type GlobalName = 'wx' | 'qq';
type Saved = Record<GlobalName, PropertyDescriptor | undefined>;

let saved: Saved | undefined;

/**
 * Installs `wx` / `qq` on `globalThis`; a second install first undoes the previous one.
 * @example const { uninstall } = installGlobals({ wx: { baseUrl, appid, deviceToken } }); afterEach(uninstall)
 * @see ARCHITECTURE.md §4
 */
export function installGlobals(options: InstallGlobalsOptions): InstalledGlobals {
  if (options === null || typeof options !== 'object' || (options.wx === undefined && options.qq === undefined)) {
    throw new TypeError('[openrun] installGlobals() needs { wx } and/or { qq }: an object from connect() or its options.');
  }
  const wx = options.wx === undefined ? undefined : isApi(options.wx) ? options.wx : connect({ ...options.wx, platform: 'weapp' });
  const qq = options.qq === undefined ? undefined : isApi(options.qq) ? options.qq : connect({ ...options.qq, platform: 'qq' });
  uninstallGlobals();
  const scope = globalThis as Record<string, unknown>;
  saved = {
    wx: Object.getOwnPropertyDescriptor(scope, 'wx'),
    qq: Object.getOwnPropertyDescriptor(scope, 'qq'),
  };
  if (wx) Object.defineProperty(scope, 'wx', { value: wx, configurable: true, writable: true, enumerable: false });
  if (qq) Object.defineProperty(scope, 'qq', { value: qq, configurable: true, writable: true, enumerable: false });
  return { wx, qq, uninstall: uninstallGlobals };
}

/**
 * Removes what `installGlobals()` put on `globalThis` and restores earlier values; does nothing if nothing is installed.
 * @example afterEach(() => uninstallGlobals())
 * @see ARCHITECTURE.md §4
 */
export function uninstallGlobals(): void {
  if (!saved) return;
  const scope = globalThis as Record<string, unknown>;
  for (const name of ['wx', 'qq'] as const) {
    const before = saved[name];
    if (before) Object.defineProperty(scope, name, before);
    else delete scope[name];
  }
  saved = undefined;
}

function isApi<T extends WxApi | QqApi>(value: T | Omit<ConnectOptions, 'platform'>): value is T {
  return typeof (value as { login?: unknown }).login === 'function';
}
