/**
 * Who else can hold this device: the users a browser page may switch to (`?openrun_user=`, the dev overlay of
 * `@openrun/taro`). Open only where the control API is (loopback without a control token), because it shows device tokens.
 */
import type { UserRecord } from '../stores/records.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';

/** At most this many users are listed (a switcher, not a directory). */
export const DEVICE_USERS_LIMIT = 200;

/** One user a page can switch to. */
export interface DeviceUser {
  id: string;
  nickname: string;
  deviceToken: string;
}

/** The platform's users (first DEVICE_USERS_LIMIT by creation), for a caller already known by its device token. */
export async function listDeviceUsers(ctx: PlatformContext, caller: UserRecord): Promise<{ users: DeviceUser[]; truncated: boolean }> {
  if (ctx.config.requireControlToken) {
    throw new OpenRunApiError(
      'UNAUTHENTICATED_CONTROL',
      `this platform needs a control token, so the runtime API does not list users to ${caller.id}'s device; switch with ?openrun_user=<deviceToken>`,
    );
  }
  const page = await ctx.durable.listUsers({ limit: DEVICE_USERS_LIMIT });
  const users = page.items.map((u) => ({ id: u.id, nickname: u.nickname, deviceToken: u.deviceToken }));
  return { users, truncated: page.next !== undefined };
}
