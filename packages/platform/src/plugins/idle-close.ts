/**
 * `close()` lets the calls in flight finish without then waiting on their connections. Node's `server.close()` (which
 * Fastify's close calls) ends only the connections idle at that moment; a keep-alive connection whose call was still
 * running — a browser's favicon fetch, an SDK's pooled socket — goes idle just after and holds the close until the
 * client lets go or the keep-alive timeout (72 s) ends it (fastify/fastify#7044). So an `openrun start` stopped with
 * Ctrl-C, or a test's `app.close()`, could hang. Once the platform is closing, each reply that finishes ends the
 * connections that have gone idle.
 */
import fp from 'fastify-plugin';

/** Ends the connections that go idle while the platform is closing. */
export const idleClose = fp(
  async function idleClose(app) {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
    });
    // Node marks the reply's connection idle before this hook runs; a connection with another call pipelined is not.
    app.addHook('onResponse', (_request, _reply, done) => {
      if (closing) app.server.closeIdleConnections();
      done();
    });
  },
  { name: 'openrun-idle-close' },
);
