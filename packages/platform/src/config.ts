/**
 * Platform configuration: one module, read in one order — option, then `OPENRUN_*` environment variable, then default.
 * A blank environment variable counts as unset.
 */
import { DEFAULT_STEP_DAYS } from '@openrun/core';
import { isIPv4, isIPv6 } from 'node:net';

/** What `buildPlatform` accepts; every field is optional. */
export interface PlatformOptions {
  /** Keep everything in memory (a throw-away run). Env `OPENRUN_MEMORY=1`. */
  memory?: boolean;
  /** Folder of the embedded SQLite store. Env `OPENRUN_DATA`. Default `./.openrun`. */
  dataDir?: string;
  /** The host the platform will listen on; decides whether the control API needs a token. Env `OPENRUN_HOST`. */
  host?: string;
  /** Control API bearer token. Env `OPENRUN_CONTROL_TOKEN`. Required on the wire unless `host` is loopback. */
  controlToken?: string;
  /**
   * The `controlToken` was generated, not chosen: a token already kept in the store wins, so every instance on one
   * store (and a restarted one) accepts the same token. A chosen token replaces the kept one.
   */
  controlTokenGenerated?: boolean;
  /** PostgreSQL URL of the durable store (scale-out; needs `redisUrl` too). Env `OPENRUN_POSTGRES_URL`. */
  postgresUrl?: string;
  /** Redis URL of the ephemeral store (scale-out; needs `postgresUrl` too). Env `OPENRUN_REDIS_URL`. */
  redisUrl?: string;
  /** Require the control token even on loopback. Env `OPENRUN_REQUIRE_CONTROL_TOKEN=1`. */
  requireControlToken?: boolean;
  /** Minimum seconds between two session_key rotations caused by login. Env `OPENRUN_SESSION_ROTATION_SECONDS`. Default 300. */
  sessionRotationMinSeconds?: number;
  /** Days in a WeRun snapshot (PROTOCOL §17.1: 31 today, 30 in older docs). Env `OPENRUN_STEP_DAYS`. */
  stepDays?: number;
  /** Largest accepted request body in bytes. Env `OPENRUN_BODY_LIMIT`. Default 1 MiB. */
  bodyLimit?: number;
  /** Fastify logger on/off (secrets are redacted). Env `OPENRUN_LOG=1`. */
  logger?: boolean;
  /** Log readable lines (pino-pretty) instead of JSON; `openrun start` turns it on when stdout is a terminal. */
  logPretty?: boolean;
  /** Folder of cloud functions (`<dir>/<name>/index.js`); none when unset. Env `OPENRUN_FUNCTIONS`. */
  functionsDir?: string;
  /** `/cgi-bin/token` calls allowed per WeChat app per China day (45009 beyond); 0 = no limit. Env `OPENRUN_TOKEN_DAILY_QUOTA`. Default 2000. */
  tokenDailyQuota?: number;
}

/** The configuration with every value decided. */
export interface PlatformConfig {
  memory: boolean;
  dataDir: string;
  host: string;
  controlToken: string | undefined;
  controlTokenGenerated: boolean;
  /** Both set (scale-out on PostgreSQL + Redis) or both undefined (embedded SQLite). */
  postgresUrl: string | undefined;
  redisUrl: string | undefined;
  requireControlToken: boolean;
  sessionRotationMinSeconds: number;
  stepDays: number;
  bodyLimit: number;
  logger: boolean;
  logPretty: boolean;
  functionsDir: string | undefined;
  tokenDailyQuota: number;
}

type Env = Record<string, string | undefined>;

function envValue(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

const YES = ['1', 'true', 'yes', 'on'];
const NO = ['0', 'false', 'no', 'off'];

/** Reads an on/off variable: 1/true/yes/on or 0/false/no/off (any case); anything else is an error naming it. */
export function envFlag(env: Env, name: string): boolean | undefined {
  const v = envValue(env, name);
  if (v === undefined) return undefined;
  if (YES.includes(v.toLowerCase())) return true;
  if (NO.includes(v.toLowerCase())) return false;
  throw new RangeError(`[openrun] ${name}="${v}" is not on or off: use 1, true, yes or on (or 0, false, no, off)`);
}

function envInt(env: Env, name: string): number | undefined {
  const v = envValue(env, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`[openrun] ${name}="${v}" is not a whole number ≥ 0`);
  return n;
}

/** `/cgi-bin/token` calls per app per day on the real platform (PROTOCOL.md §9.1). */
export const DEFAULT_TOKEN_DAILY_QUOTA = 2000;

function wholeNumber(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) throw new RangeError(`[openrun] ${name} must be a whole number ≥ 0, got ${value}`);
  return value;
}

