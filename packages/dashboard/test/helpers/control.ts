/**
 * The dashboard tests' client of the control API of the platform under test.
 */

/** A control API call that returns the JSON reply (undefined for 204) and throws on an error status. */
export type ControlCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

/** A control API client for the platform at `baseUrl()` (read at each call: each test starts its own platform). */
export function controlClient(baseUrl: () => string): ControlCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl()}/openrun/control/v1${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
}
