/**
 * POST /cgi-bin/stable_token: the same token until its last 5 minutes; force_refresh at most 20 a day, 30 s apart.
 * @see PROTOCOL.md §9.2
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getStableAccessToken } from '../../domain/access-tokens.js';
import { requirePost } from '../shared/wire-personality.js';
import { AccessTokenReply, RequiredParam } from './schemas.js';

const Body = Type.Object({
  grant_type: RequiredParam,
  appid: RequiredParam,
  secret: RequiredParam,
  force_refresh: Type.Optional(Type.Boolean()),
});

/** Registers stable_token. */
export const stableTokenRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/cgi-bin/stable_token',
    {
      schema: { body: Body, response: { 200: AccessTokenReply } },
      config: {
        operation: 'POST /cgi-bin/stable_token',
        paramErrors: { grant_type: 'INVALID_GRANT_TYPE', appid: 'APPID_MISSING', secret: 'APPSECRET_MISSING' },
      },
    },
    async (request) => getStableAccessToken(app.openrun, request.body),
  );
  requirePost(app, '/cgi-bin/stable_token');
};
