/**
 * POST /openrun/runtime/v1/apps/{appid}/functions/{name} — wx.cloud.callFunction. Body `{data}` where top-level CloudID
 * objects arrive as core's marker `{"__openrun_cloudID__": id}` and nested ones as plain strings; they are replaced
 * before the call (at most 5: a 6th and later top-level marker arrives as its plain cloudID string, OpenRun's choice
 * since the real limit's behaviour is undocumented). Reply `{result, requestID}`; a failed call is a 404/502 whose
 * `error.errMsg`/`error.errCode` are what the client reports.
 * @see PROTOCOL.md §11
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callFunction } from '../../domain/cloud-functions/call-function.js';
import { requireRuntimeCaller } from '../../domain/runtime-caller.js';
import { bearerToken } from '../shared/openrun-personality.js';

const Params = Type.Object({
  appid: Type.String({ minLength: 1, maxLength: 64 }),
  name: Type.String({ minLength: 1, maxLength: 128 }),
});
const Body = Type.Object({ data: Type.Optional(Type.Record(Type.String(), Type.Unknown())) });
const Reply = Type.Object({ result: Type.Optional(Type.Unknown()), requestID: Type.String() });

/** Registers callFunction. */
export const callFunctionRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/apps/:appid/functions/:name',
    {
      schema: { params: Params, body: Body, response: { 200: Reply } },
      config: { operation: `POST ${app.prefix}/apps/:appid/functions/:name`, api: 'cloud.callFunction' },
    },
    async (request) => {
      const caller = await requireRuntimeCaller(app.openrun, request.params.appid, bearerToken(request.headers.authorization));
      return callFunction(app.openrun, app.functions, {
        ...caller,
        name: request.params.name,
        data: request.body.data ?? {},
        clientIp: request.ip,
      });
    },
  );
};
