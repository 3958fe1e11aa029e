import { defineConfig, type UserConfigExport } from '@tarojs/cli';

// Where the H5 dev server sends `/api` (the backend, `npm run backend`); the built app is served by the backend itself.
const backendUrl = process.env.STEP_BACKEND_URL || 'http://127.0.0.1:3000';
// webpack5 by default; `TARO_COMPILER=vite` builds the same app with Vite.
const compiler = process.env.TARO_COMPILER === 'vite' ? 'vite' : 'webpack5';

export default defineConfig(async (merge) => {
  const baseConfig: UserConfigExport = {
    projectName: 'step-challenge',
    date: '2026-12-1',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: process.env.STEP_OUTPUT_ROOT || `dist/${process.env.TARO_ENV}-${compiler}`,
    // On H5 builds the OpenRun plugin puts OpenRun's login, getWeRunData, cloud… in place of Taro's stubs. Its options
    // come from OPENRUN_URL, OPENRUN_APPID and OPENRUN_DEVICE_TOKEN (see README); weapp builds are left alone.
    plugins: ['@openrun/taro'],
    // Mini-program builds need the backend's absolute URL; H5 builds call /api on the origin that serves them.
    defineConstants: { BACKEND_URL: JSON.stringify(process.env.TARO_APP_BACKEND_URL || '') },
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler,
    cache: { enable: false },
    mini: {
      postcss: { pxtransform: { enable: true, config: {} } },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: compiler === 'webpack5' ? { filename: 'js/[name].[hash:8].js', chunkFilename: 'js/[name].[chunkhash:8].js' } : undefined,
      miniCssExtractPluginOption: { ignoreOrder: true, filename: 'css/[name].[hash].css', chunkFilename: 'css/[name].[chunkhash].css' },
      postcss: { autoprefixer: { enable: true, config: {} } },
      devServer: { port: Number(process.env.STEP_DEV_PORT || 10086), proxy: { '/api': { target: backendUrl, changeOrigin: true } } },
    },
  };
  if (process.env.NODE_ENV === 'development') return merge({}, baseConfig, { mini: {}, h5: {} });
  return merge({}, baseConfig, { mini: {}, h5: { enableSourceMap: false } });
});
