/**
 * OpenRun's TLS and proxy endpoints: `GET /openrun/ca.pem` (the local CA certificate, never its key),
 * `GET /openrun/tls` (what `openrun env` / `openrun exec` need: TLS port and served host names), and the refusal
 * of proxy requests for hosts OpenRun does not serve.
 * @see ARCHITECTURE.md §3.6a
 */
import { OPENRUN_ERRORS, type OpenRunErrorBody } from '@openrun/core';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { REFUSED_HOST_PATH } from '../../tls/route-by-host.js';
import { SERVED_HOST_PATTERNS } from '../../tls/served-hosts.js';

/** The reply of `GET /openrun/tls`. */
export const TlsInfo = Type.Object({
  caUrl: Type.String({ description: 'path of the CA certificate on this platform' }),
  tlsPort: Type.Union([Type.Integer(), Type.Null()], { description: 'the HTTPS port, or null when it does not listen' }),
  hosts: Type.Array(Type.String(), { description: 'the real host names served; `*.x` is any name under x' }),
});
/** The reply of `GET /openrun/tls`. */
export type TlsInfo = Static<typeof TlsInfo>;

/** Registers the TLS and proxy endpoints. */
export const tlsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/openrun/ca.pem', { schema: { hide: true }, config: { operation: 'GET /openrun/ca.pem' } }, async (_request, reply) => {
    const ca = await app.tlsGateway.ca();
    return reply.type('application/x-pem-file').header('cache-control', 'no-store').send(ca.certPem);
  });
  app.get(
    '/openrun/tls',
    { schema: { response: { 200: TlsInfo }, tags: ['openrun'] }, config: { operation: 'GET /openrun/tls' } },
    async () => ({ caUrl: '/openrun/ca.pem', tlsPort: app.tlsGateway.port() ?? null, hosts: [...SERVED_HOST_PATTERNS] }),
  );
  app.all(
    REFUSED_HOST_PATH,
    { schema: { hide: true, querystring: Type.Object({ host: Type.Optional(Type.String()) }) } },
    async (request, reply) => {
      const host = request.query.host ?? '(none)';
      const body: OpenRunErrorBody = {
        error: {
          code: OPENRUN_ERRORS.HOST_NOT_SERVED.code,
          message: `[openrun] proxy request for ${host} refused: OpenRun serves only ${SERVED_HOST_PATTERNS.join(', ')} and never forwards to the internet (add the host to NO_PROXY)`,
        },
      };
      return reply.code(OPENRUN_ERRORS.HOST_NOT_SERVED.status).type('application/json; charset=utf-8').send(JSON.stringify(body));
    },
  );
};
