/**
 * Control API: the request log. `GET /requests` lists recent calls of the platform routes, newest first, secrets
 * redacted; filter by `route` ("GET /sns/jscode2session"), `status`, `since`/`until` (ISO-8601 or epoch ms on the
 * platform clock), paged with `limit` (default 100, at most 1,000) and `cursor`. `DELETE /requests` empties it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { OpenRunApiError } from '../../domain/errors.js';
import { nextCursorOf, readPageQuery } from '../../domain/page-cursor.js';
import { NextCursor, PageQuery } from './schemas.js';

const Query = Type.Object(
  {
    route: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Type.String({ pattern: '^\\d{1,3}$' })),
    since: Type.Optional(Type.String({ maxLength: 40 })),
    until: Type.Optional(Type.String({ maxLength: 40 })),
    ...PageQuery.properties,
  },
  { additionalProperties: false },
);
const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  route: Type.String(),
  method: Type.String(),
  url: Type.String(),
  status: Type.Integer(),
  errcode: Type.Union([Type.Integer(), Type.String(), Type.Null()]),
  durationMs: Type.Number(),
  faultId: Type.Union([Type.String(), Type.Null()]),
  requestBody: Type.Union([Type.String(), Type.Null()], { description: 'sensitive values redacted, cut at 4096 characters' }),
  responseBody: Type.Union([Type.String(), Type.Null()], { description: 'sensitive values redacted, cut at 4096 characters' }),
});
/** One request-log entry as `GET /requests` shows it. */
export type RequestLogView = Static<typeof Entry>;

function instant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new OpenRunApiError('VALIDATION', `${name}="${value}" is not an ISO-8601 instant or epoch milliseconds`);
  return ms;
}

/** Registers the request-log routes. */
export const requestsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const Reply = Type.Object({ requests: Type.Array(Entry), nextCursor: NextCursor });
  app.get('/requests', { schema: { querystring: Query, response: { 200: Reply } } }, async (request) => {
    const q = request.query;
    const since = instant('since', q.since);
    const until = instant('until', q.until);
    const filters = JSON.stringify([q.route, q.status, since, until]);
    const page = readPageQuery('requests', q, filters);
    const entries = await app.requestLog.list({
      ...(q.route !== undefined ? { route: q.route } : {}),
      ...(q.status !== undefined ? { status: Number(q.status) } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(page.after !== undefined ? { beforeSeq: /^\d{1,15}$/.test(page.after) ? Number(page.after) : 0 } : {}),
      limit: page.limit + 1,
    });
    const kept = entries.slice(0, page.limit);
    const next = entries.length > page.limit ? String(kept[kept.length - 1]!.seq) : undefined;
    return { requests: kept.map((e) => ({ ...e, requestBody: e.requestBody ?? null, responseBody: e.responseBody ?? null, at: new Date(e.at).toISOString() })), ...nextCursorOf('requests', next, filters) };
  });
  app.delete('/requests', async (_request, reply) => {
    await app.requestLog.clear();
    return reply.code(204).send();
  });
};
