/**
 * Control API: a user's session in an app. GET shows openid and the current session_key; `rotate` replaces the key
 * now (whatever the minimum rotation period), `expire` ends the session now so checkSession fails until a new login.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expireSessionNow, getSession, rotateSessionNow } from '../../domain/session-control.js';
import type { AppUserRecord } from '../../stores/records.js';

const Params = Type.Object({ appid: Type.String({ maxLength: 64 }), id: Type.String({ maxLength: 64 }) });
const SessionView = Type.Object({
  appid: Type.String(),
  userId: Type.String(),
  openid: Type.String(),
  unionid: Type.Union([Type.String(), Type.Null()]),
  sessionKey: Type.Union([Type.String(), Type.Null()]),
  sessionRotatedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

const view = (s: AppUserRecord) => ({ ...s, sessionRotatedAt: s.sessionRotatedAt === null ? null : new Date(s.sessionRotatedAt).toISOString() });

/** Registers the session routes. */
export const sessionsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const schema = { params: Params, response: { 200: SessionView } };
  app.get('/apps/:appid/users/:id/session', { schema }, async (request) =>
    view(await getSession(app.openrun, request.params.appid, request.params.id)),
  );
  app.post('/apps/:appid/users/:id/session/rotate', { schema }, async (request) =>
    view(await rotateSessionNow(app.openrun, request.params.appid, request.params.id)),
  );
  app.post('/apps/:appid/users/:id/session/expire', { schema }, async (request) =>
    view(await expireSessionNow(app.openrun, request.params.appid, request.params.id)),
  );
};
