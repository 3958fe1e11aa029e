/**
 * Users: the people whose phones the runtime API plays.
 */
import type { PromptAnswer, UserRecord } from '../stores/records.js';
import type { UserPatch } from '../stores/durable-store.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';

/** Settings of a new user. */
export interface NewUser {
  nickname?: string;
  werunEnabled?: boolean;
  hasStepCounter?: boolean;
  promptAnswer?: PromptAnswer;
  /** Fixed id / device token (scenarios, seeding); generated when absent. */
  id?: string;
  deviceToken?: string;
}

/** The nickname of a user who was given none: a chosen id (`alice`) as it is, a generated one as `user-<last 4>`. */
export function defaultNickname(id: string, idWasChosen: boolean): string {
  return idWasChosen ? id : `user-${id.slice(-4)}`;
}

/** Creates a user with a fresh device token. */
export async function createUser(ctx: PlatformContext, input: NewUser): Promise<UserRecord> {
  const id = input.id ?? ctx.ids.userId();
  const user: UserRecord = {
    id,
    nickname: input.nickname ?? defaultNickname(id, input.id !== undefined),
    deviceToken: input.deviceToken ?? ctx.ids.deviceToken(),
    werunEnabled: input.werunEnabled ?? true,
    hasStepCounter: input.hasStepCounter ?? true,
    promptAnswer: input.promptAnswer ?? 'accept',
    createdAt: ctx.clock.now(),
  };
  if (await ctx.durable.getUser(user.id)) throw new OpenRunApiError('CONFLICT', `a user with id ${user.id} exists already`);
  await ctx.durable.createUser(user);
  return user;
}

/** The user with this id, or OpenRun's 404. */
export async function requireUser(ctx: PlatformContext, id: string): Promise<UserRecord> {
  const user = await ctx.durable.getUser(id);
  if (!user) throw new OpenRunApiError('USER_NOT_FOUND', `no user has id "${id}"`);
  return user;
}

/** Changes a user's settings. */
export async function updateUser(ctx: PlatformContext, id: string, patch: UserPatch): Promise<UserRecord> {
  const user = await ctx.durable.updateUser(id, patch);
  if (!user) throw new OpenRunApiError('USER_NOT_FOUND', `no user has id "${id}"`);
  return user;
}

/** The user a runtime request acts for, from its bearer device token, or 401. */
export async function requireDeviceUser(ctx: PlatformContext, deviceToken: string | undefined): Promise<UserRecord> {
  const user = deviceToken ? await ctx.durable.getUserByDeviceToken(deviceToken) : undefined;
  if (!user) {
    throw new OpenRunApiError(
      'UNAUTHENTICATED_DEVICE',
      'missing or unknown device token: send "Authorization: Bearer <deviceToken>" with a token from POST /openrun/control/v1/users',
    );
  }
  return user;
}

/** Deletes a user with the history, openids, sessions and grants; 404 when unknown. */
export async function deleteUser(ctx: PlatformContext, id: string): Promise<void> {
  if (!(await ctx.durable.deleteUser(id))) throw new OpenRunApiError('USER_NOT_FOUND', `no user has id "${id}"`);
}
