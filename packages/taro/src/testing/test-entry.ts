/**
 * The body of the Jest and Vitest entries: Taro's H5 namespace (as `@tarojs/test-utils-react` builds it: the named
 * APIs assigned onto the default object) with OpenRun's APIs in place of the stubs, by name and on the default.
 */
import { createOpenRunTaroApis, type OpenRunTaroApis } from '../taro-apis.js';
import { createTestConnection, type OpenRunTaroTestOptions } from './test-connection.js';

/** A loaded test entry. */
export interface TestEntry {
  /** The default export: Taro's H5 object with OpenRun's APIs. */
  taro: Record<string, unknown>;
  apis: OpenRunTaroApis;
  configureOpenRunTaro(options: OpenRunTaroTestOptions): void;
  resetOpenRunTaro(): void;
}

/** Builds the entry over the `@tarojs/taro-h5` module namespace. */
export function createTestEntry(h5: Record<string, unknown>, env: () => Record<string, string | undefined>): TestEntry {
  const connection = createTestConnection(env);
  const apis = createOpenRunTaroApis(() => connection.options());
  // In the CommonJS build a Babel-compiled @tarojs/taro-h5 arrives whole as `default` (Node's interop): unwrap it.
  const wrapped = h5.default as { __esModule?: boolean; default?: unknown } | undefined;
  const base = wrapped?.__esModule ? wrapped.default : wrapped;
  const taro = (typeof base === 'object' && base !== null ? base : {}) as Record<string, unknown>;
  for (const [name, value] of Object.entries(h5)) if (name !== 'default' && name !== '__esModule') taro[name] = value;
  Object.assign(taro, apis);
  return {
    taro,
    apis,
    configureOpenRunTaro: (options) => connection.configure(options),
    resetOpenRunTaro: () => connection.reset(),
  };
}
