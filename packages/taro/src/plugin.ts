/**
 * `@openrun/taro`, the Taro plugin: on `TARO_ENV=h5` builds it re-points `@tarojs/taro` to the H5 override module
 * shipped in this package (Taro's H5 library with OpenRun's login, checkSession, authorize, getSetting, openSetting,
 * getWeRunData, getQQRunData and cloud) and hands it the build-time options; on weapp / qq builds it does nothing.
 * Its hooks are registered with a stage after the H5 platform's, whose own `@tarojs/taro` alias would win otherwise.
 * @see ARCHITECTURE.md §4 (taro), research/TARO-H5.md §1.3
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { resolvePluginConfig, type OpenRunTaroBuildConfig, type OpenRunTaroOptions } from './plugin-config.js';

export type { OpenRunTaroBuildConfig, OpenRunTaroOptions } from './plugin-config.js';

/** The stage of the plugin's hooks: any value above the H5 platform's 0 runs after its alias. */
export const OPENRUN_HOOK_STAGE = 10;

/** The name the H5 override module reads its options from (webpack `DefinePlugin` / vite `define`). */
export const BUILD_CONFIG_GLOBAL = '__OPENRUN_TARO__';

/** The part of webpack-chain's `Config` the plugin touches. */
export interface WebpackChainLike {
  resolve: { alias: { set(key: string, value: string): unknown } };
  plugins: { has(name: string): boolean };
  plugin(name: string): {
    tap(f: (args: unknown[]) => unknown[]): unknown;
    use(plugin: unknown, args?: unknown[]): unknown;
  };
  get(key: string): unknown;
}

/** The part of a vite plugin the plugin adds. */
export interface VitePluginLike {
  name: string;
  config(config: unknown, env: { mode: string; command: string }): unknown;
}

/** What Taro passes to a `modifyWebpackChain` hook. */
export interface WebpackChainHookArgs {
  chain: WebpackChainLike;
  webpack?: { DefinePlugin?: unknown };
}

/** What Taro passes to a `modifyViteConfig` hook. */
export interface ViteConfigHookArgs {
  viteConfig: { plugins?: unknown[] };
}

/** One hook as `ctx.register` takes it (Taro's `IHook`). */
export type TaroHook =
  | { name: 'modifyWebpackChain'; stage: number; fn: (args: WebpackChainHookArgs) => void }
  | { name: 'modifyViteConfig'; stage: number; fn: (args: ViteConfigHookArgs) => void };

/** The part of Taro's plugin context (`IPluginContext`) the plugin uses. */
export interface TaroPluginContext {
  register(hook: TaroHook): void;
  /** The app's folder (Taro's `ctx.paths.appPath`). */
  paths?: { appPath?: string };
}

/** The request by which the override imports Taro's H5 API library. */
export const H5_API_LIBRARY_REQUEST = '@tarojs/plugin-platform-h5/dist/runtime/apis/index.js';

/** Where the H5 override module is, resolved from this package (never bundled, never copied into the app). */
export function h5RuntimePath(): string {
  return createRequire(import.meta.url).resolve('@openrun/taro/h5');
}

/**
 * Taro's H5 API library as the app resolves it, so the override finds it even when `@openrun/taro` is linked from
 * outside the app (`file:` / workspace symlinks resolve to a folder whose parents have no Taro); undefined if absent.
 */
export function appH5ApiLibrary(appPath: string): string | undefined {
  try {
    return createRequire(join(appPath, 'package.json')).resolve(H5_API_LIBRARY_REQUEST);
  } catch {
    return undefined;
  }
}

/**
 * The plugin Taro calls as `plugin(ctx, options)`; `plugins: [['@openrun/taro', { baseUrl, appid, deviceToken }]]`.
 * Throws (failing the build) when an H5 build lacks an option and its env var.
 */
export default function openRunTaro(ctx: TaroPluginContext, options?: OpenRunTaroOptions): void {
  if (process.env.TARO_ENV !== 'h5') return;
  const build = (production: boolean): OpenRunTaroBuildConfig => resolvePluginConfig(options, process.env, production);
  build(false); // fail at plugin load, before any compiler starts, when an option is missing
  const runtime = h5RuntimePath();
  const h5Library = appH5ApiLibrary(ctx.paths?.appPath ?? process.cwd());

  ctx.register({
    name: 'modifyWebpackChain',
    stage: OPENRUN_HOOK_STAGE,
    fn: ({ chain, webpack }) => {
      chain.resolve.alias.set('@tarojs/taro', runtime);
      if (h5Library) chain.resolve.alias.set(`${H5_API_LIBRARY_REQUEST}$`, h5Library);
      const define = { [BUILD_CONFIG_GLOBAL]: JSON.stringify(build(chain.get('mode') === 'production')) };
      if (chain.plugins.has('definePlugin')) {
        chain.plugin('definePlugin').tap((args) => [{ ...(args[0] as Record<string, unknown>), ...define }, ...args.slice(1)]);
      } else if (webpack?.DefinePlugin) {
        chain.plugin('openrunTaroDefine').use(webpack.DefinePlugin, [define]);
      } else {
        throw new Error('[openrun] @openrun/taro: this Taro build has no DefinePlugin to pass the options through; please report your Taro version.');
      }
    },
  });

  ctx.register({
    name: 'modifyViteConfig',
    stage: OPENRUN_HOOK_STAGE,
    fn: ({ viteConfig }) => {
      const plugin: VitePluginLike = {
        name: 'openrun:taro-h5',
        // A config() alias merged after the H5 platform's comes first, so it wins (an enforce:'pre' resolveId does not).
        config: (_config, { mode }) => ({
          resolve: {
            alias: [
              { find: '@tarojs/taro', replacement: runtime },
              ...(h5Library ? [{ find: H5_API_LIBRARY_REQUEST, replacement: h5Library }] : []),
            ],
          },
          define: { [BUILD_CONFIG_GLOBAL]: JSON.stringify(build(mode === 'production')) },
        }),
      };
      if (Array.isArray(viteConfig.plugins)) viteConfig.plugins.push(plugin);
      else viteConfig.plugins = [plugin];
    },
  });
}
