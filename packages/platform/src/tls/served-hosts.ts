/**
 * The real host names OpenRun answers for (through a CONNECT tunnel, the TLS port or a proxy request in absolute
 * form), which route group each reaches, and the names the local CA may certify. One list, used by the CA, the
 * tunnel, the host router and (through `GET /openrun/tls`) the `openrun exec` preload.
 * @see ARCHITECTURE.md §3.6a, PROTOCOL.md §13.2
 */

/** The route group a real host name reaches. */
export type HostRoute = 'wechat' | 'qq' | 'cloud-gateway';

/** The WeChat developer API host. */
export const WECHAT_HOST = 'api.weixin.qq.com';
/** The QQ developer API host. */
export const QQ_HOST = 'api.q.qq.com';
/** The TCB (cloud development) API host; wx-server-sdk also uses `<env>.<region>.` names under it. */
export const TCB_HOST = 'tcb-api.tencentcloudapi.com';

/** The served names as patterns: `*.x` stands for any name under `x`, however many labels deep. */
export const SERVED_HOST_PATTERNS: readonly string[] = [WECHAT_HOST, QQ_HOST, TCB_HOST, `*.${TCB_HOST}`];

/** The loopback names the TLS port's default certificate is valid for. */
export const LOCAL_TLS_NAMES: readonly string[] = ['localhost', '127.0.0.1'];

const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** The host name of an authority (`Host` header, CONNECT target): lower case, without port or IPv6 brackets. */
export function hostnameOf(authority: string | undefined): string {
  const value = (authority ?? '').trim().toLowerCase();
  if (value.startsWith('[')) return value.slice(1, value.indexOf(']') === -1 ? undefined : value.indexOf(']'));
  const colon = value.lastIndexOf(':');
  const name = colon === -1 ? value : value.slice(0, colon);
  return name.endsWith('.') ? name.slice(0, -1) : name;
}

/** True when `name` is a well-formed DNS name under `suffix` (one label or more). */
function isUnder(name: string, suffix: string): boolean {
  if (name.length > 253 || !name.endsWith(`.${suffix}`)) return false;
  return name.slice(0, -suffix.length - 1).split('.').every((label) => DNS_LABEL.test(label));
}

/** The route group of a real host name, or undefined for any other name. */
export function hostRoute(hostname: string): HostRoute | undefined {
  const name = hostname.toLowerCase();
  if (name === WECHAT_HOST) return 'wechat';
  if (name === QQ_HOST) return 'qq';
  if (name === TCB_HOST || isUnder(name, TCB_HOST)) return 'cloud-gateway';
  return undefined;
}

/** True for a loopback name or address (requests for it are OpenRun's own). */
export function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** True for exactly the names the local CA issues certificates for. */
export function isCertifiableName(hostname: string): boolean {
  return hostRoute(hostname) !== undefined || LOCAL_TLS_NAMES.includes(hostname.toLowerCase());
}

/** The paths api.weixin.qq.com serves: the WeChat group sits at the platform's root beside OpenRun's own paths. */
const WECHAT_HOST_PATH = /^\/(?:(?:sns|cgi-bin|wxa)\/|tcb\/invokecloudfunction(?:[?#]|$))/;

/** Where a path that the real host does not have is sent: no route starts with it, so the host group's 404 answers. */
export const NOT_ON_HOST_PREFIX = '/.not-on-host';

/** The platform path that serves `path` (origin form, with query) of a real host's route group. */
export function platformPathFor(route: HostRoute, path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  // The QQ group and the cloud gateway are mounted under a prefix that stands for their host (ARCHITECTURE §3).
  if (route === 'qq') return `/qq${p}`;
  if (route === 'cloud-gateway') return `/tcb${p}`;
  // OpenRun's own paths (control, runtime, dashboard, /qq, /tcb/admin) are not on api.weixin.qq.com.
  return WECHAT_HOST_PATH.test(p) ? p : `${NOT_ON_HOST_PREFIX}${p}`;
}
