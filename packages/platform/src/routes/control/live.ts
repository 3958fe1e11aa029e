/**
 * Control API: `GET /live` lists the login codes, access tokens and cloudIDs still alive on the platform clock, with
 * the milliseconds each has left, soonest expiry first: up to `limit` of each kind per page, and a `nextCursor` while any
 * kind has more. It only reads.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { listLiveRecords } from '../../domain/live-records.js';
import { nextCursorOf, readPageQuery } from '../../domain/page-cursor.js';
import { NextCursor, PageQuery } from './schemas.js';

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
  nextCursor: NextCursor,
});
/** The live records as `GET /live` shows them. */
export type LiveRecordsView = Static<typeof LiveView>;

/** Registers the live-records route. */
export const liveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/live', { schema: { querystring: PageQuery, response: { 200: LiveView } } }, async (request) => {
    const { next, ...live } = await listLiveRecords(app.openrun, readPageQuery('live', request.query));
    return { ...live, ...nextCursorOf('live', next) };
  });
};
