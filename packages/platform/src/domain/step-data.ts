/**
 * wx.getWeRunData / qq.getQQRunData: the snapshot of the last 31 China days, encrypted with the current session_key,
 * plus a 5-minute cloudID for cloud-enabled WeChat apps on base library ≥ 2.7.0.
 * @see PROTOCOL.md §5, §6, §11
 */
import {
  buildStepInfoList,
  CLOUD_ID_MIN_BASE_LIB,
  compareVersions,
  failErrMsg,
  STEP_API,
  STEP_SCOPE,
  serializeWeRunData,
  stepWindowBounds,
  WERUN_DISABLED_REASON,
  type MiniProgramPlatform,
  type RuntimeStepDataResult,
} from '@openrun/core';
import { encryptOpenData } from '@openrun/core/cipher';
import type { AppRecord, UserRecord } from '../stores/records.js';
import { issueCloudId } from './cloud-ids.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';
import { ensureScopeOfAppUser } from './grants.js';
import { requireSession } from './sessions.js';
import { readHistory } from './steps.js';

/** Returns the encrypted step snapshot for `platform`'s step API, after the login, scope and WeRun checks. */
export async function getStepData(
  ctx: PlatformContext,
  app: AppRecord,
  user: UserRecord,
  platform: MiniProgramPlatform,
): Promise<RuntimeStepDataResult> {
  const api = STEP_API[platform];
  if (app.platform !== platform) {
    throw new OpenRunApiError('WRONG_PLATFORM', `${api} is not available to ${app.platform} apps`, failErrMsg(api, 'not supported'));
  }
  const session = await requireSession(ctx, app, user, api);
  // A session means the app knows the user: no second look at the app-user record.
  await ensureScopeOfAppUser(ctx, app, user, STEP_SCOPE[platform], api);
  if (!user.werunEnabled) {
    throw new OpenRunApiError('WERUN_DISABLED', `${user.id} has not enabled WeRun / QQ Run`, failErrMsg(api, WERUN_DISABLED_REASON));
  }
  const nowSeconds = ctx.clock.nowSeconds();
  const [first, last] = stepWindowBounds(nowSeconds, ctx.config.stepDays);
  const history = await readHistory(ctx, user.id, first, last);
  const stepsByDate = new Map<string, number>();
  for (const d of history) stepsByDate.set(d.date, d.steps);
  const stepInfoList = buildStepInfoList(nowSeconds, stepsByDate, ctx.config.stepDays);
  const data = { stepInfoList, watermark: { timestamp: nowSeconds, appid: app.appid } };
  // One serialization serves both: the encrypted text and the cloudID's snapshot are the same JSON.
  const text = serializeWeRunData(data);
  const encrypted = encryptOpenData(session.sessionKey, text);
  if (app.platform === 'weapp' && app.cloud && compareVersions(app.baseLibVersion, CLOUD_ID_MIN_BASE_LIB) >= 0) {
    const cloudID = await issueCloudId(ctx, app.appid, session.openid, text);
    return { ...encrypted, cloudID };
  }
  return encrypted;
}
