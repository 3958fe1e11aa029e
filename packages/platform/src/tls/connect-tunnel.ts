/**
 * `CONNECT host:port` on the platform port. For a served host the reply is `200 Connection established` and the
 * tunnel is ended here: TLS (first byte 0x16) goes to the platform's TLS server, plain HTTP to the platform's HTTP
 * server, both routed by host. Any other host gets an immediate `403` with a one-line reason; nothing is ever
 * tunnelled onwards. A tunnel that stays silent, sends garbage or half-closes before its first request is closed
 * within `IDLE_TUNNEL_MS`.
 * @see ARCHITECTURE.md §3.6a
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { hostnameOf, hostRoute, SERVED_HOST_PATTERNS } from './served-hosts.js';

/** How long a new tunnel may wait for its first bytes, and a TLS handshake may take. */
export const IDLE_TUNNEL_MS = 5000;

const TLS_HANDSHAKE = 0x16;

function refuse(socket: Duplex, status: string, reason: string): void {
  const body = `${reason}\n`;
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\nX-OpenRun-Refused: ${status.split(' ')[0]}\r\n\r\n${body}`,
  );
  // A client that never reads the refusal must not keep the socket.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** The servers a tunnel hands its connection to. */
export interface TunnelTargets {
  http: HttpServer;
  https: HttpsServer;
  /** Every open tunnel socket, so that closing the platform ends them. */
  open: Set<Duplex>;
}

/** Handles one CONNECT request (the `connect` event of the platform's HTTP server). */
export function handleConnect(req: IncomingMessage, socket: Duplex, head: Buffer, targets: TunnelTargets): void {
  socket.on('error', () => socket.destroy());
  const authority = req.url ?? '';
  if (!/^[^\s/?#]+:\d{1,5}$/.test(authority)) {
    refuse(socket, '400 Bad Request', `[openrun] CONNECT needs host:port, got "${authority.slice(0, 100)}"`);
    return;
  }
  const host = hostnameOf(authority);
  if (!hostRoute(host)) {
    refuse(
      socket,
      '403 Forbidden',
      `[openrun] CONNECT ${authority.slice(0, 300)} refused: OpenRun serves only ${SERVED_HOST_PATTERNS.join(', ')} and never tunnels to the internet (add the host to NO_PROXY)`,
    );
    return;
  }
  targets.open.add(socket);
  socket.once('close', () => targets.open.delete(socket));
  socket.write('HTTP/1.1 200 Connection established\r\n\r\n');
  const dispatch = (first: Buffer): void => {
    clearTimeout(timer);
    socket.off('end', onEarlyEnd);
    socket.pause();
    socket.unshift(first);
    const byte = first[0]!;
    if (byte === TLS_HANDSHAKE) targets.https.emit('connection', socket);
    else if (byte >= 0x41 && byte <= 0x5a) {
      // An HTTP method: the HTTP server reads the socket as a stream, so it must flow again.
      targets.http.emit('connection', socket);
      socket.resume();
    } else socket.destroy();
  };
  const onEarlyEnd = (): void => {
    clearTimeout(timer);
    socket.destroy();
  };
  const timer = setTimeout(() => socket.destroy(), IDLE_TUNNEL_MS);
  timer.unref();
  socket.once('end', onEarlyEnd);
  if (head.length > 0) dispatch(head);
  else socket.once('data', dispatch);
}
