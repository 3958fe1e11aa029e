/**
 * POST /tcb/admin?env=…&seqId=… (2.x adds `eventId`): what `wx-server-sdk` sends from inside a function. The
 * `wxCloudApiToken` must be the `WX_API_TOKEN` of a running call, whose app and user the gateway acts as.
 * - `wx.openApi` (multipart, `requestData` protobuf): OPEN_API `cloudbase.getOpenData`, SVRKIT
 *   `ApiGetOpenDataByCloudId`; reply raw `CommOpenApiResp` as `application/octet-stream`.
 * - `functions.invokeFunction` (JSON): another function; reply `{requestId, data: {response_data}}`.
 * Deviation: the request's TC3 signature is not checked (the token is).
 * @see PROTOCOL.md §12, §13.1
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CloudGatewayError } from '../../domain/cloud-functions/cloud-gateway-error.js';
import { requireGatewayCaller } from '../../domain/cloud-functions/gateway-caller.js';
import { invokeFunctionFromFunction } from '../../domain/cloud-functions/invoke-function-from-function.js';
import { runWxOpenApi } from './wx-open-api.js';

/** The fields the gateway reads; multipart and JSON bodies both arrive as one flat object. */
const Body = Type.Object({
  action: Type.String({ maxLength: 64 }),
  wxCloudApiToken: Type.Optional(Type.String({ maxLength: 1024 })),
  apiName: Type.Optional(Type.String({ maxLength: 128 })),
  requestData: Type.Optional(Type.Unknown()),
  function_name: Type.Optional(Type.String({ maxLength: 128 })),
  request_data: Type.Optional(Type.String()),
});

/** Registers /tcb/admin. */
export const adminRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/tcb/admin',
    { schema: { body: Body, hide: true }, config: { operation: 'POST /tcb/admin' } },
    async (request, reply) => {
      const { body } = request;
      const caller = requireGatewayCaller(app.functions, body.wxCloudApiToken);
      if (body.action === 'wx.openApi') {
        const bytes = await runWxOpenApi(app.openrun, caller, body);
        return reply.type('application/octet-stream').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      }
      if (body.action === 'functions.invokeFunction') {
        const result = await invokeFunctionFromFunction(app.openrun, app.functions, caller, body.function_name, body.request_data);
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(result));
      }
      throw new CloudGatewayError('INVALID_ACTION', body.action);
    },
  );
};
