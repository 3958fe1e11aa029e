/**
 * Control API: POST /reset forgets every app, user, history, grant, code, token, cloudID, fault and logged request.
 * The stores are emptied as an import of nothing: one transaction, in slices, so a big store does not stall the platform.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Registers reset. */
export const resetRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/reset', async (_request, reply) => {
    await app.openrun.state.replaceState([]);
    app.faults.clear();
    app.requestLog.clear();
    return reply.code(204).send();
  });
};
