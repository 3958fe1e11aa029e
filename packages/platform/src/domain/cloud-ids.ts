/**
 * cloudIDs: issued with a snapshot of the open data, valid 5 minutes, bound to the issuing app and user; resolved by
 * /wxa/getopendata (and, later, by cloud-function calls) into `{cloudID, data}` or a per-id `{cloudID, errCode, errMsg}`.
 * @see PROTOCOL.md §10, §11
 */
import { CLOUD_ID_ERRORS, type CloudIdErrorName } from '@openrun/core';
import type { CloudIdRecord } from '../stores/records.js';
import type { PlatformContext } from './context.js';
import { PlatformApiError } from './errors.js';

/** A cloudID lives this long. */
export const CLOUD_ID_TTL_MS = 5 * 60 * 1000;

/** Stores a snapshot (`dataJson`, the JSON text of the data) and returns the cloudID standing for it. */
export async function issueCloudId(ctx: PlatformContext, appid: string, openid: string, dataJson: string): Promise<string> {
  const cloudId = ctx.ids.cloudId();
  await ctx.ephemeral.issueCloudId({ cloudId, appid, openid, payload: dataJson, expiresAt: ctx.clock.now() + CLOUD_ID_TTL_MS });
  return cloudId;
}

/** One resolved cloudID: the data, or a per-id error. */
export type ResolvedCloudId =
  | { cloudID: string; data: unknown }
  | { cloudID: string; errCode: number; errMsg: string };

const failure = (cloudID: string, name: CloudIdErrorName): ResolvedCloudId => ({ cloudID, ...CLOUD_ID_ERRORS[name] });

/** The stored snapshot of a cloudID the given app and user may resolve, or why not. */
async function lookupCloudId(
  ctx: PlatformContext,
  cloudID: string,
  appid: string,
  openid: string | undefined,
): Promise<CloudIdRecord | CloudIdErrorName> {
  const record = await ctx.ephemeral.getCloudId(cloudID);
  if (!record) return 'INVALID';
  if (record.appid !== appid || (openid !== undefined && record.openid !== openid)) return 'NOT_BELONG_TO_USER';
  if (ctx.clock.now() >= record.expiresAt) return 'EXPIRED';
  return record;
}

/** Resolves one cloudID for the given app and user (`openid` undefined = any user of the app). */
export async function resolveCloudId(
  ctx: PlatformContext,
  cloudID: string,
  appid: string,
  openid: string | undefined,
): Promise<ResolvedCloudId> {
  const found = await lookupCloudId(ctx, cloudID, appid, openid);
  if (typeof found === 'string') return failure(cloudID, found);
  return { cloudID, data: JSON.parse(found.payload) as unknown };
}

/**
 * `resolveCloudId` as JSON text (the `json` of a getopendata item): the stored snapshot is already the JSON text of
 * the data, so it is spliced in as it is instead of being parsed and written out again.
 */
export async function resolveCloudIdJson(
  ctx: PlatformContext,
  cloudID: string,
  appid: string,
  openid: string | undefined,
): Promise<string> {
  const found = await lookupCloudId(ctx, cloudID, appid, openid);
  if (typeof found === 'string') return JSON.stringify(failure(cloudID, found));
  return `{"cloudID":${JSON.stringify(cloudID)},"data":${found.payload}}`;
}

/** The getopendata success body; `json` is a JSON string, as on the real host. */
export interface GetOpenDataResult {
  errcode: 0;
  errmsg: 'ok';
  data_list: { cloud_id: string; json: string }[];
}

/** POST /wxa/getopendata: resolves each cloudID for the token's app and the given user, in order. */
export async function getOpenData(
  ctx: PlatformContext,
  appid: string,
  openid: string | undefined,
  cloudIds: string[],
): Promise<GetOpenDataResult> {
  if (openid !== undefined && !(await ctx.durable.getAppUserByOpenid(appid, openid))) {
    throw new PlatformApiError('INVALID_OPENID');
  }
  const data_list = [];
  for (const id of cloudIds) {
    data_list.push({ cloud_id: id, json: await resolveCloudIdJson(ctx, id, appid, openid) });
  }
  return { errcode: 0, errmsg: 'ok', data_list };
}
