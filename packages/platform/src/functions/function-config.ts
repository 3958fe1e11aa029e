/**
 * A cloud function's `config.json`, as in a WeChat cloud project: `timeout` in seconds (default 3, at most 60) and
 * `permissions.openapi`, the cloud-call APIs the function may use (e.g. `cloudbase.getOpenData`).
 * @see PROTOCOL.md §12.2
 */
import { readFileSync } from 'node:fs';

/** Default per-call timeout, seconds (as on WeChat cloud). */
export const DEFAULT_FUNCTION_TIMEOUT_SECONDS = 3;
/** Largest accepted per-call timeout, seconds. */
export const MAX_FUNCTION_TIMEOUT_SECONDS = 60;

/** What OpenRun reads from a function's config.json. */
export interface FunctionConfig {
  timeoutMs: number;
  /** Open APIs the function may call through the cloud gateway. */
  openapi: string[];
}

/** Reads `configPath` (missing file = defaults); a malformed file throws a message that says what to fix. */
export function readFunctionConfig(configPath: string): FunctionConfig {
  let text: string;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch {
    return { timeoutMs: DEFAULT_FUNCTION_TIMEOUT_SECONDS * 1000, openapi: [] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`[openrun] ${configPath} is not valid JSON (${(error as Error).message}); fix or remove it`);
  }
  const config = (raw !== null && typeof raw === 'object' ? raw : {}) as { timeout?: unknown; permissions?: { openapi?: unknown } };
  const timeout = typeof config.timeout === 'number' && config.timeout > 0 ? config.timeout : DEFAULT_FUNCTION_TIMEOUT_SECONDS;
  const openapi = Array.isArray(config.permissions?.openapi)
    ? config.permissions.openapi.filter((v): v is string => typeof v === 'string')
    : [];
  return { timeoutMs: Math.min(timeout, MAX_FUNCTION_TIMEOUT_SECONDS) * 1000, openapi };
}
