/**
 * The success path of open-data decryption without core's per-character base64 regex and without the
 * `Buffer.concat` of `update` + `final`: a strict length check on Node's base64 decoder and a manual PKCS#7 check.
 * It accepts exactly what core's `decryptOpenData` accepts (a property test holds them equal); whenever anything
 * looks wrong it returns `undefined` and the caller runs core's decrypt, which throws the precise error.
 * Candidate for moving into `@openrun/core/cipher` itself.
 * @see PROTOCOL.md §7.1
 */
import { createDecipheriv } from 'node:crypto';

const EQUALS = 61;

/** Node's decoder skips characters outside the alphabet, so a strict decode is one whose length matches the text. */
function strictBase64(text: string): Buffer | undefined {
  const n = text.length;
  if (n === 0 || n % 4 !== 0) return undefined;
  const padding = text.charCodeAt(n - 1) === EQUALS ? (text.charCodeAt(n - 2) === EQUALS ? 2 : 1) : 0;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length !== (n / 4) * 3 - padding) return undefined;
  // Node also reads the URL-safe alphabet; the platform never sends it and core rejects it.
  if (text.indexOf('-') !== -1 || text.indexOf('_') !== -1) return undefined;
  return bytes;
}

function spacesAsPlus(text: string, lenient: boolean): string {
  return lenient && text.indexOf(' ') !== -1 ? text.replace(/ /g, '+') : text;
}

/** A decrypted plaintext: the UTF-8 bytes are `bytes[0..length)`. */
export interface Plaintext {
  bytes: Buffer;
  length: number;
}

/** Decrypts to plaintext bytes, or returns undefined when core must decide (and name the error). */
export function decryptPlaintextFast(sessionKey: string, encryptedData: string, iv: string, lenient: boolean): Plaintext | undefined {
  if (typeof sessionKey !== 'string' || typeof encryptedData !== 'string' || typeof iv !== 'string') return undefined;
  const key = strictBase64(spacesAsPlus(sessionKey, lenient));
  const ivBytes = strictBase64(spacesAsPlus(iv, lenient));
  const data = strictBase64(spacesAsPlus(encryptedData, lenient));
  if (key?.length !== 16 || ivBytes?.length !== 16 || data === undefined || data.length % 16 !== 0) return undefined;
  const decipher = createDecipheriv('aes-128-cbc', key, ivBytes);
  decipher.setAutoPadding(false);
  const bytes = decipher.update(data);
  const n = bytes.length;
  const pad = bytes[n - 1] ?? 0;
  if (pad < 1 || pad > 16) return undefined;
  for (let i = n - pad; i < n - 1; i++) if (bytes[i] !== pad) return undefined;
  return { bytes, length: n - pad };
}

/** Decrypts and parses open data, or returns undefined when core must decide (and name the error). */
export function decryptOpenDataFast(sessionKey: string, encryptedData: string, iv: string, lenient: boolean): unknown {
  const plain = decryptPlaintextFast(sessionKey, encryptedData, iv, lenient);
  if (plain === undefined) return undefined;
  try {
    return JSON.parse(plain.bytes.toString('utf8', 0, plain.length)) as unknown;
  } catch {
    return undefined;
  }
}
