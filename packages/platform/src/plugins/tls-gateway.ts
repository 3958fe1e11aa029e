/**
 * The platform's TLS side, registered once at the root: the local CA (opened on first use), the HTTPS server that
 * serves the same Fastify app for `--tls-port` and for CONNECT tunnels (certificate chosen by SNI, unknown names
 * refused in the handshake), and the `connect` handler of the platform port.
 * @see ARCHITECTURE.md §3.6a
 */
import { createServer, type Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { createSecureContext, type SecureContext } from 'node:tls';
import fp from 'fastify-plugin';
import { handleConnect, IDLE_TUNNEL_MS } from '../tls/connect-tunnel.js';
import { openLocalCa, type LocalCa } from '../tls/local-ca.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The local CA, the HTTPS server and the TLS port. */
    tlsGateway: TlsGateway;
  }
}

/** What the TLS plugin decorates. */
export interface TlsGateway {
  /** The local CA (created on the first call; kept in `<data>/tls` unless the platform runs in memory). */
  ca(): Promise<LocalCa>;
  /** The HTTPS server (listening only after `listen`; tunnels use it either way). */
  readonly server: HttpsServer;
  /** Listens for HTTPS on `host:port` (0 picks a free port) and returns its base URL. */
  listen(options: { host: string; port: number }): Promise<string>;
  /** The TLS port, once listening. */
  port(): number | undefined;
}

/** Registers the TLS gateway on the root instance. */
export const tlsGateway = fp(
  async function tlsGateway(app) {
    const config = app.openrun.config;
    let ca: Promise<LocalCa> | undefined;
    const getCa = (): Promise<LocalCa> => (ca ??= openLocalCa(config.memory ? undefined : join(config.dataDir, 'tls')));
    const contexts = new Map<string, Promise<SecureContext>>();
    const contextFor = (name: string): Promise<SecureContext> => {
      let context = contexts.get(name);
      if (!context) {
        context = getCa().then((c) => c.issue(name)).then((identity) => createSecureContext(identity));
        context.catch(() => contexts.delete(name));
        contexts.set(name, context);
      }
      return context;
    };
    const server = createServer(
      {
        handshakeTimeout: IDLE_TUNNEL_MS,
        ALPNProtocols: ['http/1.1'],
        SNICallback: (servername, done) => {
          contextFor(servername.toLowerCase()).then((context) => done(null, context), (error: Error) => done(error));
        },
      },
      (req, res) => app.routing(req, res),
    );
    server.keepAliveTimeout = app.server.keepAliveTimeout;
    // A refused name or a client that does not trust the CA ends its handshake; nothing to log per connection.
    server.on('tlsClientError', (_error, socket) => socket.destroy());
    const open = new Set<Duplex>();
    app.server.on('connect', (req, socket: Duplex, head: Buffer) => handleConnect(req, socket, head, { http: app.server, https: server, open }));

    const gateway: TlsGateway = {
      ca: getCa,
      server,
      async listen({ host, port }) {
        // Clients that send no SNI (an IP address) get the loopback certificate.
        server.setSecureContext(await (await getCa()).loopbackIdentity());
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen({ host, port }, () => {
            server.off('error', reject);
            resolve();
          });
        });
        const address = server.address() as AddressInfo;
        return `https://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
      },
      port: () => (server.listening ? (server.address() as AddressInfo).port : undefined),
    };
    app.decorate('tlsGateway', gateway);
    app.addHook('preClose', async () => {
      for (const socket of open) socket.destroy();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    });
  },
  { name: 'openrun-tls-gateway', dependencies: ['openrun-platform-context'] },
);
