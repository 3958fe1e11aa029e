/**
 * Stopping the platform while a keep-alive client's call is in flight: the call gets its reply, then the connection is
 * ended and `close()` resolves, instead of waiting on the idle connection for the client or the 72 s keep-alive
 * timeout (how `openrun start` stopped with Ctrl-C, or the dashboard tests' `app.close()` after a favicon fetch, hung).
 */
import { request, Agent, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { buildPlatform, listenPlatform } from '@openrun/platform';
import { afterEach, expect, it } from 'vitest';

const agent = new Agent({ keepAlive: true });
afterEach(() => agent.destroy());

it('close() lets a call in flight on a keep-alive connection finish, then ends that connection and resolves', async () => {
  const app = buildPlatform({ memory: true });
  const { port } = new URL(await listenPlatform(app, { host: '127.0.0.1', port: 0 }));
  try {
    const arrived = new Promise<void>((resolve) => app.server.once('request', () => resolve()));
    const body = JSON.stringify({ nickname: 'Late Walker' });
    const call = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/openrun/control/v1/users',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    const socket = new Promise<Socket>((resolve) => call.once('socket', resolve));
    const replied = new Promise<{ status: number; text: string }>((resolve, reject) => {
      call.once('response', (res: IncomingMessage) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      call.once('error', reject);
    });
    // Half the body now: the call is in flight (its connection busy) when the close begins.
    call.write(body.slice(0, 10));
    await arrived;
    const closed = app.close().then(() => 'closed');
    // The rest once Node's server.close() has run (it stops listening at once): its sweep of idle connections is over.
    while (app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    call.end(body.slice(10));
    const reply = await replied;
    expect(reply.status).toBe(201);
    expect(JSON.parse(reply.text)).toMatchObject({ nickname: 'Late Walker' });
    const ended = new Promise<string>((resolve) => void socket.then((s) => (s.destroyed ? resolve('ended') : s.once('close', () => resolve('ended')))));
    // A hang bound, far below the 72 s keep-alive timeout the close would otherwise wait out.
    const waited = (what: string) => new Promise<string>((resolve) => setTimeout(() => resolve(`${what} still waiting after 10 s`), 10_000).unref());
    expect(await Promise.race([ended, waited('the connection')])).toBe('ended');
    expect(await Promise.race([closed, waited('close()')])).toBe('closed');
  } finally {
    app.server.closeAllConnections();
  }
});
