/**
 * The seam between the runtime client and the network: one HTTP exchange, abortable, that resolves with the status and
 * the body or rejects with a {@link TransportError}. Implemented over `fetch` and over `wx.request`.
 */

/** One runtime API request, ready to send. */
export interface TransportRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT';
  headers: Record<string, string>;
  /** JSON text (POST/PUT); undefined for GET. */
  body: string | undefined;
  /** Milliseconds the caller will wait; a transport with its own timer may use it. */
  timeout: number;
}

/** A reply: the HTTP status and the body, as text or as a JSON value a transport already parsed. */
export interface TransportReply {
  status: number;
  body: unknown;
}

/** An exchange in flight. */
export interface TransportExchange {
  reply: Promise<TransportReply>;
  /** Gives up on the exchange (called at the deadline). */
  abort(): void;
}

/** Sends one request. Must not throw: failures reject `reply`. */
export type RuntimeTransport = (request: TransportRequest) => TransportExchange;

/** Why an exchange failed: the network (with the transport's reason), or the transport's own timeout. */
export class TransportError extends Error {
  constructor(
    readonly reason: string,
    readonly timedOut = false,
  ) {
    super(reason);
    this.name = 'TransportError';
  }
}
