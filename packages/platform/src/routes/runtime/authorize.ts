/**
 * POST /openrun/runtime/v1/apps/{appid}/authorize — wx.authorize({scope}). @see PROTOCOL.md §4
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authorize } from '../../domain/grants.js';
import { requireRuntimeCaller } from '../../domain/runtime-caller.js';
import { bearerToken } from '../shared/openrun-personality.js';
import { AppParams, EmptyReply } from './schemas.js';

const Body = Type.Object({ scope: Type.String({ minLength: 1, maxLength: 64 }) });

/** Registers authorize. */
export const authorizeRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/apps/:appid/authorize',
    {
      schema: { params: AppParams, body: Body, response: { 200: EmptyReply } },
      config: { operation: `POST ${app.prefix}/apps/:appid/authorize`, api: 'authorize' },
    },
    async (request) => {
      const caller = await requireRuntimeCaller(app.openrun, request.params.appid, bearerToken(request.headers.authorization));
      await authorize(app.openrun, caller.app, caller.user, request.body.scope);
      return {};
    },
  );
};
