/**
 * Apps: registration and the require-helpers that fail with the platform's own errcode.
 */
import { secretsEqual } from '@openrun/core/cipher';
import type { MiniProgramPlatform } from '@openrun/core';
import type { AppRecord } from '../stores/records.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError, PlatformApiError } from './errors.js';

/** Settings of a new app; everything but the platform has a default. */
export interface NewApp {
  platform: MiniProgramPlatform;
  name?: string;
  cloud?: boolean;
  baseLibVersion?: string;
  openPlatformId?: string | null;
  /** Fixed credentials (scenarios, seeding); generated when absent. */
  appid?: string;
  secret?: string;
}

/** Registers an app, generating appid, secret and cloud env id. */
export async function createApp(ctx: PlatformContext, input: NewApp): Promise<AppRecord> {
  const appid = input.appid ?? (input.platform === 'weapp' ? ctx.ids.wechatAppid() : ctx.ids.qqAppid());
  if (await ctx.durable.getApp(appid)) throw new OpenRunApiError('CONFLICT', `an app with appid ${appid} exists already`);
  const cloud = input.platform === 'weapp' && (input.cloud ?? false);
  const app: AppRecord = {
    appid,
    secret: input.secret ?? ctx.ids.secret(),
    platform: input.platform,
    name: input.name ?? (input.platform === 'weapp' ? 'WeChat mini program' : 'QQ mini program'),
    cloud,
    cloudEnv: cloud ? `openrun-${appid.slice(-6)}` : null,
    baseLibVersion: input.baseLibVersion ?? '3.7.0',
    openPlatformId: input.openPlatformId ?? null,
    createdAt: ctx.clock.now(),
  };
  await ctx.durable.createApp(app);
  return app;
}

/** The app with this appid, or the platform's 40013 invalid appid. */
export async function requireApp(ctx: PlatformContext, appid: string, platform: MiniProgramPlatform): Promise<AppRecord> {
  const app = await ctx.durable.getApp(appid);
  if (!app || app.platform !== platform) throw new PlatformApiError('INVALID_APPID');
  return app;
}

/** The app when `secret` is its secret; else `wrongSecret` (40125 at jscode2session, 40001 at the token endpoints). */
export async function requireAppCredentials(
  ctx: PlatformContext,
  platform: MiniProgramPlatform,
  appid: string,
  secret: string,
  wrongSecret: 'INVALID_APPSECRET' | 'INVALID_CREDENTIAL',
): Promise<AppRecord> {
  const app = await requireApp(ctx, appid, platform);
  if (!secretsEqual(app.secret, secret)) throw new PlatformApiError(wrongSecret);
  return app;
}

/** The app with this appid, or OpenRun's 404 (runtime and control APIs). */
export async function findAppOr404(ctx: PlatformContext, appid: string): Promise<AppRecord> {
  const app = await ctx.durable.getApp(appid);
  if (!app) throw new OpenRunApiError('APP_NOT_FOUND', `no app has appid "${appid}"`);
  return app;
}

/** App settings the control API may change. */
export interface AppSettingsPatch {
  name?: string;
  cloud?: boolean;
  baseLibVersion?: string;
  openPlatformId?: string | null;
}

/** Changes an app's settings; turning cloud development on gives the app a cloud env id. QQ apps have no cloud. */
export async function updateApp(ctx: PlatformContext, appid: string, patch: AppSettingsPatch): Promise<AppRecord> {
  const current = await findAppOr404(ctx, appid);
  if (patch.cloud === true && current.platform !== 'weapp') {
    throw new OpenRunApiError('VALIDATION', 'cloud development exists only for WeChat (weapp) apps');
  }
  const cloud = patch.cloud ?? current.cloud;
  const cloudEnv = cloud ? (current.cloudEnv ?? `openrun-${appid.slice(-6)}`) : null;
  const updated = await ctx.durable.updateApp(appid, { ...patch, cloud, cloudEnv });
  if (!updated) throw new OpenRunApiError('APP_NOT_FOUND', `no app has appid "${appid}"`);
  return updated;
}
