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

/** The getopendata success body; `json` is a JSON string, as on the real host. */
export interface GetOpenDataResult {
  errcode: 0;
  errmsg: 'ok';
  data_list: { cloud_id: string; json: string }[];
}

/** A getopendata item's `json` text, and that text written as a JSON string (what the reply holds). */
interface WrittenJson {
  json: string;
  literal: string;
}

/**
 * The written `json` of each record found: a store that caches hands out one object per cloudID, so a cloudID resolved
 * again is not spliced and escaped again.
 */
const writtenRecords = new WeakMap<CloudIdRecord, WrittenJson>();

async function resolveWritten(ctx: PlatformContext, cloudID: string, appid: string, openid: string | undefined): Promise<WrittenJson> {
  const found = await lookupCloudId(ctx, cloudID, appid, openid);
  if (typeof found === 'string') {
    const json = JSON.stringify(failure(cloudID, found));
    return { json, literal: JSON.stringify(json) };
  }
  let written = writtenRecords.get(found);
  if (!written) {
    const json = `{"cloudID":${JSON.stringify(cloudID)},"data":${found.payload}}`;
    written = { json, literal: JSON.stringify(json) };
    writtenRecords.set(found, written);
  }
  return written;
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
  return (await resolveWritten(ctx, cloudID, appid, openid)).json;
}

async function resolveList(
  ctx: PlatformContext,
  appid: string,
  openid: string | undefined,
  cloudIds: string[],
): Promise<{ body: GetOpenDataResult; literals: string[] }> {
  if (openid !== undefined && !(await ctx.durable.getAppUserByOpenid(appid, openid))) {
    throw new PlatformApiError('INVALID_OPENID');
  }
  const data_list = [];
  const literals = [];
  for (const id of cloudIds) {
    const written = await resolveWritten(ctx, id, appid, openid);
    data_list.push({ cloud_id: id, json: written.json });
    literals.push(written.literal);
  }
  return { body: { errcode: 0, errmsg: 'ok', data_list }, literals };
}

/** POST /wxa/getopendata: resolves each cloudID for the token's app and the given user, in order. */
export async function getOpenData(
  ctx: PlatformContext,
  appid: string,
  openid: string | undefined,
  cloudIds: string[],
): Promise<GetOpenDataResult> {
  return (await resolveList(ctx, appid, openid, cloudIds)).body;
}

/**
 * `getOpenData` with the reply's text, exactly JSON.stringify of the body, put together from each item's written
 * `json` instead of escaping the long texts again on every call.
 */
export async function getOpenDataReply(
  ctx: PlatformContext,
  appid: string,
  openid: string | undefined,
  cloudIds: string[],
): Promise<{ body: GetOpenDataResult; text: string }> {
  const { body, literals } = await resolveList(ctx, appid, openid, cloudIds);
  let items = '';
  body.data_list.forEach((item, i) => {
    items += `${i === 0 ? '' : ','}{"cloud_id":${JSON.stringify(item.cloud_id)},"json":${literals[i]!}}`;
  });
  return { body, text: `{"errcode":0,"errmsg":"ok","data_list":[${items}]}` };
}
