/**
 * Listens, and turns the errors a user meets at `listen` (a port in use, a port that needs root, an address this
 * machine does not have) into messages that name the port and the fix. The platform is closed on failure.
 */
import type { FastifyInstance } from 'fastify';

/** Where to listen, and the option and variable that set the port (named in the messages). */
export interface ListenTarget {
  host: string;
  port: number;
  option: string;
  variable: string;
}

/** Runs `listen`; on failure closes `app` and throws `[openrun] …` naming the port, the option and the variable. */
export async function listenOrExplain(app: FastifyInstance, where: ListenTarget, listen: () => Promise<string>): Promise<string> {
  try {
    return await listen();
  } catch (error) {
    await app.close();
    const code = (error as NodeJS.ErrnoException).code;
    const other = where.port === 65535 ? where.port - 1 : where.port + 1;
    if (code === 'EADDRINUSE') {
      throw new Error(
        `[openrun] port ${where.port} on ${where.host} is already in use (another "openrun start"?). ` +
          `Pick another with ${where.option} ${other} or ${where.variable}=${other}, or ${where.option} 0 for any free port.`,
      );
    }
    if (code === 'EACCES') {
      throw new Error(`[openrun] port ${where.port} needs more privileges than this user has: use a port above 1023 with ${where.option}, or ${where.option} 0.`);
    }
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      throw new Error(`[openrun] cannot listen on ${where.host}: this machine has no such address. Use --host 127.0.0.1 (or OPENRUN_HOST).`);
    }
    throw error;
  }
}
