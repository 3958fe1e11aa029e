/**
 * POST /openrun/runtime/v1/apps/{appid}/prompt — the user's answer in the consent dialog the device showed (users
 * whose `promptAnswer` is `ask`). OpenRun-only: on a phone the WeChat app records the answer itself. @see PROTOCOL.md §4
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { answerPrompt } from '../../domain/grants.js';
import { requireRuntimeCaller } from '../../domain/runtime-caller.js';
import { bearerToken } from '../shared/openrun-personality.js';
import { AppParams } from './schemas.js';

const Body = Type.Object({
  scope: Type.String({ minLength: 1, maxLength: 64 }),
  answer: Type.Union([Type.Literal('accept'), Type.Literal('deny')]),
});

const Reply = Type.Object({ scope: Type.String(), granted: Type.Boolean() });

/** Registers prompt. */
export const promptRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/apps/:appid/prompt',
    {
      schema: { params: AppParams, body: Body, response: { 200: Reply } },
      config: { operation: `POST ${app.prefix}/apps/:appid/prompt`, api: 'authorize' },
    },
    async (request) => {
      const caller = await requireRuntimeCaller(app.openrun, request.params.appid, bearerToken(request.headers.authorization));
      return answerPrompt(app.openrun, caller.app, caller.user, request.body.scope, request.body.answer);
    },
  );
};
