/**
 * POST /openrun/runtime/v1/apps/{appid}/login — wx.login / qq.login: a single-use 5-minute code; may rotate the
 * session_key (never returned here). @see PROTOCOL.md §2
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireRuntimeCaller } from '../../domain/runtime-caller.js';
import { login } from '../../domain/sessions.js';
import { bearerToken } from '../shared/openrun-personality.js';
import { AppParams } from './schemas.js';

/** Registers login. */
export const loginRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/apps/:appid/login',
    {
      schema: { params: AppParams, response: { 200: Type.Object({ code: Type.String() }) } },
      config: { operation: `POST ${app.prefix}/apps/:appid/login`, api: 'login' },
    },
    async (request) => {
      const caller = await requireRuntimeCaller(app.openrun, request.params.appid, bearerToken(request.headers.authorization));
      return login(app.openrun, caller.app, caller.user);
    },
  );
};
