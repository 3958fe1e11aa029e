/**
 * Control API: the whole state as one JSON document. `GET /export` writes it; `POST /import` checks all of it and
 * then replaces the whole state in one all-or-nothing step. Export, reset, import gives an identical export.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { StateDocument } from '../../domain/state-document.js';
import { exportState, importState } from '../../domain/state-transfer.js';

/** Largest state document accepted by import. */
const IMPORT_BODY_LIMIT = 1024 * 1024 * 1024;

/** Registers export and import. */
export const stateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/export', { schema: { response: { 200: StateDocument } } }, async () => exportState(app.openrun));
  app.post('/import', { bodyLimit: IMPORT_BODY_LIMIT, schema: { body: StateDocument } }, async (request, reply) => {
    await importState(app.openrun, request.body);
    return reply.code(204).send();
  });
};
