/**
 * Starts a built platform on a port and reports where it listens.
 */
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';

/** Listens on `host:port` (port 0 picks a free one) and returns the base URL. */
export async function listenPlatform(app: FastifyInstance, options: { host: string; port: number }): Promise<string> {
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** Listens for HTTPS (the same app, routed by SNI/Host) on `host:port` and returns its base URL. */
export function listenPlatformTls(app: FastifyInstance, options: { host: string; port: number }): Promise<string> {
  return app.tlsGateway.listen(options);
}
