/**
 * Control API: `POST /users/{id}/steps/import` streams a step file into a user's history — CSV (`date,steps`), JSON
 * (days `{"date","steps"}` in any array or JSON Lines) or an Apple Health `export.xml` (step samples summed per China
 * day). The body is read as a stream, never buffered; any bad row fails the whole import and writes nothing.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { OpenRunApiError } from '../../domain/errors.js';
import { importSteps, type StepImportFormat } from '../../domain/step-import/import-steps.js';
import { UserParams } from './schemas.js';

const ImportQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('json'), Type.Literal('apple-health')])),
    /** Apple Health: the sources to count, highest priority first, comma-separated ("Apple Watch,iPhone"). */
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  },
  { additionalProperties: false },
);
const ImportReply = Type.Object({
  rows: Type.Integer(),
  days: Type.Integer(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  sources: Type.Optional(Type.Array(Type.Object({ name: Type.String(), samples: Type.Integer() }))),
});

function formatOf(explicit: StepImportFormat | undefined, contentType: string | undefined): StepImportFormat {
  if (explicit) return explicit;
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/json' || type === 'application/x-ndjson' || type === 'application/jsonl') return 'json';
  if (type === 'application/xml' || type === 'text/xml') return 'apple-health';
  throw new OpenRunApiError('VALIDATION', `say which format the body is: ?format=csv|json|apple-health or a content-type (got "${type}")`);
}

/** Registers the import route, in its own scope so its body is a stream. */
export const stepsImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  app.post(
    '/users/:id/steps/import',
    { schema: { params: UserParams, querystring: ImportQuery, response: { 200: ImportReply } } },
    async (request) =>
      importSteps(
        app.openrun,
        request.params.id,
        formatOf(request.query.format, request.headers['content-type']),
        request.raw,
        request.query.source === undefined ? {} : { sources: request.query.source.split(',').map((s) => s.trim()).filter((s) => s !== '') },
      ),
  );
};
