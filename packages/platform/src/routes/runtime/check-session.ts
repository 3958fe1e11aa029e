/**
 * POST /openrun/runtime/v1/apps/{appid}/check-session — wx.checkSession. @see PROTOCOL.md §3
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requireRuntimeCaller } from '../../domain/runtime-caller.js';
import { checkSession } from '../../domain/sessions.js';
import { bearerToken } from '../shared/openrun-personality.js';
import { AppParams, EmptyReply } from './schemas.js';

/** Registers check-session. */
export const checkSessionRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/apps/:appid/check-session',
    {
      schema: { params: AppParams, response: { 200: EmptyReply } },
      config: { operation: `POST ${app.prefix}/apps/:appid/check-session`, api: 'checkSession' },
    },
    async (request) => {
      const caller = await requireRuntimeCaller(app.openrun, request.params.appid, bearerToken(request.headers.authorization));
      await checkSession(app.openrun, caller.app, caller.user);
      return {};
    },
  );
};
