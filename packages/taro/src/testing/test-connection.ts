/**
 * Who the Jest / Vitest entries' `Taro.*` calls act for: `configureOpenRunTaro()` when a test called it, else
 * `OPENRUN_URL`, `OPENRUN_APPID` and `OPENRUN_DEVICE_TOKEN` read at call time (so a `beforeAll` may set them after
 * starting a platform).
 */
import type { ConnectOptions } from '@openrun/client';

/** What a test can set: the connection options of `@openrun/client`'s `connect()` (baseUrl, appid, deviceToken, onPrompt, …). */
export type OpenRunTaroTestOptions = Partial<ConnectOptions>;

/** The mutable settings of one loaded test entry. */
export interface TestConnection {
  /** Sets (merges) the connection options; `undefined` values fall back to the environment again. */
  configure(options: OpenRunTaroTestOptions): void;
  /** Forgets every option set with `configure`. */
  reset(): void;
  /** The options for the next call, or an Error naming what is missing. */
  options(): ConnectOptions;
}

const FROM_ENV = [
  ['baseUrl', 'OPENRUN_URL'],
  ['appid', 'OPENRUN_APPID'],
  ['deviceToken', 'OPENRUN_DEVICE_TOKEN'],
] as const;

/** Creates the settings of a test entry. */
export function createTestConnection(env: () => Record<string, string | undefined>): TestConnection {
  let configured: OpenRunTaroTestOptions = {};
  return {
    configure(options) {
      configured = { ...configured, ...options };
    },
    reset() {
      configured = {};
    },
    options() {
      const values = env();
      const resolved: Record<string, unknown> = { ...configured };
      const missing: string[] = [];
      for (const [key, name] of FROM_ENV) {
        const value = configured[key] ?? (values[name]?.trim() || undefined);
        if (value === undefined) missing.push(`${key} (env ${name})`);
        resolved[key] = value;
      }
      if (missing.length > 0) {
        throw new Error(`[openrun] @openrun/taro test entry needs ${missing.join(', ')}: call configureOpenRunTaro({ … }) or set the env vars`);
      }
      return resolved as unknown as ConnectOptions;
    },
  };
}
