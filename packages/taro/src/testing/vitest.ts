/**
 * `@openrun/taro/vitest`: what `@tarojs/taro` resolves to in a Taro app's Vitest tests
 * (`resolve.alias: { '@tarojs/taro': '@openrun/taro/vitest' }`): Taro's H5 APIs with OpenRun's in place of the stubs.
 * Who the calls act for: `configureOpenRunTaro({ baseUrl, appid, deviceToken })`, else `OPENRUN_URL`,
 * `OPENRUN_APPID`, `OPENRUN_DEVICE_TOKEN`.
 */
import * as TaroH5 from '@tarojs/taro-h5';
import { createTestEntry } from './test-entry.js';

export type { OpenRunTaroTestOptions } from './test-connection.js';
export type { OpenRunTaroApis, OpenRunTaroCloud } from '../taro-apis.js';

const entry = createTestEntry(TaroH5 as unknown as Record<string, unknown>, () => process.env);

export * from '@tarojs/taro-h5';
export const { login, checkSession, authorize, getSetting, openSetting, getWeRunData, getQQRunData, cloud } = entry.apis;
/** Points the `Taro.*` calls at a platform, app and user (merged over earlier calls and the env vars). */
export const configureOpenRunTaro = entry.configureOpenRunTaro;
/** Forgets what `configureOpenRunTaro` set: the env vars decide again. */
export const resetOpenRunTaro = entry.resetOpenRunTaro;
export default entry.taro;
