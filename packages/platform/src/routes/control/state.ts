/**
 * Control API: the whole state as one JSON document, streamed both ways. `GET /export` writes it from a snapshot
 * (memory flat, other requests answered meanwhile); `POST /import` reads it as it arrives, checks every record and
 * replaces the state (durable and ephemeral) in one transaction — all or nothing — and says how many records of each
 * kind it wrote. Export, reset, import gives an identical export.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { byteChunks } from '../../domain/state-stream/byte-chunks.js';
import { StateDocument } from '../../domain/state-document.js';
import { importStateStream, streamState } from '../../domain/state-transfer.js';
import { MAX_JSON_DEPTH } from '../shared/json-body.js';

const ImportReply = Type.Object({
  imported: Type.Object({
    app: Type.Integer(), user: Type.Integer(), appUser: Type.Integer(), loginCode: Type.Integer(), accessToken: Type.Integer(),
    cloudId: Type.Integer(), counter: Type.Integer(),
  }),
});

/** Registers export and import, in their own scope so that the import body is a stream. */
export const stateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));
  app.get('/export', { schema: { response: { 200: StateDocument } } }, async (_request, reply) => {
    const body = Readable.from(byteChunks(streamState(app.openrun)), { objectMode: false });
    // A stream is sent as it is (the schema documents what it carries).
    return reply.type('application/json; charset=utf-8').send(body as never);
  });
  app.post(
    '/import',
    // The body schema documents the document in the OpenAPI file; the import checks it itself as it streams in.
    { attachValidation: true, schema: { body: StateDocument, response: { 200: ImportReply } } },
    async (request) => {
      request.raw.setEncoding('utf8');
      return { imported: await importStateStream(app.openrun, request.raw as AsyncIterable<string>, MAX_JSON_DEPTH) };
    },
  );
};
