/**
 * Compiles and bundles a sample Taro page the way an H5 build does: babel-plugin-transform-taroapi (with entries
 * copied from the real definition.json), then `@tarojs/taro` aliased to the override module's source, whose import of
 * Taro's H5 library goes to the stand-in fixture.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { transformAsync } from '@babel/core';
import taroApi from 'babel-plugin-transform-taroapi';
import { build } from 'esbuild';

/** A file under test/fixtures. */
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** What Taro's H5 compile step makes of a page (webpack's babel rule, vite's `taro:vite-h5-api`). */
export async function compileTaroPage(file: string): Promise<string> {
  const definition = JSON.parse(readFileSync(fixture('h5-definition.json'), 'utf8')) as { apis: Record<string, unknown> };
  const result = await transformAsync(readFileSync(file, 'utf8'), {
    filename: file,
    babelrc: false,
    configFile: false,
    plugins: [[taroApi, { packageName: '@tarojs/taro', definition }]],
  });
  return result?.code ?? '';
}

/** Bundles compiled page code (plus `footer`) with the override for the browser; `define` as the plugin would. */
export async function bundleTaroPage(code: string, define: Record<string, string> = {}): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: fixture('.'), loader: 'js' },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    conditions: ['openrun-source'],
    define,
    alias: {
      '@tarojs/taro': fileURLToPath(new URL('../../src/h5/index.ts', import.meta.url)),
      '@tarojs/plugin-platform-h5/dist/runtime/apis/index.js': fixture('taro-h5-stand-in.js'),
    },
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}
