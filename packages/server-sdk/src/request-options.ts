/**
 * Per-call options and the events a client emits.
 * @see STYLE.md P20
 */
import type { Operation } from './errors.js';

/** Options every client method accepts as its last argument. */
export interface RequestOptions {
  /** Milliseconds before one attempt is abandoned with {@link TimeoutError} (default: the client's `timeout`). */
  timeout?: number;
  /** Retries after the first attempt, for -1 and connection failures (default: the client's `maxRetries`). */
  maxRetries?: number;
  /** Aborts the call; the abort reason is thrown as is. */
  signal?: AbortSignal;
}

/** Emitted before each HTTP attempt. Secrets, codes, tokens and signatures in the URL are replaced by `***`. */
export interface RequestEvent {
  operation: Operation;
  method: 'GET' | 'POST';
  /** The request URL with secret values redacted. */
  url: string;
  /** 0 for the first attempt. */
  attempt: number;
}

/** Emitted after each HTTP attempt. */
export interface ResponseEvent extends RequestEvent {
  /** HTTP status, absent when the connection failed. */
  status?: number;
  /** The platform's errcode, when the body had a non-zero one. */
  errcode?: number;
  /** The error class name, when the attempt failed. */
  error?: string;
  /** Milliseconds the attempt took. */
  durationMs: number;
}

/** The events of a client and their payloads. */
export interface ClientEventMap {
  request: RequestEvent;
  response: ResponseEvent;
}

/** A listener of a client event. */
export type ClientEventListener<E extends keyof ClientEventMap> = (event: ClientEventMap[E]) => void;
