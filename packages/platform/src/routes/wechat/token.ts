/**
 * GET /cgi-bin/token (QQ: GET /api/getToken): a new access token per call; the previous one keeps working 5 minutes.
 * @see PROTOCOL.md §9.1
 */
import type { MiniProgramPlatform } from '@openrun/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getAccessToken } from '../../domain/access-tokens.js';
import { AccessTokenReply, RequiredParam } from './schemas.js';

const Query = Type.Object({ grant_type: RequiredParam, appid: RequiredParam, secret: RequiredParam });

/** Registers the token endpoint at `path` for `platform`. */
export const tokenRoute: FastifyPluginAsyncTypebox<{ platform: MiniProgramPlatform; path: string }> = async (app, { platform, path }) => {
  app.get(
    path,
    {
      schema: { querystring: Query, response: { 200: AccessTokenReply } },
      config: {
        operation: `GET ${app.prefix}${path}`,
        paramErrors: { grant_type: 'INVALID_GRANT_TYPE', appid: 'APPID_MISSING', secret: 'APPSECRET_MISSING' },
      },
    },
    async (request) => getAccessToken(app.openrun, platform, request.query),
  );
};
