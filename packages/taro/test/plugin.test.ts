/**
 * The plugin with a recording fake of Taro's plugin context: what it registers (hooks with a stage after the H5
 * platform's), what its hooks do to a real webpack-chain config and to vite's config merge after the H5 platform's
 * own alias, and that weapp / qq builds are left alone. No Taro install needed.
 */
import { existsSync } from 'node:fs';
import { mergeConfig, type UserConfig } from 'vite';
import Config from 'webpack-chain';
import { afterEach, beforeEach, expect, it } from 'vitest';
import openRunTaro, {
  BUILD_CONFIG_GLOBAL,
  h5RuntimePath,
  type TaroHook,
  type TaroPluginContext,
  type ViteConfigHookArgs,
  type VitePluginLike,
  type WebpackChainHookArgs,
} from '../src/plugin.js';

const H5_API_LIBRARY = '/app/node_modules/@tarojs/plugin-platform-h5/dist/runtime/apis/index.js';
const OPTIONS = { baseUrl: 'http://127.0.0.1:9527/', appid: 'wx0123456789abcdef', deviceToken: 'dev-ann-0001' };
const ENV_KEYS = ['TARO_ENV', 'OPENRUN_URL', 'OPENRUN_APPID', 'OPENRUN_DEVICE_TOKEN'] as const;
let saved: Record<string, string | undefined>;

