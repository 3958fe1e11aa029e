/**
 * The protobuf messages `wx-server-sdk` exchanges with the cloud gateway (`wx.openApi`), declared once with
 * protobufjs from the field numbers of the SDK's bundled schema.
 * @see PROTOCOL.md §13, §13.1
 */
import protobuf from 'protobufjs';

const root = protobuf.Root.fromJSON({
  nested: {
    CommApiData: {
      fields: {
        apiType: { type: 'int32', id: 1 },
        openapiData: { type: 'OpenApiData', id: 2 },
        svrkitData: { type: 'SvrkitApiData', id: 4 },
        appid: { type: 'string', id: 6 },
      },
    },
    OpenApiData: { fields: { pairs: { rule: 'repeated', type: 'KeyValuePair', id: 1 } } },
    KeyValuePair: {
      fields: {
        key: { type: 'string', id: 1 },
        value: { type: 'bytes', id: 2 },
        contenttype: { type: 'string', id: 3 },
        filename: { type: 'string', id: 4 },
      },
    },
    SvrkitApiData: { fields: { apiName: { type: 'string', id: 1 }, reqData: { type: 'bytes', id: 2 } } },
    ApiGetOpenDataByCloudIdReq: {
      fields: { cloudidList: { rule: 'repeated', type: 'string', id: 2 }, appid: { type: 'string', id: 3 } },
    },
    ApiGetOpenDataByCloudIdResp: { fields: { dataList: { rule: 'repeated', type: 'OpDataItem', id: 1 } } },
    OpDataItem: { fields: { cloudId: { type: 'string', id: 1 }, json: { type: 'string', id: 2 } } },
    HttpHeader: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    CommOpenApiResp: {
      fields: {
        respData: { type: 'bytes', id: 1 },
        contentType: { type: 'string', id: 2 },
        errorCode: { type: 'int32', id: 3 },
        httpCode: { type: 'uint32', id: 4 },
        headers: { rule: 'repeated', type: 'HttpHeader', id: 5 },
        svrkitErrorCode: { type: 'int32', id: 6 },
      },
    },
  },
});

/** `CommApiData.apiType` values. */
export const API_TYPE = { OPEN_API: 0, SVRKIT_API: 2 } as const;

/** A decoded `CommApiData`. */
export interface CommApiData {
  apiType: number;
  openapiData?: { pairs: { key: string; value: Uint8Array }[] };
  svrkitData?: { apiName: string; reqData: Uint8Array };
  appid: string;
}

/** A `CommOpenApiResp` to encode. */
export interface CommOpenApiResp {
  respData?: Uint8Array;
  contentType?: string;
  errorCode?: number;
  httpCode?: number;
  svrkitErrorCode?: number;
}

function decoder<T>(name: string): (bytes: Uint8Array) => T {
  const type = root.lookupType(name);
  return (bytes) => type.toObject(type.decode(bytes), { defaults: true, arrays: true }) as T;
}

function encoder<T extends object>(name: string): (message: T) => Uint8Array {
  const type = root.lookupType(name);
  return (message) => type.encode(type.fromObject(message)).finish();
}

/** Decodes the multipart `requestData` field. */
export const decodeCommApiData = decoder<CommApiData>('CommApiData');
/** Decodes `svrkitData.reqData` of `ApiGetOpenDataByCloudId`. */
export const decodeGetOpenDataReq = decoder<{ cloudidList: string[]; appid: string }>('ApiGetOpenDataByCloudIdReq');
/** Encodes the `respData` of `ApiGetOpenDataByCloudId`. */
export const encodeGetOpenDataResp = encoder<{ dataList: { cloudId: string; json: string }[] }>('ApiGetOpenDataByCloudIdResp');
/** Encodes the gateway's reply body to `wx.openApi`. */
export const encodeCommOpenApiResp = encoder<CommOpenApiResp>('CommOpenApiResp');
