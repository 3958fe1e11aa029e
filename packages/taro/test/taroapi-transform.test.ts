/**
 * Taro's real H5 compile step on a sample page: babel-plugin-transform-taroapi 4.2.1 turns `Taro.getWeRunData` into
 * a named import of `@tarojs/taro`, leaves `Taro.cloud` on the default import and replaces a literal canIUse; then
 * the compiled page links against the override module (esbuild fails on a named import nobody exports).
 */
import { expect, it } from 'vitest';
import { OPENRUN_TARO_API_NAMES } from '../src/taro-apis.js';
import { bundleTaroPage, compileTaroPage, fixture } from './helpers/compile-taro-page.js';

it('Taro.<api> calls become named imports of @tarojs/taro, Taro.cloud stays on the default, canIUse is decided at build time', async () => {
  const code = await compileTaroPage(fixture('step-page.js'));
  const imported = /import Taro, \{([^}]*)\} from ['"]@tarojs\/taro['"]/.exec(code)?.[1] ?? '';
  for (const name of [...OPENRUN_TARO_API_NAMES.filter((n) => n !== 'cloud'), 'showToast']) {
    expect(imported).toMatch(new RegExp(`\\b${name} as _${name}\\b`));
  }
  expect(code).toContain('Taro.cloud.callFunction');
  expect(code).toContain('Taro.cloud.CloudID');
  expect(code).toMatch(/canUseWeRun = true/);
});

it('the compiled page links against the override module', async () => {
  const code = await compileTaroPage(fixture('step-page.js'));
  const js = await bundleTaroPage(code);
  expect(js).toContain('暂时不支持 API'); // the stand-in library is linked in, for the APIs OpenRun leaves alone
  expect(js).toContain('/openrun/runtime/v1'); // and OpenRun's client is there for the others
});
