/**
 * Control API: the remembered authorization of a user in an app, by the platform's own scope name (`scope.werun` for
 * WeChat apps, `scope.qqrun` for QQ apps): `true` granted, `false` refused earlier (the API fails at once with the
 * -12006 text), `null` never asked (the next call shows the dialog, answered with the user's `promptAnswer`).
 * `GET /apps/{appid}/users` pages through the app's users (openid, logged in or not) with their grants (`limit`, `cursor`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { findAppOr404 } from '../../domain/apps.js';
import { getSetting, setGrants } from '../../domain/grants.js';
import { nextCursorOf, readPageQuery } from '../../domain/page-cursor.js';
import { requireUser } from '../../domain/users.js';
import { NextCursor, PageQuery } from './schemas.js';

const Params = Type.Object({ appid: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) });
const Changes = Type.Record(Type.String({ maxLength: 64 }), Type.Union([Type.Boolean(), Type.Null()]));
const Reply = Type.Object({ authSetting: Type.Record(Type.String(), Type.Boolean()) });
const AppUserView = Type.Object({
  userId: Type.String(),
  openid: Type.String(),
  unionid: Type.Union([Type.String(), Type.Null()]),
  loggedIn: Type.Boolean(),
  authSetting: Type.Record(Type.String(), Type.Boolean()),
});
/** A user of an app, with the grants, as `GET /apps/{appid}/users` shows it. */
export type AppUserView = Static<typeof AppUserView>;
const AppUsersReply = Type.Object({ appUsers: Type.Array(AppUserView), nextCursor: NextCursor });

/** Registers the grant routes. */
export const grantsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/apps/:appid/users',
    { schema: { params: Type.Object({ appid: Type.String({ maxLength: 64 }) }), querystring: PageQuery, response: { 200: AppUsersReply } } },
    async (request) => {
      const target = await findAppOr404(app.openrun, request.params.appid);
      const page = await app.openrun.durable.listAppUsers(target.appid, readPageQuery('app users', request.query, target.appid));
      return {
        appUsers: page.items.map((u) => ({ userId: u.userId, openid: u.openid, unionid: u.unionid, loggedIn: u.sessionKey !== null, authSetting: u.grants })),
        ...nextCursorOf('app users', page.next, target.appid),
      };
    },
  );
  app.put('/apps/:appid/users/:id/grants', { schema: { params: Params, body: Changes, response: { 200: Reply } } }, async (request) => {
    const target = await findAppOr404(app.openrun, request.params.appid);
    const user = await requireUser(app.openrun, request.params.id);
    return { authSetting: await setGrants(app.openrun, target, user, request.body) };
  });
  app.get('/apps/:appid/users/:id/grants', { schema: { params: Params, response: { 200: Reply } } }, async (request) => {
    const target = await findAppOr404(app.openrun, request.params.appid);
    const user = await requireUser(app.openrun, request.params.id);
    return { authSetting: await getSetting(app.openrun, target, user) };
  });
};
