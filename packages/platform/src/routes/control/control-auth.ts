/**
 * Who may use the control API: a caller with the control token, or anyone when the platform is known to listen on
 * loopback addresses only. "Known" means decided from the addresses the server is bound to, never from the host name
 * it was given; until it listens (a platform driven through `inject`) the token is required.
 */
import { secretsEqual } from '@openrun/core/cipher';
import type { FastifyInstance } from 'fastify';
import { isLoopbackAddress } from '../../config.js';
import { OpenRunApiError } from '../../domain/errors.js';
import { bearerToken } from '../shared/openrun-personality.js';

/** True when `app` is listening and every address it is bound to is a loopback address. */
export function listensOnLoopbackOnly(app: FastifyInstance): boolean {
  if (!app.server.listening) return false;
  const addresses = app.addresses();
  return addresses.length > 0 && addresses.every((a) => typeof a !== 'string' && isLoopbackAddress(a.address));
}

/** Adds the control-token check to the control API scope `app`. */
export function requireControlAccess(app: FastifyInstance): void {
  const { requireControlToken, controlToken } = app.openrun.config;
  app.addHook('onRequest', async (request) => {
    if (!requireControlToken && listensOnLoopbackOnly(app)) return;
    const token = bearerToken(request.headers.authorization);
    if (!controlToken) {
      throw new OpenRunApiError(
        'UNAUTHENTICATED_CONTROL',
        'this platform has no control token and is not known to listen on loopback only: build it with controlToken (or OPENRUN_CONTROL_TOKEN) and send "Authorization: Bearer <token>"',
      );
    }
    // The token in force is the store's (the same on every instance on it), read per call.
    const inForce = token ? await app.openrun.durable.getControlToken() : undefined;
    if (!token || !inForce || !secretsEqual(inForce, token)) {
      throw new OpenRunApiError('UNAUTHENTICATED_CONTROL', 'send "Authorization: Bearer <control token>" (printed by openrun start)');
    }
  });
}
