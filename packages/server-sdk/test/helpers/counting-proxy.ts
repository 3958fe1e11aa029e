/** A loopback HTTP proxy in front of the platform that counts requests per `METHOD /path` and can slow some down. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running counting proxy. */
export interface CountingProxy {
  baseUrl: string;
  /** How many requests `METHOD /path` (query excluded) received. */
  count(route: string): number;
  close(): Promise<void>;
}

/** Starts a proxy to `upstream`; requests to routes in `delays` wait that many ms before being forwarded. */
export async function startCountingProxy(upstream: string, delays: Record<string, number> = {}): Promise<CountingProxy> {
  const counts = new Map<string, number>();
  const server = createServer((req, res) => {
    const route = `${req.method} ${(req.url ?? '/').split('?')[0]}`;
    counts.set(route, (counts.get(route) ?? 0) + 1);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      setTimeout(() => {
        const headers: Record<string, string> = {};
        if (req.headers['content-type']) headers['content-type'] = req.headers['content-type'];
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        fetch(`${upstream}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) })
          .then(async (reply) => {
            res.writeHead(reply.status, { 'content-type': reply.headers.get('content-type') ?? 'application/json' });
            res.end(Buffer.from(await reply.arrayBuffer()));
          })
          .catch(() => {
            res.destroy();
          });
      }, delays[route] ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    count: (route) => counts.get(route) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
