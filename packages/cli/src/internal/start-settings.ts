/**
 * The settings of `openrun start` that the CLI decides before building the platform: the ports (option, then
 * OPENRUN_PORT / OPENRUN_TLS_PORT, then 9527 / 9528) and where the store lives. Every bad value is an error naming the option or variable.
 */
import { envFlag } from '@openrun/platform';

/** The default port of `openrun start`. */
export const DEFAULT_PORT = 9527;
/** The default HTTPS port (a free one when the HTTP port is 0). */
export const DEFAULT_TLS_PORT = 9528;

/** What `openrun start` was given for these settings. */
export interface StartSettingsInput {
  port?: number;
  tlsPort?: number;
  data?: string;
  memory?: boolean;
}

/** The decided settings. */
export interface StartSettings {
  port: number;
  tlsPort: number;
  /** Where the SQLite store lives; undefined for a memory store. */
  data: string | undefined;
  memory: boolean;
}

type Env = Record<string, string | undefined>;

const blankToUndefined = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

function envPort(env: Env, name: string): number | undefined {
  const v = blankToUndefined(env[name]);
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) > 65535) {
    throw new RangeError(`[openrun] ${name}="${v}" is not a port: use a whole number from 0 to 65535 (0 picks a free one)`);
  }
  return Number(v);
}

/** Decides ports and store; throws `[openrun] …` naming what is wrong and how to fix it. */
export function resolveStartSettings(input: StartSettingsInput, env: Env = process.env): StartSettings {
  const port = input.port ?? envPort(env, 'OPENRUN_PORT') ?? DEFAULT_PORT;
  const tlsPort = input.tlsPort ?? envPort(env, 'OPENRUN_TLS_PORT') ?? (port === 0 ? 0 : DEFAULT_TLS_PORT);
  const memoryFrom = input.memory ? '--memory' : envFlag(env, 'OPENRUN_MEMORY') ? 'OPENRUN_MEMORY' : undefined;
  const envData = blankToUndefined(env.OPENRUN_DATA);
  const dataFrom = input.data !== undefined ? '--data' : envData !== undefined ? 'OPENRUN_DATA' : undefined;
  if (memoryFrom && dataFrom) {
    throw new Error(`[openrun] ${dataFrom} and ${memoryFrom} contradict each other: a memory store keeps nothing in a folder. Drop one of them.`);
  }
  return { port, tlsPort, data: memoryFrom ? undefined : (input.data ?? envData ?? './.openrun'), memory: memoryFrom !== undefined };
}
