/**
 * `cloud.getOpenData({list})` inside a function (SVRKIT `ApiGetOpenDataByCloudId`): each id resolved for the calling
 * app and user (any user of the app for an HTTP API call, which has none), in order, each `json` a JSON string.
 * @see PROTOCOL.md §12.1, §13.1
 */
import type { LiveInvocation } from '../../functions/live-invocations.js';
import { resolveCloudIdJson } from '../cloud-ids.js';
import type { PlatformContext } from '../context.js';

/** One `OpDataItem`. */
export interface OpenDataItem {
  cloudId: string;
  json: string;
}

/** Resolves `cloudIds` for `caller`. */
export async function getOpenDataByCloudIds(ctx: PlatformContext, caller: LiveInvocation, cloudIds: string[]): Promise<OpenDataItem[]> {
  const dataList: OpenDataItem[] = [];
  for (const id of cloudIds) {
    dataList.push({ cloudId: id, json: await resolveCloudIdJson(ctx, id, caller.appid, caller.openid || undefined) });
  }
  return dataList;
}
