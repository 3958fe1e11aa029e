/**
 * The settings of `openrun start` that the CLI decides before building the platform: the port (option, then
 * OPENRUN_PORT, then 9527) and where the store lives. Every bad value is an error naming the option or variable.
 */
import { envFlag } from '@openrun/platform';

/** The default port of `openrun start`. */
export const DEFAULT_PORT = 9527;

/** What `openrun start` was given for these settings. */
export interface StartSettingsInput {
  port?: number;
  data?: string;
  memory?: boolean;
}

/** The decided settings. */
export interface StartSettings {
  port: number;
  /** Where the SQLite store lives; undefined for a memory store. */
  data: string | undefined;
  memory: boolean;
}

type Env = Record<string, string | undefined>;

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** Decides port and store; throws `[openrun] …` naming what is wrong and how to fix it. */
export function resolveStartSettings(input: StartSettingsInput, env: Env = process.env): StartSettings {
  let port = input.port;
  const envPort = blankToUndefined(env.OPENRUN_PORT);
  if (port === undefined && envPort !== undefined) {
    const n = Number(envPort);
    if (!/^\d+$/.test(envPort) || n > 65535) {
      throw new RangeError(`[openrun] OPENRUN_PORT="${envPort}" is not a port: use a whole number from 0 to 65535 (0 picks a free one)`);
    }
    port = n;
  }
  const memoryFrom = input.memory ? '--memory' : envFlag(env, 'OPENRUN_MEMORY') ? 'OPENRUN_MEMORY' : undefined;
  const envData = blankToUndefined(env.OPENRUN_DATA);
  const dataFrom = input.data !== undefined ? '--data' : envData !== undefined ? 'OPENRUN_DATA' : undefined;
  if (memoryFrom && dataFrom) {
    throw new Error(`[openrun] ${dataFrom} and ${memoryFrom} contradict each other: a memory store keeps nothing in a folder. Drop one of them.`);
  }
  return { port: port ?? DEFAULT_PORT, data: memoryFrom ? undefined : (input.data ?? envData ?? './.openrun'), memory: memoryFrom !== undefined };
}
