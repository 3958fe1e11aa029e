/**
 * The server SDK's configuration, in one place. Order: the constructor option, then the `OPENRUN_*` environment
 * variable, then the default. A blank variable counts as unset.
 *
 * | variable | effect |
 * | --- | --- |
 * | `OPENRUN_EMULATOR_HOST` | `host:port` (or a full `http://…` URL) of an OpenRun platform: every client without an explicit `baseUrl` talks to it; QQ clients use its `/qq` prefix |
 * @see STYLE.md P19
 */
import type { MiniProgramPlatform } from '@openrun/core';

/** Name of the environment variable that points every client at OpenRun. */
export const EMULATOR_HOST_ENV = 'OPENRUN_EMULATOR_HOST';

/** The real platform hosts, used when neither an option nor the environment says otherwise. */
export const DEFAULT_BASE_URLS = {
  weapp: 'https://api.weixin.qq.com',
  qq: 'https://api.q.qq.com',
} as const satisfies Record<MiniProgramPlatform, string>;

/** The path under which OpenRun serves the QQ developer API (it stands for the host `api.q.qq.com`). */
export const OPENRUN_QQ_PREFIX = '/qq';

/** The environment the SDK reads (defaults to `process.env`). */
export type Environment = Readonly<Record<string, string | undefined>>;

function readEnv(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The base URL of the emulator named by `OPENRUN_EMULATOR_HOST`, or undefined when it is unset or blank. */
export function emulatorBaseUrl(platform: MiniProgramPlatform, env: Environment): string | undefined {
  const host = readEnv(env, EMULATOR_HOST_ENV);
  if (host === undefined) return undefined;
  const origin = withoutTrailingSlash(/^https?:\/\//i.test(host) ? host : `http://${host}`);
  return platform === 'qq' ? `${origin}${OPENRUN_QQ_PREFIX}` : origin;
}

/** Resolves a client's base URL: `option`, then `OPENRUN_EMULATOR_HOST`, then the real host. */
export function resolveBaseUrl(platform: MiniProgramPlatform, option: string | undefined, env: Environment): string {
  const explicit = option?.trim();
  if (explicit) return withoutTrailingSlash(explicit);
  return emulatorBaseUrl(platform, env) ?? DEFAULT_BASE_URLS[platform];
}
