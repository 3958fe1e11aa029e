/**
 * Control API: POST /reset forgets every app, user, history, grant, code, token, cloudID, fault and logged request.
 * On SQLite the stores are emptied as an import of nothing: one transaction, in slices, so a big store does not stall
 * the platform.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Registers reset. */
export const resetRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/reset', async (_request, reply) => {
    await app.requestLog.clear();
    await app.openrun.backend.reset();
    return reply.code(204).send();
  });
};
