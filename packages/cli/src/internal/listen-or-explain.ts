/**
 * Listens, and turns the errors a user meets at `listen` (a port in use, a port that needs root, an address this
 * machine does not have) into messages that name the port and the fix. The platform is closed on failure.
 */
import { listenPlatform } from '@openrun/platform';
import type { FastifyInstance } from 'fastify';

/** Listens on `host:port` and returns the base URL; on failure closes `app` and throws `[openrun] …`. */
export async function listenOrExplain(app: FastifyInstance, where: { host: string; port: number }): Promise<string> {
  try {
    return await listenPlatform(app, where);
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    const other = where.port === 65535 ? where.port - 1 : where.port + 1;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `[openrun] port ${where.port} on ${where.host} is already in use (another "openrun start"?). ` +
          `Pick another with --port ${other} or OPENRUN_PORT=${other}, or --port 0 for any free port.`,
      );
    }
    if (code === 'EACCES') {
      throw new Error(`[openrun] port ${where.port} needs more privileges than this user has: use a port above 1023 (the default is 9527) or --port 0.`);
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new Error(`[openrun] cannot listen on ${where.host}: this machine has no such address. Use --host 127.0.0.1 (or OPENRUN_HOST).`);
    }
    throw error;
  }
}

