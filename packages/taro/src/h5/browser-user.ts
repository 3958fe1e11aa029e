/**
 * Which user holds the phone in this browser tab: `?openrun_user=<id or device token>` in the URL (before or inside
 * the `#` of Taro's hash router), remembered for the tab (sessionStorage) and for new tabs (localStorage), else the
 * build-time device token. So two tabs can be two people.
 */
import { RUNTIME_API_PREFIX } from '@openrun/core';
import type { OpenRunTaroBuildConfig } from '../plugin-config.js';

/** The URL parameter that switches user. */
export const USER_PARAM = 'openrun_user';

/** The storage key the choice is remembered under. */
export const USER_STORAGE_KEY = 'openrun.taro.user';

/** A user the page may switch to (the runtime API's `GET …/apps/{appid}/users`). */
export interface DeviceUser {
  id: string;
  nickname: string;
  deviceToken: string;
}

/** Who holds the device, and the users to switch among when the platform lists them. */
export interface BrowserUser {
  deviceToken: string;
  /** The user, when the platform lists users. */
  user: DeviceUser | undefined;
  /** The platform's users, or undefined where it does not list them (a control token is required). */
  users: DeviceUser[] | undefined;
}

/** The page's browser surroundings (injectable for tests). */
export interface BrowserSurroundings {
  location: Pick<Location, 'search' | 'hash'>;
  sessionStorage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
  localStorage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | undefined;
  fetch: typeof fetch;
}

/** `?openrun_user=` was given but names no user of the platform: the message lists who exists. */
export class UnknownUserError extends Error {
  override readonly name = 'UnknownUserError';
  constructor(
    readonly requested: string,
    readonly users: DeviceUser[],
  ) {
    super(
      `unknown openrun_user '${requested}'; the platform's users are: ${
        users.length ? users.map((u) => `${u.id} (${u.nickname})`).join(', ') : 'none (create one in the dashboard)'
      }`,
    );
  }
}

/** The `openrun_user` value of the URL, from the query or from the query inside the hash. */
export function requestedUser(location: Pick<Location, 'search' | 'hash'>): string | undefined {
  const fromSearch = new URLSearchParams(location.search).get(USER_PARAM);
  if (fromSearch) return fromSearch;
  const hashQuery = location.hash.includes('?') ? location.hash.slice(location.hash.indexOf('?') + 1) : '';
  return new URLSearchParams(hashQuery).get(USER_PARAM) || undefined;
}

/** Resolves who holds the device; throws UnknownUserError for a URL value the platform does not know. */
export async function resolveBrowserUser(config: OpenRunTaroBuildConfig, env: BrowserSurroundings): Promise<BrowserUser> {
  const fromUrl = requestedUser(env.location);
  const remembered = read(env.sessionStorage) ?? read(env.localStorage);
  const requested = fromUrl ?? remembered;
  if (requested === undefined && !config.overlay) return { deviceToken: config.deviceToken, user: undefined, users: undefined };
  const users = await listUsers(config, env.fetch);
  if (requested === undefined) {
    return { deviceToken: config.deviceToken, user: users?.find((u) => u.deviceToken === config.deviceToken), users };
  }
  if (users === undefined) {
    // The platform does not list users: the value can only be a device token.
    remember(env, requested);
    return { deviceToken: requested, user: undefined, users };
  }
  const user = users.find((u) => u.id === requested || u.deviceToken === requested);
  if (!user) {
    if (fromUrl !== undefined) throw new UnknownUserError(requested, users);
    forget(env); // a remembered user that was deleted since: back to the default
    return { deviceToken: config.deviceToken, user: users.find((u) => u.deviceToken === config.deviceToken), users };
  }
  remember(env, requested);
  return { deviceToken: user.deviceToken, user, users };
}

/** The platform's users, or undefined when it does not list them on the runtime API. */
async function listUsers(config: OpenRunTaroBuildConfig, doFetch: typeof fetch): Promise<DeviceUser[] | undefined> {
  const url = `${config.baseUrl}${RUNTIME_API_PREFIX}/apps/${encodeURIComponent(config.appid)}/users`;
  let response: Response;
  try {
    response = await doFetch(url, { headers: { authorization: `Bearer ${config.deviceToken}` } });
  } catch (error) {
    throw new Error(`network error: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (response.status === 401) {
    const body = (await response.json().catch(() => undefined)) as { error?: { code?: string } } | undefined;
    if (body?.error?.code === 'OR_ERR_CONTROL_TOKEN') return undefined;
    throw new Error(`the build-time deviceToken is not a user of ${config.baseUrl} (OPENRUN_DEVICE_TOKEN / deviceToken option)`);
  }
  if (!response.ok) throw new Error(`OpenRun replied HTTP ${response.status} to the user list`);
  const body = (await response.json()) as { users: DeviceUser[] };
  return body.users;
}

function read(storage: BrowserSurroundings['localStorage']): string | undefined {
  try {
    return storage?.getItem(USER_STORAGE_KEY) ?? undefined;
  } catch {
    return undefined; // storage disabled (privacy mode): no memory
  }
}

function remember(env: BrowserSurroundings, value: string): void {
  for (const storage of [env.sessionStorage, env.localStorage]) {
    try {
      storage?.setItem(USER_STORAGE_KEY, value);
    } catch {
      // storage disabled: the URL still decides
    }
  }
}

function forget(env: BrowserSurroundings): void {
  for (const storage of [env.sessionStorage, env.localStorage]) {
    try {
      storage?.removeItem(USER_STORAGE_KEY);
    } catch {
      // storage disabled
    }
  }
}
