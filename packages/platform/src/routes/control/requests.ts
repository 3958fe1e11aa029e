/**
 * Control API: the request log. `GET /requests` lists recent calls of the platform routes, newest first, secrets
 * redacted; filter by `route` ("GET /sns/jscode2session"), `status`, `since`/`until` (ISO-8601 or epoch ms on the
 * platform clock) and `limit`. `DELETE /requests` empties it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OpenRunApiError } from '../../domain/errors.js';

const Query = Type.Object(
  {
    route: Type.Optional(Type.String({ maxLength: 200 })),
    status: Type.Optional(Type.String({ pattern: '^\\d{1,3}$' })),
    since: Type.Optional(Type.String({ maxLength: 40 })),
    until: Type.Optional(Type.String({ maxLength: 40 })),
    limit: Type.Optional(Type.String({ pattern: '^\\d{1,5}$' })),
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
});

function instant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new OpenRunApiError('VALIDATION', `${name}="${value}" is not an ISO-8601 instant or epoch milliseconds`);
  return ms;
}

/** Registers the request-log routes. */
export const requestsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/requests', { schema: { querystring: Query, response: { 200: Type.Object({ requests: Type.Array(Entry) }) } } }, async (request) => {
    const q = request.query;
    const since = instant('since', q.since);
    const until = instant('until', q.until);
    const entries = await app.requestLog.list({
      ...(q.route !== undefined ? { route: q.route } : {}),
      ...(q.status !== undefined ? { status: Number(q.status) } : {}),
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(q.limit !== undefined ? { limit: Number(q.limit) } : {}),
    });
    return { requests: entries.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) };
  });
  app.delete('/requests', async (_request, reply) => {
    await app.requestLog.clear();
    return reply.code(204).send();
  });
};
