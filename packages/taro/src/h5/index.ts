/**
 * The module `@tarojs/taro` points to on H5 builds with `@openrun/taro`: Taro's H5 API library, re-exported, with
 * OpenRun's login, checkSession, authorize, getSetting, openSetting, getWeRunData, getQQRunData and cloud in place of
 * its stubs, as named exports (what Taro's compiler turns `Taro.x` into) and on the default object (what libraries
 * that are not compiled, and `Taro.cloud`, use). It imports the real library by its package path, so there is no
 * alias loop, and uses one of its named exports, so a bundler that trusts its `sideEffects: false` keeps it.
 * @see research/TARO-H5.md §1.1, §1.3
 */
import Taro, { canIUse } from '@tarojs/plugin-platform-h5/dist/runtime/apis/index.js';
import { createOpenRunTaroApis } from '../taro-apis.js';
import { readBuildConfig } from './build-config.js';
import { requestedUser, resolveBrowserUser, UnknownUserError, type BrowserUser } from './browser-user.js';
import { mountDevOverlay, showNotice } from './dev-overlay.js';

export * from '@tarojs/plugin-platform-h5/dist/runtime/apis/index.js';

let holder: Promise<BrowserUser> | undefined;

/** Who holds the device in this tab, resolved once per page load; shows the overlay or the unknown-user notice. */
function browserUser(): Promise<BrowserUser> {
  holder ??= (async () => {
    const config = readBuildConfig();
    const surroundings = {
      location: window.location,
      sessionStorage: safeStorage(() => window.sessionStorage),
      localStorage: safeStorage(() => window.localStorage),
      fetch: (input: RequestInfo | URL, init?: RequestInit) => window.fetch(input, init),
    };
    try {
      const user = await resolveBrowserUser(config, surroundings);
      if (config.overlay) whenBodyReady(() => mountDevOverlay(document, user, config.appid));
      return user;
    } catch (error) {
      if (error instanceof UnknownUserError) whenBodyReady(() => showNotice(document, error.message));
      throw error;
    }
  })();
  return holder;
}

const apis = createOpenRunTaroApis(async () => {
  const config = readBuildConfig();
  const { deviceToken } = await browserUser();
  return { baseUrl: config.baseUrl, appid: config.appid, deviceToken };
});

export const { login, checkSession, authorize, getSetting, openSetting, getWeRunData, getQQRunData, cloud } = apis;

// canIUse is used here, at run time, on purpose: the library is marked side-effect-free, and a bundler keeps its file
// (with the React hooks Taro's React plugin appends to it) only when something defined there is used. The app's own
// `Taro.canIUse('literal')` calls are compiled away, so they do not count.
Object.assign(Taro, { login, checkSession, authorize, getSetting, openSetting, getWeRunData, getQQRunData, cloud, canIUse });

// Show the overlay (and check ?openrun_user=) as the page loads, not only at the first API call.
if (typeof window !== 'undefined' && typeof document !== 'undefined') {
  setTimeout(() => {
    try {
      if (readBuildConfig().overlay || requestedUser(window.location) !== undefined) {
        browserUser().catch(() => undefined);
      }
    } catch {
      // not built through the plugin: the first API call reports it
    }
  }, 0);
}

export { canIUse };
export default Taro;

function safeStorage(get: () => Storage): Storage | undefined {
  try {
    return get();
  } catch {
    return undefined;
  }
}

function whenBodyReady(run: () => void): void {
  if (document.body) run();
  else document.addEventListener('DOMContentLoaded', run, { once: true });
}
