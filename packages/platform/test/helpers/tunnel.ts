/**
 * Test helpers for the TLS side: open a CONNECT tunnel through a platform port, speak TLS or HTTP inside it, and make
 * HTTPS requests that trust (or do not trust) the local CA.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** The answer to a CONNECT and the socket behind it. */
export interface Tunnel {
  status: number;
  headers: IncomingHttpHeaders;
  socket: Socket;
  /** Bytes that came after the reply head (the body of a refusal). */
  head: Buffer;
}

/** Sends `CONNECT authority` to the platform at `proxyUrl`. */
export function openTunnel(proxyUrl: string, authority: string): Promise<Tunnel> {
  const { hostname, port } = new URL(proxyUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, method: 'CONNECT', path: authority });
    req.on('connect', (res, socket, head) => resolve({ status: res.statusCode ?? 0, headers: res.headers, socket, head }));
    req.on('error', reject);
    req.end();
  });
}

/** Reads a socket to its end. */
export function readAll(socket: Socket, head: Buffer = Buffer.alloc(0)): Promise<string> {
  const chunks: Buffer[] = [head];
  return new Promise((resolve) => {
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Resolves when the peer closes a socket (the socket is read, so that its end is seen). */
export function closed(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve();
    socket.once('close', () => resolve());
    socket.resume();
  });
}

/** A TLS session on top of a tunnel, for `servername`, trusting `ca`. */
export function tlsOver(socket: Socket, servername: string, ca: string | undefined): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({ socket, servername, ...(ca ? { ca } : {}) }, () => resolve(tls));
    tls.once('error', reject);
  });
}

/** A minimal HTTP/1.1 request over an established stream; resolves with status and JSON body. */
export function httpOver(stream: Socket | TLSSocket, host: string, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ createConnection: () => stream, host, path, headers: { host, connection: 'close' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
        } catch (error) {
          reject(new Error(`not JSON (${res.statusCode}): ${text.slice(0, 200)}; ${String(error)}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** An HTTPS request (GET unless told) to `url` (the TLS port), with `servername` for SNI and `ca` trusted. */
export function httpsGet(
  url: string,
  options: { servername?: string; host?: string; ca?: string; method?: string; json?: unknown },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: u.hostname,
        port: u.port,
        path: `${u.pathname}${u.search}`,
        agent: false,
        method: options.method ?? 'GET',
        ...(options.servername ? { servername: options.servername } : {}),
        ...(options.ca ? { ca: options.ca } : {}),
        headers: { host: options.host ?? u.host, ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
      },
    );
    req.on('error', reject);
    req.end(options.json !== undefined ? JSON.stringify(options.json) : undefined);
  });
}
