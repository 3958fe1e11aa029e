/**
 * The options the plugin passed at build time, as `__OPENRUN_TARO__` (webpack `DefinePlugin`, vite `define`; in the
 * vite dev server a global). Read at call time, never at import, so module order cannot matter.
 */
import type { OpenRunTaroBuildConfig } from '../plugin-config.js';

declare const __OPENRUN_TARO__: OpenRunTaroBuildConfig | undefined;

/** The build-time options, or an Error saying the page was not built through the plugin. */
export function readBuildConfig(): OpenRunTaroBuildConfig {
  const config = typeof __OPENRUN_TARO__ === 'undefined' ? undefined : __OPENRUN_TARO__;
  if (!config || typeof config.baseUrl !== 'string') {
    throw new Error(
      "[openrun] @openrun/taro's H5 module was loaded without its build options: add ['@openrun/taro', { baseUrl, appid, deviceToken }] to plugins in the Taro config",
    );
  }
  return config;
}