/** True for an IP address only this machine can reach (127.0.0.0/8, ::1, or 127.x mapped into IPv6). */
export function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return address.startsWith('127.');
  if (!isIPv6(address)) return false;
  const lower = address.toLowerCase();
  return lower === '::1' || (lower.startsWith('::ffff:') && isIPv4(lower.slice(7)) && lower.slice(7).startsWith('127.'));
}

/**
 * True for a `--host` value that names a loopback address: `localhost` or a loopback IP literal, never a name that
 * merely starts with "127." (`127.attacker.example`). Whether the token is needed is decided again from the addresses
 * the server actually listens on.
 */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare === 'localhost' || isLoopbackAddress(bare);
}

/** Decides every configuration value: option, then env, then default. */
export function resolveConfig(options: PlatformOptions = {}, env: Env = process.env): PlatformConfig {
  const host = options.host ?? envValue(env, 'OPENRUN_HOST') ?? '127.0.0.1';
  const stepDays = options.stepDays ?? envInt(env, 'OPENRUN_STEP_DAYS') ?? DEFAULT_STEP_DAYS;
  if (stepDays < 1 || stepDays > 366) throw new RangeError(`[openrun] stepDays must be 1..366, got ${stepDays}`);
  const controlToken = options.controlToken ?? envValue(env, 'OPENRUN_CONTROL_TOKEN');
  const requireControlToken =
    options.requireControlToken ?? envFlag(env, 'OPENRUN_REQUIRE_CONTROL_TOKEN') ?? !isLoopbackHost(host);
  if (requireControlToken && !controlToken) {
    throw new Error('[openrun] the control API needs a token on a non-loopback host: set controlToken or OPENRUN_CONTROL_TOKEN');
  }
  const postgresUrl = options.postgresUrl ?? envValue(env, 'OPENRUN_POSTGRES_URL');
  const redisUrl = options.redisUrl ?? envValue(env, 'OPENRUN_REDIS_URL');
  if ((postgresUrl === undefined) !== (redisUrl === undefined)) {
    const [given, missing] = postgresUrl === undefined ? ['Redis', 'PostgreSQL'] : ['PostgreSQL', 'Redis'];
    throw new Error(
      `[openrun] scale-out needs both stores: a ${given} URL was given but no ${missing} URL ` +
        `(set ${missing === 'Redis' ? '--redis / OPENRUN_REDIS_URL' : '--postgres / OPENRUN_POSTGRES_URL'}, or neither for the embedded SQLite store)`,
    );
  }
  const memory = options.memory ?? envFlag(env, 'OPENRUN_MEMORY') ?? false;
  if (memory && postgresUrl !== undefined) {
    throw new Error('[openrun] choose one store: --memory (throw-away, this process only) or --postgres + --redis (shared), not both');
  }
  return {
    postgresUrl,
    redisUrl,
    controlTokenGenerated: options.controlTokenGenerated ?? false,
    memory,
    dataDir: options.dataDir ?? envValue(env, 'OPENRUN_DATA') ?? './.openrun',
    host,
    controlToken,
    requireControlToken,
    sessionRotationMinSeconds: options.sessionRotationMinSeconds ?? envInt(env, 'OPENRUN_SESSION_ROTATION_SECONDS') ?? 300,
    stepDays,
    bodyLimit: options.bodyLimit ?? envInt(env, 'OPENRUN_BODY_LIMIT') ?? 1024 * 1024,
    logger: options.logger ?? envFlag(env, 'OPENRUN_LOG') ?? false,
    logPretty: options.logPretty ?? false,
    functionsDir: options.functionsDir ?? envValue(env, 'OPENRUN_FUNCTIONS'),
    tokenDailyQuota: wholeNumber('tokenDailyQuota', options.tokenDailyQuota) ?? envInt(env, 'OPENRUN_TOKEN_DAILY_QUOTA') ?? DEFAULT_TOKEN_DAILY_QUOTA,
  };
}
