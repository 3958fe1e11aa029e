/**
 * Control API: the cloud-function call log. `GET /functions/calls` lists the last 100 calls, newest first, each with
 * its console output, so a test or the dashboard can see what a function printed; paged with `limit` and `cursor`.
 * Inspects only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { nextCursorOf, readPageQuery } from '../../domain/page-cursor.js';
import { NextCursor, PageQuery } from './schemas.js';

const LogLine = Type.Object({ level: Type.String(), text: Type.String() });
const CallRecord = Type.Object({
  seq: Type.Integer(),
  requestId: Type.String(),
  name: Type.String(),
  appid: Type.String(),
  source: Type.String(),
  at: Type.String({ format: 'date-time' }),
  durationMs: Type.Number(),
  ok: Type.Boolean(),
  result: Type.Optional(Type.String({ description: 'the JSON of what main returned, cut at 4096 characters' })),
  failure: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  logs: Type.Array(LogLine),
});
const Reply = Type.Object({ functions: Type.Array(Type.String()), calls: Type.Array(CallRecord), nextCursor: NextCursor });

/** One cloud-function call as `GET /functions/calls` shows it. */
export type FunctionCallView = Static<typeof CallRecord>;

/** Registers the call log route. */
export const functionCallsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/functions/calls', { schema: { querystring: PageQuery, response: { 200: Reply } } }, async (request) => {
    const { limit, after } = readPageQuery('function calls', request.query);
    const before = after === undefined ? Infinity : /^\d{1,15}$/.test(after) ? Number(after) : 0;
    const older = (await app.functions.recentCalls()).filter((c) => c.seq < before);
    const calls = older.slice(0, limit).map((c) => ({ ...c, at: new Date(c.at).toISOString() }));
    const next = older.length > limit ? String(calls[calls.length - 1]!.seq) : undefined;
    return { functions: app.functions.list(), calls, ...nextCursorOf('function calls', next) };
  });
};
