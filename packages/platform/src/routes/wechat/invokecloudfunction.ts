/**
 * POST /tcb/invokecloudfunction?access_token=…&env=…&name=…: runs a cloud function of the token's app; the JSON body
 * is the event. Reply `{errcode:0, errmsg:"ok", resp_data:"<JSON text of the result>"}`. Failures: 40097 env/name
 * missing or another env, -501000 no such function, -504002 the function failed (its message follows the errmsg
 * text), 48001 the app has no cloud development.
 * @see ARCHITECTURE.md §3, PROTOCOL.md §18.1
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAccessToken } from '../../domain/access-tokens.js';
import { invokeCloudFunction } from '../../domain/cloud-functions/invoke-cloud-function.js';
import { requirePost } from '../shared/wire-personality.js';
import { OptionalParam } from './schemas.js';

const Query = Type.Object({ access_token: OptionalParam, env: OptionalParam, name: OptionalParam });
const Body = Type.Record(Type.String(), Type.Unknown());
const Reply = Type.Object({ errcode: Type.Literal(0), errmsg: Type.Literal('ok'), resp_data: Type.String() });

/** Registers invokecloudfunction. */
export const invokeCloudFunctionRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/tcb/invokecloudfunction',
    {
      schema: { querystring: Query, body: Body, response: { 200: Reply } },
      config: { operation: 'POST /tcb/invokecloudfunction' },
    },
    async ({ query, body, ip }) => {
      const appid = await requireAccessToken(app.openrun, query.access_token);
      return invokeCloudFunction(app.openrun, app.functions, { appid, env: query.env, name: query.name, data: body, clientIp: ip });
    },
  );
  requirePost(app, '/tcb/invokecloudfunction');
};
