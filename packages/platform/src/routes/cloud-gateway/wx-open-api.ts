/**
 * The `wx.openApi` action of the cloud gateway: decodes the multipart `requestData` protobuf, runs the open API
 * (OPEN_API) or internal svrkit API (SVRKIT_API) it names for the calling function, and encodes `CommOpenApiResp`.
 * @see PROTOCOL.md §13, §13.1
 */
import { CLOUD_CALL_ERRORS } from '@openrun/core';
import { callCloudOpenApi } from '../../domain/cloud-functions/cloud-open-api.js';
import { CloudGatewayError } from '../../domain/cloud-functions/cloud-gateway-error.js';
import { getOpenDataByCloudIds } from '../../domain/cloud-functions/get-open-data-by-cloud-ids.js';
import type { PlatformContext } from '../../domain/context.js';
import type { LiveInvocation } from '../../functions/live-invocations.js';
import {
  API_TYPE,
  decodeCommApiData,
  decodeGetOpenDataReq,
  encodeCommOpenApiResp,
  encodeGetOpenDataResp,
  type CommApiData,
} from './tcb-protobuf.js';

/** The JSON content type the SDK expects inside `CommOpenApiResp` for OPEN_API replies. */
const JSON_TYPE = 'application/json; charset=utf-8';
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Runs the `wx.openApi` request (`apiName` field, `requestData` protobuf) and returns the protobuf reply body. */
export async function runWxOpenApi(
  ctx: PlatformContext,
  caller: LiveInvocation,
  fields: { apiName?: unknown; requestData?: unknown },
): Promise<Uint8Array> {
  const { requestData } = fields;
  if (!(requestData instanceof Uint8Array)) throw new CloudGatewayError('INVALID_PARAM', 'requestData is missing');
  let message: CommApiData;
  try {
    message = decodeCommApiData(requestData);
  } catch {
    throw new CloudGatewayError('INVALID_PARAM', 'requestData is not a CommApiData protobuf');
  }
  if (message.apiType === API_TYPE.OPEN_API) {
    // fromEntries defines own properties, so a pair named "__proto__" is a field, never the object's prototype.
    const params: Record<string, unknown> = Object.fromEntries((message.openapiData?.pairs ?? []).map((pair) => [pair.key, parsePairValue(pair.value)]));
    const apiName = typeof fields.apiName === 'string' ? fields.apiName : '';
    const result = await callCloudOpenApi(ctx, caller, apiName, params);
    if ('errorCode' in result) return encodeCommOpenApiResp({ errorCode: result.errorCode });
    return encodeCommOpenApiResp({ respData: new TextEncoder().encode(JSON.stringify(result.json)), contentType: JSON_TYPE, httpCode: 200 });
  }
  if (message.apiType === API_TYPE.SVRKIT_API && message.svrkitData?.apiName === 'ApiGetOpenDataByCloudId') {
    let ids: string[];
    try {
      ids = decodeGetOpenDataReq(message.svrkitData.reqData).cloudidList;
    } catch {
      throw new CloudGatewayError('INVALID_PARAM', 'reqData is not an ApiGetOpenDataByCloudIdReq protobuf');
    }
    const dataList = await getOpenDataByCloudIds(ctx, caller, ids);
    return encodeCommOpenApiResp({ respData: encodeGetOpenDataResp({ dataList }), svrkitErrorCode: 0, httpCode: 200 });
  }
  return encodeCommOpenApiResp({ errorCode: CLOUD_CALL_ERRORS.API_NOT_FOUND.errCode });
}

function parsePairValue(value: Uint8Array): unknown {
  try {
    return JSON.parse(utf8.decode(value)) as unknown;
  } catch {
    return undefined;
  }
}
