/**
 * Scope authorization: the consent dialog, remembered decisions, getSetting / openSetting, and the control API's
 * direct edits. A refused scope fails at once with the -12006 text; a first refusal with `auth deny`.
 * @see PROTOCOL.md §4
 */
import {
  authDenyErrMsg,
  failErrMsg,
  NO_STEP_COUNTER_REASON,
  rememberedDenyErrMsg,
  STEP_SCOPE,
  type MiniProgramPlatform,
} from '@openrun/core';
import type { GrantMap } from '../stores/durable-store.js';
import type { AppRecord, UserRecord } from '../stores/records.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';

const COMMON_SCOPES = [
  'scope.userInfo', 'scope.userLocation', 'scope.userLocationBackground', 'scope.userFuzzyLocation', 'scope.address',
  'scope.invoiceTitle', 'scope.invoice', 'scope.record', 'scope.writePhotosAlbum', 'scope.camera', 'scope.bluetooth',
];

/** Scopes a platform knows: its step scope plus the common ones. */
export function knownScopes(platform: MiniProgramPlatform): string[] {
  return [STEP_SCOPE[platform], ...COMMON_SCOPES];
}

function requireKnownScope(platform: MiniProgramPlatform, scope: string, api: string): void {
  if (!knownScopes(platform).includes(scope)) {
    throw new OpenRunApiError('INVALID_SCOPE', `"${scope}" is not a ${platform} scope (known: ${knownScopes(platform).join(', ')})`, failErrMsg(api, 'invalid scope'));
  }
}

/** Fails like a device without a step counter when the scope needs one. */
function requireStepCounter(app: AppRecord, user: UserRecord, scope: string, api: string): void {
  if (scope === STEP_SCOPE[app.platform] && !user.hasStepCounter) {
    throw new OpenRunApiError('NO_STEP_COUNTER', `${user.id}'s device has no step counter`, failErrMsg(api, NO_STEP_COUNTER_REASON));
  }
}

/**
 * Makes sure `scope` is granted for `api`: granted passes; refused fails at once (-12006); never asked shows the
 * dialog, answered with the user's `promptAnswer`, and remembers the answer. With `ask` the device shows the dialog:
 * the call fails with PROMPT_REQUIRED (carrying what to show) until the device posts the answer (`answerPrompt`).
 */
export async function ensureScope(ctx: PlatformContext, app: AppRecord, user: UserRecord, scope: string, api: string): Promise<void> {
  await ensureScopeOf(ctx, app, user, scope, api, false);
}

/** `ensureScope` for a user the app already knows (one with a session): the app-user record is not looked up again. */
export async function ensureScopeOfAppUser(ctx: PlatformContext, app: AppRecord, user: UserRecord, scope: string, api: string): Promise<void> {
  await ensureScopeOf(ctx, app, user, scope, api, true);
}

async function ensureScopeOf(ctx: PlatformContext, app: AppRecord, user: UserRecord, scope: string, api: string, known: boolean): Promise<void> {
  requireKnownScope(app.platform, scope, api);
  requireStepCounter(app, user, scope, api);
  if (!known) await ensureAppUser(ctx, app, user);
  const grants = await ctx.durable.getGrants(app.appid, user.id);
  const decision = Object.hasOwn(grants, scope) ? grants[scope] : undefined;
  if (decision === true) return;
  if (decision === false) {
    throw new OpenRunApiError('AUTH_DENIED', `${scope} was refused earlier, so no dialog is shown`, rememberedDenyErrMsg(api));
  }
  if (user.promptAnswer === 'ask') {
    throw new OpenRunApiError(
      'PROMPT_REQUIRED',
      `${user.id} answers the ${scope} dialog on the device: show it and POST the answer to …/prompt`,
      failErrMsg(api, 'the authorization dialog was not answered'),
      undefined,
      { scope, appName: app.name, platform: app.platform },
    );
  }
  const accepted = user.promptAnswer === 'accept';
  await ctx.durable.setGrants(app.appid, user.id, { [scope]: accepted });
  if (!accepted) throw new OpenRunApiError('AUTH_DENIED', `the user denied ${scope} in the dialog`, authDenyErrMsg(api));
}

