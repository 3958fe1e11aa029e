/**
 * The success result of getWeRunData / getQQRunData built from the runtime reply. @see PROTOCOL.md §5
 */
import { CLOUD_ID_MIN_BASE_LIB, okErrMsg } from '@openrun/core';
import { replyString, type ApiContext } from './api-context.js';

/** Reads `{encryptedData, iv, cloudID?}`; keeps `cloudID` only on base library ≥ 2.7.0. @see PROTOCOL.md §5 */
export function stepDataResult(
  ctx: ApiContext,
  api: string,
  reply: Record<string, unknown>,
): { errMsg: string; encryptedData: string; iv: string; cloudID?: string } {
  const result: { errMsg: string; encryptedData: string; iv: string; cloudID?: string } = {
    errMsg: okErrMsg(api),
    encryptedData: replyString(api, reply, 'encryptedData'),
    iv: replyString(api, reply, 'iv'),
  };
  if (typeof reply.cloudID === 'string' && ctx.baseLibAtLeast(CLOUD_ID_MIN_BASE_LIB)) result.cloudID = reply.cloudID;
  return result;
}
