/**
 * Control API: `GET /live` lists the login codes, access tokens and cloudIDs still alive on the platform clock, with
 * the milliseconds each has left. It only reads.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listLiveRecords } from '../../domain/live-records.js';

const Left = { expiresAt: Type.Integer(), remainingMs: Type.Integer() };
const LiveView = Type.Object({
  now: Type.Integer(),
  loginCodes: Type.Array(Type.Object({ code: Type.String(), appid: Type.String(), userId: Type.String(), used: Type.Boolean(), ...Left })),
  accessTokens: Type.Array(
    Type.Object({
      token: Type.String(),
      appid: Type.String(),
      kind: Type.Union([Type.Literal('normal'), Type.Literal('stable')]),
      supersededUntil: Type.Union([Type.Integer(), Type.Null()]),
      ...Left,
    }),
  ),
  cloudIds: Type.Array(Type.Object({ cloudId: Type.String(), appid: Type.String(), openid: Type.String(), ...Left })),
});

/** Registers the live-records route. */
export const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/live', { schema: { response: { 200: LiveView } } }, async () => listLiveRecords(app.openrun));
};
