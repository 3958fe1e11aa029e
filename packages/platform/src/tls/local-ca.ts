/**
 * The local certificate authority: created on first use and kept as `<data>/tls/ca.pem` (the CA certificate only)
 * with its key beside it in `ca-key.pem` (mode 0600); a throw-away one in memory for `--memory`. It issues leaf
 * certificates on demand, one per name, for exactly the names `isCertifiableName` allows.
 * @see ARCHITECTURE.md §3.6a
 */
import { generateKeyPair, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';
import { isCertifiableName, LOCAL_TLS_NAMES } from './served-hosts.js';

/** A certificate (PEM, leaf first) and its private key, ready for `tls.createSecureContext`. */
export interface TlsIdentity {
  key: string;
  cert: string;
}

/** An opened local CA. */
export interface LocalCa {
  /** The CA certificate (PEM), what clients must trust. */
  readonly certPem: string;
  /** Where the CA certificate is on disk, or undefined for an in-memory CA. */
  readonly certPath: string | undefined;
  /** A certificate for one allowed name (cached); throws `CertificateRefusedError` for any other name. */
  issue(name: string): Promise<TlsIdentity>;
  /** The TLS port's default certificate, valid for `localhost` and `127.0.0.1`. */
  loopbackIdentity(): Promise<TlsIdentity>;
}

/** Thrown when a certificate is asked for a name OpenRun does not serve. */
export class CertificateRefusedError extends Error {
  override readonly name = 'CertificateRefusedError';
}

const generateRsa = promisify(generateKeyPair);
const CA_YEARS = 10;
const LEAF_DAYS = 365;

async function newRsaKey(): Promise<forge.pki.rsa.PrivateKey> {
  const { privateKey } = await generateRsa('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return forge.pki.privateKeyFromPem(privateKey);
}

function publicOf(key: forge.pki.rsa.PrivateKey): forge.pki.rsa.PublicKey {
  return forge.pki.setRsaPublicKey(key.n, key.e);
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive
  return bytes.toString('hex');
}

function createCaCertificate(key: forge.pki.rsa.PrivateKey): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicOf(key);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + CA_YEARS * 365 * 86400_000);
  const subject = [
    { name: 'commonName', value: `OpenRun local CA ${randomBytes(4).toString('hex')}` },
    { name: 'organizationName', value: 'OpenRun (local development only)' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(key, forge.md.sha256.create());
  return cert;
}

function altName(name: string): { type: number; value?: string; ip?: string } {
  return isIP(name) ? { type: 7, ip: name } : { type: 2, value: name };
}

function createLeafCertificate(
  names: readonly string[],
  leafKey: forge.pki.rsa.PrivateKey,
  ca: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey },
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicOf(leafKey);
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 3600_000);
  cert.validity.notAfter = new Date(now + LEAF_DAYS * 86400_000);
  cert.setSubject([{ name: 'commonName', value: names[0]! }]);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map(altName) },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.cert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return cert;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

async function loadOrCreateOnDisk(dir: string): Promise<{ cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }> {
  const certPath = join(dir, 'ca.pem');
  const keyPath = join(dir, 'ca-key.pem');
  const [haveCert, haveKey] = await Promise.all([exists(certPath), exists(keyPath)]);
  if (haveCert && haveKey) {
    // The key must stay readable by its owner only, whatever copied it here.
    if (((await stat(keyPath)).mode & 0o077) !== 0) await chmod(keyPath, 0o600);
    const cert = forge.pki.certificateFromPem(await readFile(certPath, 'utf8'));
    const key = forge.pki.privateKeyFromPem(await readFile(keyPath, 'utf8'));
    const certKey = cert.publicKey as forge.pki.rsa.PublicKey;
    if (certKey.n.compareTo(key.n) !== 0) {
      throw new Error(`[openrun] ${keyPath} is not the key of ${certPath}: delete both to create a new local CA`);
    }
    return { cert, key };
  }
  if (haveCert || haveKey) {
    throw new Error(`[openrun] the local CA in ${dir} is incomplete (${haveCert ? 'ca-key.pem' : 'ca.pem'} is missing): delete the folder to create a new CA`);
  }
  const key = await newRsaKey();
  const cert = createCaCertificate(key);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(keyPath, forge.pki.privateKeyToPem(key), { mode: 0o600, flag: 'wx' });
  await writeFile(certPath, forge.pki.certificateToPem(cert), { mode: 0o644, flag: 'wx' });
  return { cert, key };
}

/** Opens the CA kept in `dir` (created there on first use), or a throw-away in-memory CA when `dir` is undefined. */
export async function openLocalCa(dir: string | undefined): Promise<LocalCa> {
  // The leaf key is made while the CA is opened (key generation runs off the main thread).
  const leafKey = newRsaKey();
  leafKey.catch(() => undefined);
  const ca = dir === undefined ? await (async () => {
    const key = await newRsaKey();
    return { key, cert: createCaCertificate(key) };
  })() : await loadOrCreateOnDisk(dir);
  const certPem = forge.pki.certificateToPem(ca.cert);
  const issued = new Map<string, Promise<TlsIdentity>>();
  const identityFor = (names: readonly string[]): Promise<TlsIdentity> => {
    const id = names.join(',');
    let identity = issued.get(id);
    if (!identity) {
      identity = leafKey.then((key) => ({
        key: forge.pki.privateKeyToPem(key),
        cert: forge.pki.certificateToPem(createLeafCertificate(names, key, ca)) + certPem,
      }));
      issued.set(id, identity);
    }
    return identity;
  };
  return {
    certPem,
    certPath: dir === undefined ? undefined : join(dir, 'ca.pem'),
    async issue(name: string) {
      const host = name.toLowerCase();
      if (!isCertifiableName(host)) {
        throw new CertificateRefusedError(`[openrun] no certificate for "${name}": OpenRun serves only the WeChat, QQ and TCB API hosts, localhost and 127.0.0.1`);
      }
      return identityFor([host]);
    },
    loopbackIdentity: () => identityFor(LOCAL_TLS_NAMES),
  };
}
