/**
 * A small client of a running platform's control API for the CLI: JSON calls, streamed uploads and downloads, and
 * errors that say what the platform answered.
 */
import { Readable } from 'node:stream';
import type { ReadableFile } from './readable-file.js';

/** Where the platform is and how to authenticate. */
export interface ControlTarget {
  url: string;
  token?: string;
}

/** A control API client. */
export interface ControlClient {
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** POSTs an opened file as a stream; `onBytes` hears how many bytes were read so far. */
  upload<T>(path: string, file: ReadableFile, contentType: string, onBytes?: (bytes: number) => void): Promise<T>;
  /** GETs a path and returns the body stream. */
  download(path: string): Promise<Readable>;
}

const PREFIX = '/openrun/control/v1';

async function failure(res: Response, what: string): Promise<Error> {
  const text = await res.text();
  let detail = text.slice(0, 500);
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error) detail = `${body.error.code ?? ''}: ${body.error.message ?? ''}`;
  } catch {
    // Not JSON: keep the text.
  }
  return new Error(`[openrun] ${what} failed with HTTP ${res.status} ${detail}`);
}

/** Creates a client for the platform at `target.url`. */
export function createControlClient(target: ControlTarget): ControlClient {
  const base = target.url.replace(/\/+$/, '') + PREFIX;
  const auth: Record<string, string> = target.token ? { authorization: `Bearer ${target.token}` } : {};
  const send = async (method: string, path: string, init: RequestInit): Promise<Response> => {
    try {
      return await fetch(base + path, { ...init, method, headers: { ...auth, ...(init.headers as Record<string, string> | undefined) } });
    } catch (error) {
      throw new Error(`[openrun] cannot reach the platform at ${target.url} (${(error as Error).message}): is "openrun start" running? Use --url to point elsewhere.`);
    }
  };
  return {
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await send(method, path, body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      if (!res.ok) throw await failure(res, `${method} ${path}`);
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async upload<T>(path: string, file: ReadableFile, contentType: string, onBytes?: (bytes: number) => void): Promise<T> {
      const source = file.stream();
      let sent = 0;
      if (onBytes) source.on('data', (chunk: Buffer) => onBytes((sent += chunk.length)));
      const body = Readable.toWeb(source) as ReadableStream<Uint8Array>;
      const res = await send('POST', path, { body, headers: { 'content-type': contentType }, duplex: 'half' } as RequestInit);
      if (!res.ok) throw await failure(res, `POST ${path}`);
      const text = await res.text();
      return (text ? JSON.parse(text) : undefined) as T;
    },
    async download(path: string): Promise<Readable> {
      const res = await send('GET', path, {});
      if (!res.ok || !res.body) throw await failure(res, `GET ${path}`);
      return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream<Uint8Array>);
    },
  };
}
