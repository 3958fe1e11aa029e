/**
 * The two signatures of the login protocol, and constant-time comparison for secrets.
 * @see PROTOCOL.md §7.3, §9.3
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Data signature of APIs that return rawData: hex(sha1(rawData + session_key)). */
export function rawDataSignature(rawData: string, sessionKey: string): string {
  return createHash('sha1').update(rawData + sessionKey, 'utf8').digest('hex');
}

/** Login-state signature for checksession: hex(hmac_sha256(key = session_key string as-is, message = body or "")). */
export function sessionKeySignature(sessionKey: string, body = ''): string {
  return createHmac('sha256', Buffer.from(sessionKey, 'utf8')).update(body, 'utf8').digest('hex');
}

/**
 * Compares a secret `a` with a candidate `b` in time that depends on neither where they differ nor how long `b` is:
 * `b` is copied into (and cut or zero-padded to) a buffer of `a`'s length, and the lengths are compared after.
 */
export function secretsEqual(a: string, b: string): boolean {
  const secret = Buffer.from(a, 'utf8');
  const candidate = Buffer.alloc(secret.length);
  candidate.write(b, 'utf8');
  return timingSafeEqual(secret, candidate) && Buffer.byteLength(b, 'utf8') === secret.length;
}
