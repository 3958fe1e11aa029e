/**
 * Host routing, as Fastify's `rewriteUrl`: a request for a real host name (its `Host` header, or the authority of a
 * proxy request in absolute form) is sent to that host's route group at its real paths; an absolute-form request
 * for any other host goes to the refusal route (OpenRun never forwards to the internet). Other requests are left as
 * they are, so OpenRun stays reachable under any name of its own (127.0.0.1, a LAN address, a container name).
 * @see ARCHITECTURE.md §3.6a
 */
import type { IncomingMessage } from 'node:http';
import { hostnameOf, hostRoute, isLoopbackName, platformPathFor } from './served-hosts.js';

/** The route that answers proxy requests for hosts OpenRun does not serve. */
export const REFUSED_HOST_PATH = '/openrun/proxy/refused';

/** The path Fastify should route `req` by. */
export function routeByHost(req: Pick<IncomingMessage, 'url' | 'headers'>): string {
  const url = req.url ?? '/';
  if (/^https?:\/\//i.test(url)) {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return `${REFUSED_HOST_PATH}?host=${encodeURIComponent(url.slice(0, 200))}`;
    }
    const path = `${target.pathname}${target.search}`;
    const route = hostRoute(target.hostname);
    if (route) return platformPathFor(route, path);
    if (isLoopbackName(hostnameOf(target.host))) return path;
    return `${REFUSED_HOST_PATH}?host=${encodeURIComponent(target.host)}`;
  }
  const route = hostRoute(hostnameOf(req.headers.host));
  return route ? platformPathFor(route, url) : url;
}
