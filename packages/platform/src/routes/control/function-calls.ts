/**
 * Control API: the cloud-function call log. `GET /functions/calls` lists the last 100 calls, newest first, each with
 * its console output, so a test or the dashboard can see what a function printed. Inspects only.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';

const LogLine = Type.Object({ level: Type.String(), text: Type.String() });
const CallRecord = Type.Object({
  requestId: Type.String(),
  name: Type.String(),
  appid: Type.String(),
  source: Type.String(),
  ok: Type.Boolean(),
  failure: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  logs: Type.Array(LogLine),
});
const Reply = Type.Object({ functions: Type.Array(Type.String()), calls: Type.Array(CallRecord) });

/** Registers the call log route. */
export const functionCallsRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/functions/calls', { schema: { response: { 200: Reply } } }, async () => ({
    functions: app.functions.list(),
    calls: await app.functions.recentCalls(),
  }));
};
