/**
 * Runs the Lua scripts of scripts.ts on one Redis connection: by SHA, loading the script on NOSCRIPT. The arguments
 * are the key prefix, the garbage-collection grace, the script's own arguments, then the caller's instance id and a
 * change number (which every script takes off the end), and the reply is the script's result with what it published.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisScript } from './scripts.js';

/** A script's reply: its result, and when it moved the clock or a version, the lease holders (id, stamp, ...). */
export interface ScriptReply<T> {
  result: T;
  /** Set when the script published a change: every instance holding a lease then, with its lease's stamp. */
  leases?: string[];
}

/** Runs `script` with `args`, as instance `me`, tagging what it publishes with `n`. */
export type ScriptRunner = <T>(script: RedisScript, args: (string | number)[], me: string, n: string) => Promise<ScriptReply<T>>;

/** Creates the runner for keys under `prefix`, passing `graceMs` to every script. */
export function createScriptRunner(redis: Redis, prefix: string, graceMs: number): ScriptRunner {
  const shas = new Map<RedisScript, string>();
  return async <T>(s: RedisScript, args: (string | number)[], me: string, n: string): Promise<ScriptReply<T>> => {
    let sha = shas.get(s);
    if (!sha) {
      sha = createHash('sha1').update(s.lua).digest('hex');
      shas.set(s, sha);
    }
    const argv = [prefix, graceMs, ...args, me, n];
    let reply: [T, number, string[]?];
    try {
      reply = (await redis.evalsha(sha, 0, ...argv)) as [T, number, string[]?];
    } catch (error) {
      if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      reply = (await redis.eval(s.lua, 0, ...argv)) as [T, number, string[]?];
    }
    return reply[1] === 1 ? { result: reply[0], leases: reply[2] ?? [] } : { result: reply[0] };
  };
}