/**
 * The device's answer in the consent dialog of a user whose `promptAnswer` is `ask`: remembered as the grant, exactly
 * as the platform remembers a played `accept` / `deny`. Only a scope never asked can be answered.
 */
export async function answerPrompt(
  ctx: PlatformContext,
  app: AppRecord,
  user: UserRecord,
  scope: string,
  answer: 'accept' | 'deny',
): Promise<{ scope: string; granted: boolean }> {
  requireKnownScope(app.platform, scope, 'authorize');
  if (user.promptAnswer !== 'ask') {
    throw new OpenRunApiError(
      'CONFLICT',
      `${user.id} answers dialogs with '${user.promptAnswer}' on the platform; only users with promptAnswer 'ask' answer on the device`,
    );
  }
  requireStepCounter(app, user, scope, 'authorize');
  await ensureAppUser(ctx, app, user);
  const decision = (await ctx.durable.getGrants(app.appid, user.id))[scope];
  if (decision !== undefined) {
    throw new OpenRunApiError(
      'CONFLICT',
      `${scope} was already ${decision ? 'granted' : 'refused'}, so no dialog is open; change it with openSetting or the control API`,
    );
  }
  const granted = answer === 'accept';
  await ctx.durable.setGrants(app.appid, user.id, { [scope]: granted });
  return { scope, granted };
}

/** wx.authorize: asks for a scope in advance. */
export async function authorize(ctx: PlatformContext, app: AppRecord, user: UserRecord, scope: string): Promise<void> {
  await ensureScope(ctx, app, user, scope, 'authorize');
}

/** wx.getSetting: the remembered decisions (never-asked scopes absent). Works without login, as on the phone. */
export async function getSetting(ctx: PlatformContext, app: AppRecord, user: UserRecord): Promise<GrantMap> {
  const appUser = await ctx.durable.getAppUser(app.appid, user.id);
  return appUser ? ctx.durable.getGrants(app.appid, user.id) : {};
}

/** wx.openSetting: the user toggles scopes that were asked before; others are ignored; an unknown scope is an error. */
export async function changeSetting(
  ctx: PlatformContext,
  app: AppRecord,
  user: UserRecord,
  authSetting: Record<string, boolean>,
): Promise<GrantMap> {
  for (const scope of Object.keys(authSetting)) requireKnownScope(app.platform, scope, 'openSetting');
  const current = await getSetting(ctx, app, user);
  const changes: Record<string, boolean> = {};
  for (const [scope, value] of Object.entries(authSetting)) if (Object.hasOwn(current, scope)) changes[scope] = value;
  return Object.keys(changes).length ? ctx.durable.setGrants(app.appid, user.id, changes) : current;
}

/** Control API: sets remembered decisions directly (`null` = never asked); the user must have used the app. */
export async function setGrants(
  ctx: PlatformContext,
  app: AppRecord,
  user: UserRecord,
  changes: Record<string, boolean | null>,
): Promise<GrantMap> {
  for (const scope of Object.keys(changes)) {
    if (!knownScopes(app.platform).includes(scope)) {
      throw new OpenRunApiError('VALIDATION', `"${scope}" is not a scope of ${app.platform} apps (use ${STEP_SCOPE[app.platform]})`);
    }
  }
  await ensureAppUser(ctx, app, user);
  return ctx.durable.setGrants(app.appid, user.id, changes);
}

/** Creates the app user (openid) without a session, so grants can be set before the first login. */
export async function ensureAppUser(ctx: PlatformContext, app: AppRecord, user: UserRecord): Promise<void> {
  if (await ctx.durable.getAppUser(app.appid, user.id)) return;
  await ctx.durable.recordLogin({
    appid: app.appid,
    userId: user.id,
    newOpenid: ctx.ids.openid(),
    newUnionid: app.openPlatformId ? ctx.ids.unionid() : null,
    newSessionKey: null,
    now: ctx.clock.now(),
    minRotationMs: ctx.config.sessionRotationMinSeconds * 1000,
  });
}
