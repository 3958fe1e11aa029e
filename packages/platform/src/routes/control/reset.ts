/**
 * Control API: POST /reset forgets every app, user, history, grant, code, token, cloudID, fault and logged request.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Registers reset. */
export const resetRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/reset', async (_request, reply) => {
    await app.openrun.ephemeral.reset();
    await app.openrun.durable.reset();
    app.faults.clear();
    app.requestLog.clear();
    return reply.code(204).send();
  });
};
