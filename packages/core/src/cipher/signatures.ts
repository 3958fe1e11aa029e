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

/** Compares two secrets in time that does not depend on where they differ. */
export function secretsEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest();
  const hb = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}
