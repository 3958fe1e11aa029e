/**
 * Who a runtime API call comes from: the device token's user, inside the addressed app.
 */
import type { AppRecord, UserRecord } from '../stores/records.js';
import { findAppOr404 } from './apps.js';
import type { PlatformContext } from './context.js';
import { requireDeviceUser } from './users.js';

/** The user (by device token, else 401) and the app (else 404) of a runtime call. */
export async function requireRuntimeCaller(
  ctx: PlatformContext,
  appid: string,
  deviceToken: string | undefined,
): Promise<{ app: AppRecord; user: UserRecord }> {
  const user = await requireDeviceUser(ctx, deviceToken);
  const app = await findAppOr404(ctx, appid);
  return { app, user };
}
