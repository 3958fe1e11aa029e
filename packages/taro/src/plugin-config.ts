/**
 * The plugin's options after the environment: each option, else its `OPENRUN_*` variable (a blank one counts as
 * unset), else a build error that names both.
 */

/** Options of `['@openrun/taro', { … }]` in the Taro config's `plugins`. */
export interface OpenRunTaroOptions {
  /** The OpenRun platform the page talks to, e.g. `http://127.0.0.1:9527` (env `OPENRUN_URL`). */
  baseUrl?: string;
  /** The mini program's appid on that platform (env `OPENRUN_APPID`). */
  appid?: string;
  /** Device token of the default user, who holds the phone unless `?openrun_user=` says otherwise (env `OPENRUN_DEVICE_TOKEN`). */
  deviceToken?: string;
  /** Shows the dev overlay (who is logged in, switch user). Default: on in development builds, off in production. */
  overlay?: boolean;
}

/** What the H5 override module receives at build time (`__OPENRUN_TARO__`). */
export interface OpenRunTaroBuildConfig {
  baseUrl: string;
  appid: string;
  deviceToken: string;
  overlay: boolean;
}

const REQUIRED = [
  { option: 'baseUrl', env: 'OPENRUN_URL', example: 'http://127.0.0.1:9527' },
  { option: 'appid', env: 'OPENRUN_APPID', example: 'wx0123456789abcdef' },
  { option: 'deviceToken', env: 'OPENRUN_DEVICE_TOKEN', example: 'a user\'s deviceToken from the control API' },
] as const;

/** Resolves the options against the environment, or throws an Error naming each missing option and its env var. */
export function resolvePluginConfig(
  options: OpenRunTaroOptions | undefined,
  env: Record<string, string | undefined>,
  production: boolean,
): OpenRunTaroBuildConfig {
  const given: Record<string, unknown> = isRecord(options) ? options : {};
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const { option, env: name, example } of REQUIRED) {
    const value = given[option];
    if (value !== undefined && (typeof value !== 'string' || value.trim() === '')) {
      throw new Error(`[openrun] @openrun/taro: option ${option} must be a non-empty string, got ${JSON.stringify(value)}.`);
    }
    const fromEnv = env[name]?.trim();
    const chosen = value ?? (fromEnv ? fromEnv : undefined);
    if (chosen === undefined) missing.push(`${option} (or env ${name}, e.g. ${example})`);
    else values[option] = chosen;
  }
  if (missing.length > 0) {
    throw new Error(
      `[openrun] @openrun/taro needs ${missing.join(', ')} for an H5 build: set it in ` +
        `plugins: [['@openrun/taro', { baseUrl, appid, deviceToken }]] or in the environment.`,
    );
  }
  if (!/^https?:\/\/[^/]/.test(values.baseUrl ?? '')) {
    throw new Error(`[openrun] @openrun/taro: baseUrl must be an http(s) URL such as http://127.0.0.1:9527, got '${values.baseUrl}'.`);
  }
  if (given.overlay !== undefined && typeof given.overlay !== 'boolean') {
    throw new Error(`[openrun] @openrun/taro: option overlay must be true or false, got ${JSON.stringify(given.overlay)}.`);
  }
  return {
    baseUrl: values.baseUrl!.replace(/\/+$/, ''),
    appid: values.appid!,
    deviceToken: values.deviceToken!,
    overlay: typeof given.overlay === 'boolean' ? given.overlay : !production,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
