/**
 * GET /sns/jscode2session (api.weixin.qq.com; QQ: api.q.qq.com, here under /qq): exchanges a login code once.
 * @see PROTOCOL.md §8. Success bodies carry no errcode, as the real host's do today.
 */
import type { MiniProgramPlatform } from '@openrun/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { code2Session } from '../../domain/sessions.js';
import { RequiredParam } from './schemas.js';

const Query = Type.Object({ appid: RequiredParam, secret: RequiredParam, js_code: RequiredParam, grant_type: RequiredParam });
const Reply = Type.Object({ session_key: Type.String(), openid: Type.String(), unionid: Type.Optional(Type.String()) });

/** Registers jscode2session for `platform`. */
export const jscode2sessionRoute: FastifyPluginAsyncTypebox<{ platform: MiniProgramPlatform }> = async (app, { platform }) => {
  // The real host reads only the query, whatever the method: a POST body counts as missing parameters (41002).
  app.route({
    method: ['GET', 'POST'],
    url: '/sns/jscode2session',
    schema: { querystring: Query, response: { 200: Reply } },
    config: {
      operation: `GET ${app.prefix}/sns/jscode2session`,
      paramErrors: { appid: 'APPID_MISSING', secret: 'APPSECRET_MISSING', js_code: 'CODE_MISSING', grant_type: 'INVALID_GRANT_TYPE' },
    },
    handler: async (request) => code2Session(app.openrun, platform, request.query),
  });
};
