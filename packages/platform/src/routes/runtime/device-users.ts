/**
 * GET /openrun/runtime/v1/apps/{appid}/users — the users a page may switch to (OpenRun-only: a phone has one owner).
 * 401 where the platform needs a control token.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listDeviceUsers } from '../../domain/device-users.js';
import { requireRuntimeCaller } from '../../domain/runtime-caller.js';
import { bearerToken } from '../shared/openrun-personality.js';
import { AppParams } from './schemas.js';

const Reply = Type.Object({
  users: Type.Array(Type.Object({ id: Type.String(), nickname: Type.String(), deviceToken: Type.String() })),
  truncated: Type.Boolean(),
});

/** Registers the device users list. */
export const deviceUsersRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/apps/:appid/users',
    {
      schema: { params: AppParams, response: { 200: Reply } },
      config: { operation: `GET ${app.prefix}/apps/:appid/users` },
    },
    async (request) => {
      const caller = await requireRuntimeCaller(app.openrun, request.params.appid, bearerToken(request.headers.authorization));
      return listDeviceUsers(app.openrun, caller.user);
    },
  );
};
