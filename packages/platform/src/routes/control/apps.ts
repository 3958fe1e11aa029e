/**
 * Control API: apps. `POST /apps` registers a WeChat (`weapp`) or QQ (`qq`) mini program with generated credentials;
 * `PATCH /apps/{appid}` changes its name, cloud development, base-library version or open-platform account.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { createApp, findAppOr404, updateApp } from '../../domain/apps.js';
import { AppView, appView } from './schemas.js';

const AppSettings = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  cloud: Type.Optional(Type.Boolean()),
  baseLibVersion: Type.Optional(Type.String({ pattern: '^\\d+(\\.\\d+){0,3}$' })),
  openPlatformId: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()])),
};
const NewAppBody = Type.Object(
  { platform: Type.Union([Type.Literal('weapp'), Type.Literal('qq')]), ...AppSettings },
  { additionalProperties: false },
);
const AppPatchBody = Type.Object(AppSettings, { additionalProperties: false });
const AppParams = Type.Object({ appid: Type.String({ maxLength: 64 }) });

/** Registers the app routes. */
export const appsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/apps', { schema: { body: NewAppBody, response: { 201: AppView } } }, async (request, reply) => {
    reply.code(201);
    return appView(await createApp(app.openrun, request.body));
  });
  app.get('/apps', { schema: { response: { 200: Type.Object({ apps: Type.Array(AppView) }) } } }, async () => ({
    apps: (await app.openrun.durable.listApps()).map(appView),
  }));
  app.get(
    '/apps/:appid',
    { schema: { params: AppParams, response: { 200: AppView } } },
    async (request) => appView(await findAppOr404(app.openrun, request.params.appid)),
  );
  app.patch('/apps/:appid', { schema: { params: AppParams, body: AppPatchBody, response: { 200: AppView } } }, async (request) =>
    appView(await updateApp(app.openrun, request.params.appid, request.body)),
  );
};
