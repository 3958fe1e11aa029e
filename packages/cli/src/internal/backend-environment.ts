/**
 * What `openrun env` and `openrun exec` give a backend: asks a running platform for its CA and TLS port, writes the
 * CA (and a bundle of it with the system's roots) to a cache folder, and decides the variables that point proxies,
 * TLS trust stores and the server SDK at OpenRun.
 * @see ARCHITECTURE.md §3.6a
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import type { TlsInfo } from '@openrun/platform';
import { mergeNoProxy } from './no-proxy.js';

/** The platform's answer plus the variables to set. */
export interface BackendEnvironment {
  /** Variables to set, in print order. */
  variables: Array<[name: string, value: string]>;
  /** Where the preload sends port-443 connections for the served hosts (undefined: the platform has no TLS port). */
  tlsTarget: string | undefined;
  /** Where the preload sends port-80 connections for the served hosts. */
  httpTarget: string;
  /** The served host patterns (`*.x` is any name under x). */
  hosts: string[];
  /** Entries of the caller's NO_PROXY left out because they would send a served host past OpenRun. */
  droppedNoProxy: string[];
}

/** Trust stores that other TLS clients (OpenSSL, Python, Go, curl) would use, first found wins. */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];

function cacheDir(origin: URL, env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CACHE_HOME?.trim() || join(homedir(), '.cache');
  return join(base, 'openrun', `${origin.hostname.replace(/[^a-z0-9.-]/gi, '_')}-${origin.port || '80'}`);
}

function writeAtomically(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o644 });
  renameSync(temp, path);
}

function systemRoots(): string {
  for (const file of SYSTEM_BUNDLES) if (existsSync(file)) return readFileSync(file, 'utf8');
  return rootCertificates.join('\n');
}

async function fetchOk(url: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (error) {
    throw new Error(`[openrun] cannot reach the platform at ${new URL(url).origin} (${(error as Error).message}): is "openrun start" running? Use --url to point elsewhere.`);
  }
  if (!res.ok) throw new Error(`[openrun] ${url} answered HTTP ${res.status}: is this an OpenRun platform of this version?`);
  return res;
}

/** Asks the platform at `url` and decides the environment; the CA files go to the user's cache folder. */
export async function resolveBackendEnvironment(url: string, env: NodeJS.ProcessEnv = process.env): Promise<BackendEnvironment> {
  const origin = new URL(url.replace(/\/+$/, ''));
  const info = (await (await fetchOk(new URL('/openrun/tls', origin).href)).json()) as TlsInfo;
  const caPem = await (await fetchOk(new URL(info.caUrl, origin).href)).text();
  if (!/^-----BEGIN CERTIFICATE-----/.test(caPem.trim())) throw new Error(`[openrun] ${info.caUrl} did not hold a certificate`);
  const dir = cacheDir(origin, env);
  mkdirSync(dir, { recursive: true });
  const caFile = join(dir, 'ca.pem');
  const bundleFile = join(dir, 'ca-bundle.pem');
  writeAtomically(caFile, caPem);
  // SSL_CERT_FILE and REQUESTS_CA_BUNDLE replace the trust store: keep the system's roots in it so other TLS works.
  writeAtomically(bundleFile, `${caPem.trim()}\n${systemRoots()}`);
  const proxy = origin.origin;
  const { value: noProxy, dropped } = mergeNoProxy(env.NO_PROXY ?? env.no_proxy, info.hosts);
  return {
    variables: [
      ['HTTPS_PROXY', proxy],
      ['https_proxy', proxy],
      ['NO_PROXY', noProxy],
      ['no_proxy', noProxy],
      ['NODE_EXTRA_CA_CERTS', caFile],
      ['SSL_CERT_FILE', bundleFile],
      ['REQUESTS_CA_BUNDLE', bundleFile],
      ['OPENRUN_EMULATOR_HOST', origin.host],
    ],
    tlsTarget: info.tlsPort === null ? undefined : `${origin.hostname}:${info.tlsPort}`,
    httpTarget: `${origin.hostname}:${origin.port || '80'}`,
    hosts: info.hosts,
    droppedNoProxy: dropped,
  };
}

/** The line that says which NO_PROXY entries were left out, and why. */
export function droppedNoProxyWarning(dropped: readonly string[]): string {
  return `[openrun] NO_PROXY entries left out because they would send hosts OpenRun serves past it: ${dropped.join(', ')}`;
}

/** A value quoted for bash (`'…'`). */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
