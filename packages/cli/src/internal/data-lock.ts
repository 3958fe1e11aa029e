/**
 * The lock file of a data folder (`<data>/openrun.lock`): one `openrun start` per store. It holds the pid and, once
 * listening, the address of the process that owns the folder; a second start reads it and refuses, naming both. A lock
 * left by a process that no longer exists (kill -9) is taken over.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What the lock file says. */
export interface DataLockInfo {
  pid: number;
  startedAt: string;
  /** Where the owner listens, once it does. */
  url?: string;
}

/** A held lock. */
export interface DataLock {
  /** Records where the owner listens. */
  listening(url: string): void;
  /** Removes the lock file (if it is still ours). */
  release(): void;
}

/** The lock file of `dataDir`. */
export function lockFileOf(dataDir: string): string {
  return join(resolve(dataDir), 'openrun.lock');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): DataLockInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataLockInfo>;
    return typeof info.pid === 'number' && Number.isInteger(info.pid) && info.pid > 0 ? (info as DataLockInfo) : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock of `dataDir`, or throws naming the pid and address of the process that holds it. */
export function lockDataDir(dataDir: string): DataLock {
  const file = lockFileOf(dataDir);
  const info: DataLockInfo = { pid: process.pid, startedAt: new Date().toISOString() };
  const write = (flag: 'wx' | 'w') => writeFileSync(file, `${JSON.stringify(info)}\n`, { flag });
  for (let attempt = 0; ; attempt++) {
    try {
      write('wx');
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const holder = readLock(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid)) {
        throw new Error(
          `[openrun] another openrun (pid ${holder.pid}${holder.url ? `, listening on ${holder.url}` : ', still starting'}) is using --data ${resolve(dataDir)}; ` +
            `stop it first, or give this one its own folder with --data (a lock file ${file} that outlives its process is taken over)`,
        );
      }
      // Stale (its process is gone) or unreadable: take it over.
      rmSync(file, { force: true });
    }
  }
  const ours = () => readLock(file)?.pid === process.pid;
  const release = () => {
    if (ours()) rmSync(file, { force: true });
  };
  process.once('exit', release);
  return {
    listening(url) {
      info.url = url;
      if (ours()) write('w');
    },
    release() {
      process.removeListener('exit', release);
      release();
    },
  };
}
