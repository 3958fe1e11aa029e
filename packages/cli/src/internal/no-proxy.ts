/**
 * The NO_PROXY list `openrun env` / `openrun exec` hand a backend: the caller's own entries kept (their intranet
 * hosts must still bypass the proxy), loopback added, and every entry dropped that would send a host OpenRun serves
 * past it (`*`, `qq.com`, `.weixin.qq.com`, …), since that would reach the real platform or fail in a closed network.
 */

/** The host part of a NO_PROXY entry, lower-cased, without a port, a leading `*.`/`.` or IPv6 brackets. */
function entryHost(entry: string): string {
  const host = entry.trim().toLowerCase();
  const bracketed = /^\[([^\]]*)\]/.exec(host);
  if (bracketed) return bracketed[1]!;
  return host.replace(/:\d+$/, '').replace(/^\*?\./, '');
}

/** Whether a NO_PROXY entry would bypass the proxy for some name the pattern (`x` or `*.x`) covers. */
function coversServed(entry: string, pattern: string): boolean {
  const host = entryHost(entry);
  if (entry.trim() === '*') return true;
  if (host === '') return false;
  const base = pattern.toLowerCase().replace(/^\*\./, '');
  const wildcard = pattern.startsWith('*.');
  // The entry matches the served name or one of its parents (suffix match, as curl, Go and undici read NO_PROXY)…
  if (base === host || base.endsWith(`.${host}`)) return true;
  // …or, for `*.x`, some name under x.
  return wildcard && host.endsWith(`.${base}`);
}

/** The merged list: loopback first, then the caller's entries in their order, minus the ones covering a served host. */
export function mergeNoProxy(existing: string | undefined, served: readonly string[]): { value: string; dropped: string[] } {
  const out = ['127.0.0.1', 'localhost', '::1'];
  const dropped: string[] = [];
  for (const raw of (existing ?? '').split(',')) {
    const entry = raw.trim();
    if (entry === '' || out.includes(entry)) continue;
    if (served.some((pattern) => coversServed(entry, pattern))) dropped.push(entry);
    else out.push(entry);
  }
  return { value: out.join(','), dropped };
}