beforeEach(() => {
  saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) delete process.env[k];
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function recordingCtx(): TaroPluginContext & { hooks: TaroHook[] } {
  const hooks: TaroHook[] = [];
  return { hooks, register: (hook) => void hooks.push(hook), paths: { appPath: '/nonexistent-openrun-app' } };
}

function hook<N extends TaroHook['name']>(ctx: { hooks: TaroHook[] }, name: N): Extract<TaroHook, { name: N }> {
  const found = ctx.hooks.find((h) => h.name === name);
  if (!found) throw new Error(`no ${name} hook registered`);
  return found as Extract<TaroHook, { name: N }>;
}

/** What the H5 platform's own stage-0 hook does to the chain (taro-platform-h5 program.ts). */
function h5PlatformChain(mode: 'production' | 'development'): Config {
  const chain = new Config();
  chain.mode(mode);
  chain.resolve.alias.set('@tarojs/taro', H5_API_LIBRARY);
  chain.plugin('definePlugin').use(class DefinePlugin {}, [{ 'process.env.TARO_ENV': '"h5"' }] as never);
  return chain;
}

it.each(['weapp', 'qq', 'tt', undefined])('on TARO_ENV=%s it registers nothing and needs no options', (env) => {
  if (env) process.env.TARO_ENV = env;
  const ctx = recordingCtx();
  openRunTaro(ctx, {});
  expect(ctx.hooks).toEqual([]);
});

it('on h5 it registers a webpack and a vite hook, both with a stage after the H5 platform (stage 0)', () => {
  process.env.TARO_ENV = 'h5';
  const ctx = recordingCtx();
  openRunTaro(ctx, OPTIONS);
  expect(ctx.hooks.map((h) => h.name).sort()).toEqual(['modifyViteConfig', 'modifyWebpackChain']);
  for (const h of ctx.hooks) expect(h.stage).toBeGreaterThan(0);
});

it('webpack: after the H5 platform, @tarojs/taro points to the override shipped in the package and the options are defined', () => {
  process.env.TARO_ENV = 'h5';
  const ctx = recordingCtx();
  openRunTaro(ctx, OPTIONS);
  const chain = h5PlatformChain('development');
  hook(ctx, 'modifyWebpackChain').fn({ chain } as unknown as WebpackChainHookArgs);
  const config = chain.toConfig();
  const runtime = (config.resolve?.alias as Record<string, string>)['@tarojs/taro'];
  expect(runtime).toBe(h5RuntimePath());
  expect(runtime).toMatch(/packages[/\\]taro[/\\]dist[/\\]h5[/\\]index\.js$/);
  expect(existsSync(runtime!)).toBe(true);
  const defines = chain.plugin('definePlugin').get('args')[0] as Record<string, string>;
  expect(defines['process.env.TARO_ENV']).toBe('"h5"'); // the platform's own defines are kept
  expect(JSON.parse(defines[BUILD_CONFIG_GLOBAL]!)).toEqual({
    baseUrl: 'http://127.0.0.1:9527',
    appid: 'wx0123456789abcdef',
    deviceToken: 'dev-ann-0001',
    overlay: true,
  });
});

it('webpack: a production build has no overlay unless asked for', () => {
  process.env.TARO_ENV = 'h5';
  for (const [overlay, expected] of [[undefined, false], [true, true]] as const) {
    const ctx = recordingCtx();
    openRunTaro(ctx, { ...OPTIONS, ...(overlay === undefined ? {} : { overlay }) });
    const chain = h5PlatformChain('production');
    hook(ctx, 'modifyWebpackChain').fn({ chain } as unknown as WebpackChainHookArgs);
    const defines = chain.plugin('definePlugin').get('args')[0] as Record<string, string>;
    expect(JSON.parse(defines[BUILD_CONFIG_GLOBAL]!).overlay).toBe(expected);
  }
});

it("webpack: without Taro's definePlugin it adds webpack's DefinePlugin itself", () => {
  process.env.TARO_ENV = 'h5';
  const ctx = recordingCtx();
  openRunTaro(ctx, OPTIONS);
  const chain = new Config();
  class DefinePlugin {}
  hook(ctx, 'modifyWebpackChain').fn({ chain, webpack: { DefinePlugin } } as unknown as WebpackChainHookArgs);
  expect(chain.plugin('openrunTaroDefine').get('plugin')).toBe(DefinePlugin);
});

it("vite: merged after the H5 platform's alias plugin, the override's alias comes first, so it wins", async () => {
  process.env.TARO_ENV = 'h5';
  const ctx = recordingCtx();
  openRunTaro(ctx, OPTIONS);
  const h5AliasPlugin = { name: 'taro:vite-h5-alias', config: () => ({ resolve: { alias: [{ find: '@tarojs/taro', replacement: H5_API_LIBRARY }] } }) };
  const viteConfig = { plugins: [h5AliasPlugin] as unknown[] };
  hook(ctx, 'modifyViteConfig').fn({ viteConfig } as ViteConfigHookArgs);
  expect(viteConfig.plugins).toHaveLength(2);
  // vite runs config() hooks in plugin order and merges each result over the config so far.
  let merged: UserConfig = {};
  for (const plugin of viteConfig.plugins as VitePluginLike[]) {
    merged = mergeConfig(merged, plugin.config(merged, { mode: 'production', command: 'build' }) as UserConfig);
  }
  const aliases = merged.resolve?.alias as { find: string; replacement: string }[];
  expect(aliases.find((a) => a.find === '@tarojs/taro')?.replacement).toBe(h5RuntimePath());
  expect(JSON.parse((merged.define as Record<string, string>)[BUILD_CONFIG_GLOBAL]!)).toMatchObject({ appid: OPTIONS.appid, overlay: false });
});

it('options come from OPENRUN_URL, OPENRUN_APPID and OPENRUN_DEVICE_TOKEN when not given; a blank variable is unset', () => {
  process.env.TARO_ENV = 'h5';
  process.env.OPENRUN_URL = 'http://127.0.0.1:9000';
  process.env.OPENRUN_APPID = 'wx00000000000000aa';
  process.env.OPENRUN_DEVICE_TOKEN = '   ';
  expect(() => openRunTaro(recordingCtx(), {})).toThrow(/deviceToken \(or env OPENRUN_DEVICE_TOKEN/);
  process.env.OPENRUN_DEVICE_TOKEN = 'dev-env-0001';
  const ctx = recordingCtx();
  openRunTaro(ctx, { appid: 'wx00000000000000bb' }); // an option wins over its env var
  const chain = h5PlatformChain('development');
  hook(ctx, 'modifyWebpackChain').fn({ chain } as unknown as WebpackChainHookArgs);
  const defines = chain.plugin('definePlugin').get('args')[0] as Record<string, string>;
  expect(JSON.parse(defines[BUILD_CONFIG_GLOBAL]!)).toMatchObject({
    baseUrl: 'http://127.0.0.1:9000',
    appid: 'wx00000000000000bb',
    deviceToken: 'dev-env-0001',
  });
});

it('a missing option fails the H5 build with a message naming each option and its env var', () => {
  process.env.TARO_ENV = 'h5';
  expect(() => openRunTaro(recordingCtx(), undefined)).toThrow(
    /needs baseUrl \(or env OPENRUN_URL.*appid \(or env OPENRUN_APPID.*deviceToken \(or env OPENRUN_DEVICE_TOKEN/,
  );
  expect(() => openRunTaro(recordingCtx(), { ...OPTIONS, appid: '' })).toThrow(/option appid must be a non-empty string/);
  expect(() => openRunTaro(recordingCtx(), { ...OPTIONS, baseUrl: '127.0.0.1:9527' })).toThrow(/baseUrl must be an http\(s\) URL/);
  expect(() => openRunTaro(recordingCtx(), { ...OPTIONS, overlay: 'yes' as unknown as boolean })).toThrow(/overlay must be true or false/);
});

it("the built package loads the way Taro loads plugins: require(<main>), then .default when __esModule", async () => {
  process.env.TARO_ENV = 'h5';
  const { createRequire } = await import('node:module');
  const { readFileSync } = await import('node:fs');
  const require = createRequire(import.meta.url);
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { main: string };
  const loaded = require(new URL(`../${manifest.main}`, import.meta.url).pathname) as { __esModule?: boolean; default?: unknown };
  const plugin = (loaded.__esModule ? loaded.default : loaded) as typeof openRunTaro; // Taro's getModuleDefaultExport
  expect(typeof plugin).toBe('function');
  const ctx = recordingCtx();
  plugin(ctx, OPTIONS);
  const chain = h5PlatformChain('development');
  hook(ctx, 'modifyWebpackChain').fn({ chain } as unknown as WebpackChainHookArgs);
  expect((chain.toConfig().resolve?.alias as Record<string, string>)['@tarojs/taro']).toBe(h5RuntimePath());
});

it("aliases Taro's H5 library to the app's copy, so a symlinked @openrun/taro (file:, workspaces) still finds it", async () => {
  process.env.TARO_ENV = 'h5';
  const { mkdtempSync, mkdirSync, writeFileSync, rmSync, realpathSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const app = realpathSync(mkdtempSync(join(tmpdir(), 'openrun-taro-app-')));
  try {
    const lib = join(app, 'node_modules/@tarojs/plugin-platform-h5');
    mkdirSync(join(lib, 'dist/runtime/apis'), { recursive: true });
    writeFileSync(join(lib, 'package.json'), '{"name":"@tarojs/plugin-platform-h5","version":"4.2.1"}');
    writeFileSync(join(lib, 'dist/runtime/apis/index.js'), 'export default {}');
    writeFileSync(join(app, 'package.json'), '{"name":"app"}');
    const ctx = { ...recordingCtx(), paths: { appPath: app } };
    openRunTaro(ctx, OPTIONS);
    const chain = h5PlatformChain('development');
    hook(ctx, 'modifyWebpackChain').fn({ chain } as unknown as WebpackChainHookArgs);
    const alias = chain.toConfig().resolve?.alias as Record<string, string>;
    expect(alias['@tarojs/plugin-platform-h5/dist/runtime/apis/index.js$']).toBe(join(lib, 'dist/runtime/apis/index.js'));
  } finally {
    rmSync(app, { recursive: true, force: true });
  }
});
