/**
 * Opens a file the CLI is about to send, so that a missing or unreadable file is reported as such before any request
 * is made (and is never mistaken for an unreachable platform).
 */
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';

/** An opened file: its size and a stream of its bytes. */
export interface ReadableFile {
  path: string;
  size: number;
  stream(): Readable;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
};

/** Opens `path` for reading; throws `[openrun] cannot read <path>: <reason>`. */
export async function openReadableFile(path: string): Promise<ReadableFile> {
  try {
    const handle = await open(path, 'r');
    const info = await handle.stat();
    if (info.isDirectory()) {
      await handle.close();
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    }
    return { path, size: info.size, stream: () => handle.createReadStream() };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    throw new Error(`[openrun] cannot read ${path}: ${REASONS[code] ?? (error as Error).message}`);
  }
}
