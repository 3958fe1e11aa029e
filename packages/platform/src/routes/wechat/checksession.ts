/**
 * GET /wxa/checksession (checkSessionKey): is the signature the HMAC-SHA256 of "" under the user's current session_key?
 * @see PROTOCOL.md §9.3
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAccessToken } from '../../domain/access-tokens.js';
import { checkSessionKey } from '../../domain/sessions.js';
import { OptionalParam } from './schemas.js';

const Query = Type.Object({ access_token: OptionalParam, openid: OptionalParam, signature: OptionalParam, sig_method: OptionalParam });
const Reply = Type.Object({ errcode: Type.Literal(0), errmsg: Type.Literal('ok') });

/** Registers checksession. */
export const checksessionRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/wxa/checksession',
    { schema: { querystring: Query, response: { 200: Reply } }, config: { operation: 'GET /wxa/checksession' } },
    async ({ query }) => {
      const appid = await requireAccessToken(app.openrun, query.access_token);
      return checkSessionKey(app.openrun, appid, {
        openid: query.openid ?? '',
        signature: query.signature ?? '',
        sig_method: query.sig_method ?? '',
      });
    },
  );
};
