/**
 * POST /wxa/getopendata: resolves cloudIDs; each `json` is a JSON string `{cloudID, data}` or a per-id error.
 * `openid` is optional (current doc); when given, cloudIDs of other users are -601007. At most 100 ids per call
 * (undocumented upstream: OpenRun's choice).
 * @see PROTOCOL.md §10
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAccessToken } from '../../domain/access-tokens.js';
import { getOpenDataReply } from '../../domain/cloud-ids.js';
import { requirePost, sendWire } from '../shared/wire-personality.js';
import { OptionalParam } from './schemas.js';

const Query = Type.Object({ access_token: OptionalParam, cloudbase_access_token: OptionalParam, openid: OptionalParam });
const Body = Type.Object({ cloudid_list: Type.Array(Type.String({ maxLength: 256 }), { minItems: 1, maxItems: 100 }) });
const Reply = Type.Object({
  errcode: Type.Literal(0),
  errmsg: Type.Literal('ok'),
  data_list: Type.Array(Type.Object({ cloud_id: Type.String(), json: Type.String() })),
});

/** Registers getopendata. */
export const getopendataRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/wxa/getopendata',
    { schema: { querystring: Query, body: Body, response: { 200: Reply } }, config: { operation: 'POST /wxa/getopendata' } },
    async ({ query, body }, reply) => {
      const appid = await requireAccessToken(app.openrun, query.access_token ?? query.cloudbase_access_token);
      const { body: result, text } = await getOpenDataReply(app.openrun, appid, query.openid || undefined, body.cloudid_list);
      return sendWire(reply, result, text);
    },
  );
  requirePost(app, '/wxa/getopendata');
};
